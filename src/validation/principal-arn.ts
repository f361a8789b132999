import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { methodName } from './caller-names';
import { fail } from './errors';
import { isAccountId } from './formats';
import { literalText } from './literal-shape';
import { partitionOf, partitionProblem } from './partition';

// Principal ARNs and ARN patterns, checked component by component. IAM's ArnLike matches each of
// the six colon-separated components of an ARN on its own, with `*` and `?` as wildcards, so a
// wildcard in the partition or account component matches principals of other accounts.
//
// Token strings (`${Token[...]}` markers) contain no ':' or '/': in an ARN written with all six
// components, a token stands for (part of) one component, and the other, literal components are
// checked as in a literal ARN. A component that contains a token is not checked, except that a
// literal wildcard next to a token is still a wildcard. A token can add colons but never remove
// one, so more than six components is wrong whatever the tokens are, and with fewer than six the
// position of every component from the first token on is unknown.

/** The ARN components, in order. */
const COMPONENTS = ['prefix', 'partition', 'service', 'Region', 'account', 'resource'] as const;
const WILDCARD = /[*?]/;
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;

/** Resource types that `aws:PrincipalArn` can hold, by service (AWS global condition keys reference). */
const PATTERN_RESOURCE_TYPES: Record<string, readonly string[]> = {
  iam: ['role/', 'user/', 'root'],
  sts: ['federated-user/'],
};

const PATTERN_EXPECTED = "expected an IAM or STS principal ARN: 'arn:<partition>:iam::<12-digit account>:role/<path/><name>', "
  + "':user/<path/><name>', ':root', or 'arn:<partition>:sts::<12-digit account>:federated-user/<name>', "
  + "with wildcards (* or ?) only in the path and name, like 'arn:aws:iam::123456789012:role/app-*'";

/** What a principal ARN is checked for. */
export interface PrincipalArnOptions {
  /** How the value is called in messages, such as `principal ARN` or `exempt principal ARN`. */
  readonly what?: string;
  /** Where the value was given, such as `GatewayEndpointPolicy.forPrincipalArns()`; added to messages. */
  readonly where?: string;
  /** The partition the ARN must be in; unchecked when undefined or a token. */
  readonly partition?: string;
}

/** An ARN split at its colons, with what can be known of each component. */
interface ArnComponents {
  readonly parts: string[];
  /** The index of the first component that contains a token, or `parts.length` when none does. */
  readonly firstToken: number;
}

/** Whether `text` contains a token. */
function hasToken(text: string): boolean {
  return Token.isUnresolved(text);
}

/** The first wildcard (`*` or `?`) in the literal parts of `text`, if any. */
export function literalWildcard(text: string): string | undefined {
  return WILDCARD.exec(literalText(text))?.[0];
}

function split(arn: string): ArnComponents {
  const parts = arn.split(':');
  const firstToken = parts.findIndex(hasToken);
  return { parts, firstToken: firstToken === -1 ? parts.length : firstToken };
}

/**
 * Why the components of `arn` cannot be told apart, as the reason part of a message; `undefined`
 * when they can. More than six components is always wrong; fewer than six is wrong unless a token
 * may supply the missing ones, and then no literal wildcard may follow the first token, since its
 * component is unknown.
 */
function componentCountProblem(components: ArnComponents): string | undefined {
  const { parts, firstToken } = components;
  if (parts.length > 6) return `it has ${parts.length} colon-separated components, expected six (its resource part has a ':')`;
  if (parts.length === 6) return undefined;
  if (firstToken === parts.length) return `it has ${parts.length} of the six colon-separated ARN components`;
  const wildcard = literalWildcard(parts.slice(firstToken).join(':'));
  if (wildcard) {
    return `it has the wildcard '${wildcard}' after a token, with fewer than six colon-separated components, so it cannot `
      + 'be told which component the wildcard is in; write all six components, with the token in one of them';
  }
  return undefined;
}

