export * from './interface-endpoint';
export * from './aws-service-endpoints';
export * from './gateway-endpoint';
export * from './gateway-endpoint-policy';
