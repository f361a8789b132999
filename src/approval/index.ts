export * from './connection-approval';
export * from './endpoint-removal';
export * from './missing-endpoints';
