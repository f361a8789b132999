import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describe } from './enum-value';
import { fail } from './errors';
import { endpointIdProblem, repeatedValues } from './formats';

/**
 * Fails on an endpoint ID that is not `vpce-` with 8 or 17 lowercase hex characters, and on
 * IDs given more than once. Unresolved tokens pass; the approval handler checks them again.
 */
export function validateEndpointIds(scope: IConstruct, endpointIds: readonly string[]): void {
  for (const endpointId of endpointIds) {
    if (typeof endpointId !== 'string') fail(scope, `Invalid VPC endpoint ID ${describe(endpointId)}: expected a string like 'vpce-0123456789abcdef0'.`);
    if (Token.isUnresolved(endpointId)) continue;
    const problem = endpointIdProblem(endpointId);
    if (problem) fail(scope, problem);
  }
  const repeated = repeatedValues(endpointIds);
  if (repeated.length > 0) {
    fail(scope, `Endpoint IDs given more than once: ${repeated.map(id => `'${id}'`).join(', ')}: expected each ID once.`);
  }
}
