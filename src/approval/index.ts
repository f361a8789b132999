export * from './connection-approval';
export * from './endpoint-removal';
export * from './missing-endpoints';
export * from './unlisted-connections';
export * from './approval-alarms-options';
export * from './privatelink-handler';
