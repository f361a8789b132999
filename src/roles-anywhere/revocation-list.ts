import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { revocationListProblem } from './ca-certificate';
import { fail } from '../validation/errors';

/**
 * Fails unless `pem` is a PEM-encoded X.509 certificate revocation list: exactly one
 * `-----BEGIN X509 CRL-----` block whose base64 decodes to a DER SEQUENCE, at most 300,000
 * bytes (the IAM Roles Anywhere `ImportCrl` limit). Private keys, certificates, CSRs and other
 * text are refused without echoing their contents. A token is accepted unchecked.
 */
export function validateRevocationListPem(scope: IConstruct, pem: string): void {
  if (Token.isUnresolved(pem)) return;
  const problem = revocationListProblem(pem);
  if (problem) fail(scope, problem);
}
