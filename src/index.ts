export * from './provider';
export * from './notifications';
export * from './approval';
export * from './consumer';
export * from './roles-anywhere';
export * from './observability';
export * from './dashboard';
export * from './guardrails';
