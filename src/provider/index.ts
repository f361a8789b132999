export * from './allowed-principal';
export * from './payer-responsibility';
export * from './endpoint-service';
export * from './private-dns-name';
export * from './verified-domain';
