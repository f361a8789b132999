import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describe } from './enum-value';
import { fail } from './errors';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** `o-<org>/r-<root>/` and any number of `ou-<root>-<id>/`, optionally ending in `*`. */
const ORGANIZATION_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}\/(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/)*\*?$/;

/** Whether `value` is a literal AWS Organizations ID like `o-a1b2c3d4e5`. */
export function isOrganizationId(value: string): boolean {
  return ORGANIZATION_ID.test(value);
}

/** Fails unless `value` is an unresolved token or an AWS Organizations ID like `o-a1b2c3d4e5`. */
export function validateOrganizationId(scope: IConstruct, value: unknown): void {
  if (typeof value === 'string' && (Token.isUnresolved(value) || isOrganizationId(value))) return;
  fail(scope, `Invalid organization ID ${describe(value)}: expected 'o-' followed by 10 to 32 lowercase letters or digits, like 'o-a1b2c3d4e5'.`);
}

/**
 * Fails unless `value` is an unresolved token or an AWS Organizations entity path that starts
 * with the organization ID: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`, optionally ending in `*` for
 * everything below it. The organization ID is required because root and OU IDs are unique only
 * within one organization.
 */
export function validateOrganizationPath(scope: IConstruct, value: unknown): void {
  const problem = organizationPathProblem(value);
  if (problem) fail(scope, problem);
}

/** Why `value` is not an organization path (see {@link validateOrganizationPath}); `undefined` when it is one or a token. */
export function organizationPathProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && (Token.isUnresolved(value) || ORGANIZATION_PATH.test(value))) return undefined;
  return `Invalid organization path ${describe(value)}: expected '<organization ID>/<root ID>/' and OU IDs, each followed by '/', `
    + "optionally ending in '*', like 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'.";
}
