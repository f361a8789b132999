export * from './service-owner';
export * from './privatelink-guardrails';
