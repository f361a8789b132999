export * from './errors';
export * from './account-id';
export * from './partition';
export * from './region';
export * from './dns-name';
export * from './load-balancer-arn';
export * from './acknowledge-rule';
