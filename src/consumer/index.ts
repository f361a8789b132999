export * from './interface-endpoint';
export * from './aws-service-endpoints';
export * from './gateway-endpoint';
export * from './gateway-endpoint-policy';
export { TrustedScope } from './trusted-scope';
export * from './data-perimeter';
export * from './endpoint-policy-default';
export * from './gateway-load-balancer-endpoint';
export * from './gateway-load-balancer-service';
