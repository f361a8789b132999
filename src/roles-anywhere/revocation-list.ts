import { IConstruct } from 'constructs';

/** Fails unless `pem` is a PEM-encoded X.509 certificate revocation list. (SKELETON: filled in by the certificates work.) */
export function validateRevocationListPem(_scope: IConstruct, _pem: string): void {}
