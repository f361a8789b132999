export * from './metric-options';
export * from './alarm-options';
