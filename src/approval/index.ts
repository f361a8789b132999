export * from './connection-approval';
export * from './endpoint-removal';