/** The literal text of `text` before its first token (all of it when it has none). */
function literalStart(text: string): string {
  const at = text.search(/\$\{Token\[/);
  return at === -1 ? text : text.slice(0, at);
}

/** Whether the first component is `arn`, or, when it contains a token, starts like it. */
function startsLikeArn(components: ArnComponents): boolean {
  const first = components.parts[0];
  return checkable(components, 0) ? first === 'arn' : 'arn'.startsWith(literalStart(first));
}

/** Whether component `index` of `components` can be checked: its position is known and it has no token. */
function checkable(components: ArnComponents, index: number): boolean {
  return index < components.parts.length && index < components.firstToken;
}

function accountWildcardReason(account: string): string {
  return `the account '${account}' has a wildcard, so the ARN matches principals of other AWS accounts `
    + "(IAM's ArnLike matches each colon-separated component on its own); expected a 12-digit account ID or a token";
}

/**
 * Why `arn` is not a safe pattern for `aws:PrincipalArn` (matched with `ArnLike`), as a full
 * sentence; `undefined` when it is one.
 *
 * Rules: six colon-separated components; `arn`; a partition of `PARTITIONS` (the stack's, when
 * known); service `iam` (resource `role/...`, `user/...` or `root`) or `sts` (`federated-user/...`);
 * an empty Region; an account of exactly 12 digits. Wildcards (`*`, `?`) only in the resource part,
 * after its literal resource type. A component that contains a token is not checked, but a literal
 * wildcard in the account is refused even next to a token. A value wholly a token is accepted.
 */
export function principalArnPatternProblem(arn: string, options: PrincipalArnOptions = {}): string | undefined {
  const what = options.what ?? 'principal ARN';
  const where = options.where ? ` in ${options.where}` : '';
  const invalid = (reason: string) => `Invalid ${what} '${arn}'${where}: ${reason}.`;
  if (hasToken(arn) && literalText(arn) === '') return undefined;

  const components = split(arn);
  const { parts } = components;
  const countProblem = componentCountProblem(components);
  if (countProblem) return invalid(`${countProblem}; ${PATTERN_EXPECTED}`);
  if (!startsLikeArn(components)) return invalid(`it does not start with 'arn:'; ${PATTERN_EXPECTED}`);
  // A wildcard in the account matches other accounts, whatever tokens are next to it.
  if (parts.length === 6 && literalWildcard(parts[4])) {
    return invalid(`${accountWildcardReason(parts[4])}, with wildcards only in the name, like 'arn:aws:iam::123456789012:role/app-*'`);
  }
  for (const index of [1, 2, 3]) {
    const wildcard = index < parts.length ? literalWildcard(parts[index]) : undefined;
    if (wildcard && (checkable(components, index) || parts.length === 6)) {
      return invalid(`the ${COMPONENTS[index]} '${parts[index]}' has the wildcard '${wildcard}'; wildcards are allowed only in `
        + `the path and name, since elsewhere they match principals of other partitions or services; ${PATTERN_EXPECTED}`);
    }
  }
  if (checkable(components, 1)) {
    const problem = partitionProblem(parts[1], arn, options.partition);
    if (problem) return problem;
  }
  const service = checkable(components, 2) ? parts[2] : undefined;
  if (service !== undefined && !PATTERN_RESOURCE_TYPES[service]) {
    return invalid(`the service '${service}' is neither 'iam' nor 'sts': aws:PrincipalArn holds the ARN of an IAM role or user, `
      + `an account's root user or an STS federated user; ${PATTERN_EXPECTED}`);
  }
  if (checkable(components, 3) && parts[3] !== '') {
    return invalid(`it has the Region '${parts[3]}', but IAM and STS principal ARNs have none ('arn:aws:iam::...'); ${PATTERN_EXPECTED}`);
  }
  if (checkable(components, 4) && !isAccountId(parts[4])) {
    return `Invalid account ID '${parts[4]}' in ${what} '${arn}'${where}: expected exactly 12 digits (0-9), like '123456789012'.`;
  }
  if (parts.length < 6) return undefined;
  const resource = parts[5];
  if (/^assumed-role(\/|$)/.test(resource)) {
    return invalid("it is a role session ARN (assumed-role), but for a role session aws:PrincipalArn holds the role's ARN, so it "
      + "would never match; expected 'arn:<partition>:iam::<12-digit account>:role/<path/><name>'");
  }
  return resourceProblem(resource, service, invalid);
}

/** Why the resource part of a principal ARN pattern is wrong, with `invalid` making the message. */
function resourceProblem(resource: string, service: string | undefined, invalid: (reason: string) => string): string | undefined {
  const types = service === undefined ? Object.values(PATTERN_RESOURCE_TYPES).flat() : PATTERN_RESOURCE_TYPES[service];
  const start = literalStart(resource);
  const complete = hasToken(resource) ? undefined : resource;
  const type = types.find(t => start.startsWith(t));
  const describeTypes = types.map(t => `'${t}${t.endsWith('/') ? '...' : ''}'`).join(', ');
  const expected = `expected the resource part to start with one of ${describeTypes} for ${service ?? 'iam or sts'}, `
    + "literally, with wildcards only after it (such as 'role/*' for every role of the account)";
  if (!type) {
    // With a token in the resource, the literal start may still become a resource type.
    if (complete === undefined && !literalWildcard(start) && types.some(t => t.startsWith(start))) return undefined;
    return invalid(`the resource '${resource}' is not a principal of ${service ?? 'IAM or STS'}; ${expected}`);
  }
  if (type === 'root' && complete !== undefined && complete !== 'root') {
    return invalid(`the resource '${resource}' is not 'root'; ${expected}`);
  }
  if (type.endsWith('/') && complete !== undefined && complete.length === type.length) {
    return invalid(`the resource '${resource}' has no name after '${type}'; expected a name (wildcards allowed) after it`);
  }
  return undefined;
}

/**
 * Why `arn` is not the ARN of one IAM role or user (`kind`) that EC2 endpoint service permissions
 * take, as a full sentence; `undefined` when it is one. Rules: `arn:<partition>:iam::<account>:<kind>/<name>`
 * with a partition of `PARTITIONS` (the stack's, when known), an account of 12 digits, no path,
 * a name of IAM's characters, and no wildcards anywhere. Components that contain a token are not
 * checked, but literal wildcards are refused anywhere, also next to a token. A value wholly a
 * token is accepted.
 */
export function iamPrincipalArnProblem(arn: string, kind: 'role' | 'user', options: PrincipalArnOptions = {}): string | undefined {
  const expected = `expected 'arn:<partition>:iam::<12-digit account>:${kind}/<name>' with no path`;
  const invalid = (reason: string) => `Invalid ${kind} ARN '${arn}': ${reason}.`;
  if (hasToken(arn) && literalText(arn) === '') return undefined;

  const components = split(arn);
  const { parts } = components;
  const typePrefix = `${kind}/`;
  const resource = parts.length === 6 ? parts[5] : undefined;
  const countProblem = componentCountProblem(components);
  if (countProblem) return invalid(`${countProblem}; ${expected}`);
  if (!startsLikeArn(components)) return invalid(`it does not start with 'arn:'; ${expected}`);
  if (checkable(components, 2) && parts[2] !== 'iam') return invalid(`the service '${parts[2]}' is not 'iam'; ${expected}`);
  if (checkable(components, 3) && parts[3] !== '') return invalid(`it has the Region '${parts[3]}', but IAM ARNs have none; ${expected}`);
  if (resource !== undefined && !resourceMayStartWith(resource, typePrefix)) {
    return invalid(`the resource '${resource}' is not '${typePrefix}<name>'; ${expected}`);
  }
  if (checkable(components, 1)) {
    const problem = partitionProblem(parts[1], arn, options.partition);
    if (problem) return problem;
  }
  // Wildcards anywhere, also next to a token: in the account it would be any account.
  const wildcard = literalWildcard(arn);
  if (wildcard) {
    return invalid(`it has the wildcard '${wildcard}', but endpoint service permissions take exact principal ARNs, not `
      + `patterns (give one ${methodName(kind, 'AllowedPrincipal')} per ${kind}); ${expected}`);
  }
  if (checkable(components, 4) && !isAccountId(parts[4])) {
    return `Invalid account ID '${parts[4]}' in ${kind} ARN '${arn}': expected exactly 12 digits (0-9), like '123456789012'.`;
  }
  const name = resource?.slice(typePrefix.length);
  // Token markers never contain '/': a '/' in the name is a literal path.
  if (name?.includes('/')) return invalid(`it has a path; EC2 refuses principals with paths, ${expected}`);
  if (name !== undefined && !hasToken(name) && !IAM_NAME.test(name)) {
    return invalid(`'${name}' is not a valid ${kind} name; ${expected}`);
  }
  return undefined;
}

/** Whether a resource part, which may contain tokens, may start with `prefix`. */
function resourceMayStartWith(resource: string, prefix: string): boolean {
  const start = literalStart(resource);
  return start.startsWith(prefix) || (hasToken(resource) && prefix.startsWith(start));
}

/**
 * Fails unless `arn` is a safe pattern for `aws:PrincipalArn`, in the partition of `scope`'s
 * stack; see {@link principalArnPatternProblem}.
 */
export function validatePrincipalArnPattern(scope: IConstruct, arn: string, options: PrincipalArnOptions = {}): void {
  const problem = principalArnPatternProblem(arn, { partition: partitionOf(scope), ...options });
  if (problem) fail(scope, problem);
}

/**
 * Fails unless `arn` is the ARN of one IAM role or user, without path or wildcards, in the
 * partition of `scope`'s stack; see {@link iamPrincipalArnProblem}.
 */
export function validateIamPrincipalArn(scope: IConstruct, arn: string, kind: 'role' | 'user'): void {
  const problem = iamPrincipalArnProblem(arn, kind, { partition: partitionOf(scope) });
  if (problem) fail(scope, problem);
}
