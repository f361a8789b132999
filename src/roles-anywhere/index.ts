export * from './trust-anchor-source';
export * from './expiry-notification';
export * from './certificate-condition';
export * from './roles-anywhere-access';
