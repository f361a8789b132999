export * from './trust-anchor-source';
export * from './expiry-notification';
