import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { pemBlocks, revocationListProblem } from './ca-certificate';
import { describe } from '../validation/enum-value';
import { fail } from '../validation/errors';

/**
 * Fails unless `pem` is a PEM-encoded X.509 certificate revocation list: exactly one
 * `-----BEGIN X509 CRL-----` block whose base64 decodes to a DER SEQUENCE, at most 300,000
 * bytes (the IAM Roles Anywhere `ImportCrl` limit). Private keys, certificates, CSRs and other
 * text are refused without echoing their contents. A token is accepted unchecked. Returns the
 * block as it goes into the template.
 */
export function validateRevocationListPem(scope: IConstruct, pem: string): string {
  if (typeof pem !== 'string') fail(scope, `A revocation list is ${describe(pem)}: expected PEM text ('-----BEGIN X509 CRL-----').`);
  if (Token.isUnresolved(pem)) return pem;
  const problem = revocationListProblem(pem);
  if (problem) fail(scope, problem);
  // Only the block goes into the template, never text around it.
  return pemBlocks(pem).blocks[0].text;
}
