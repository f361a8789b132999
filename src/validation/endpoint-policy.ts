import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { describe } from './enum-value';
import { fail } from './errors';
import { literalShape, shortestText } from './literal-shape';
import { organizationPathProblem } from './organization';
import { partitionOf } from './partition';
import { principalArnPatternProblem } from './principal-arn';

/** The largest endpoint policy AWS PrivateLink takes, in characters. */
export const MAX_ENDPOINT_POLICY_CHARACTERS = 20_480;

/** Which rules an endpoint policy statement must follow. */
export type EndpointKind = 'interface' | 'gateway';

/** Checks of a statement's inputs that a factory recorded, run when the statement is added to an endpoint. */
const DEFERRED_CHECKS = new WeakMap<iam.PolicyStatement, (scope: IConstruct) => string | undefined>();

/**
 * Records a check of the inputs `statement` was made from, for factories that have no scope
 * (such as `GatewayEndpointPolicy`): `check` returns the problem as a full sentence, or
 * `undefined`, for the endpoint `scope` the statement is added to, and
 * {@link validateEndpointPolicyStatement} fails with it, with that endpoint's path.
 */
export function deferStatementCheck(statement: iam.PolicyStatement, check: (scope: IConstruct) => string | undefined): void {
  DEFERRED_CHECKS.set(statement, check);
}

/** The problem {@link deferStatementCheck} recorded for `statement`, for an endpoint `scope`; `undefined` when none. */
export function deferredStatementProblem(scope: IConstruct, statement: iam.PolicyStatement): string | undefined {
  return DEFERRED_CHECKS.get(statement)?.(scope);
}

/**
 * Fails on a statement whose factory recorded a problem with its inputs (see
 * {@link deferStatementCheck}), on an endpoint policy statement without a `Principal`, and, for
 * a gateway endpoint, on any `Principal` other than `*` (the AWS PrivateLink guide requires `*` there).
 */
export function validateEndpointPolicyStatement(scope: IConstruct, statement: iam.PolicyStatement, kind: EndpointKind): void {
  const problem = deferredStatementProblem(scope, statement);
  if (problem) fail(scope, problem);
  const json = statement.toStatementJson();
  const what = `Endpoint policy statement ${json.Sid ? `'${json.Sid}' ` : ''}${describe(json)}`;
  if (json.NotPrincipal) fail(scope, `${what} uses NotPrincipal: expected a Principal.`);
  if (!statement.hasPrincipal) {
    fail(scope, `${what} has no Principal: expected one, such as new iam.AnyPrincipal() with conditions that narrow it.`);
  }
  if (kind === 'gateway' && !isEveryone(json.Principal)) {
    fail(scope, `${what} names a principal: a gateway endpoint policy must use Principal '*' `
      + '(AWS PrivateLink guide); restrict it with aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID '
      + 'conditions, for example with GatewayEndpointPolicy.');
  }
}

/**
 * Checks the rendered policy again at synthesis, after every statement had its last change:
 * each statement has a Principal (`*` for a gateway endpoint), and the policy has at most
 * 20,480 characters. CloudFormation references are counted as empty, so a policy is refused
 * only when it is too long whatever they resolve to.
 */
export function validateEndpointPolicyAtSynth(scope: IConstruct, document: iam.PolicyDocument, kind: EndpointKind): void {
  scope.node.addValidation({
    validate: () => {
      if (document.isEmpty) return [];
      const json = Stack.of(scope).resolve(document.toJSON());
      const errors: string[] = [];
      for (const statement of json.Statement ?? []) {
        if (statement.Principal === undefined || statement.NotPrincipal !== undefined) {
          errors.push(`Endpoint policy statement ${JSON.stringify(statement)} has no Principal: expected one.`);
        } else if (kind === 'gateway' && !isEveryone(statement.Principal)) {
          errors.push(`Endpoint policy statement ${JSON.stringify(statement)} names a principal: a gateway endpoint policy must use Principal '*'.`);
        }
        errors.push(...conditionProblems(scope, statement));
      }
      // A CloudFormation reference counts as an empty string: the policy has at least this many characters.
      const minimum = JSON.stringify(json, (_key, value) => isIntrinsic(value) ? shortestText(value) : value).length;
      if (minimum > MAX_ENDPOINT_POLICY_CHARACTERS) {
        errors.push(`The endpoint policy has ${isExact(json) ? '' : 'at least '}${minimum} characters: expected at most `
          + `${MAX_ENDPOINT_POLICY_CHARACTERS}. Merge statements, or use fewer resources and conditions.`);
      }
      return errors;
    },
  });
}

/**
 * The problems of the principal conditions of a rendered statement, as the template will have
 * them (whatever built the statement, and whatever tokens built its values): an `aws:PrincipalArn`
 * pattern that can match principals of other accounts, or an organization path that is no path.
 */
function conditionProblems(scope: IConstruct, statement: { Sid?: string; Condition?: Record<string, Record<string, unknown>> }): string[] {
  const problems: string[] = [];
  const where = `endpoint policy statement${statement.Sid ? ` '${statement.Sid}'` : ''}`;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, given] of Object.entries(keys ?? {})) {
      const name = key.toLowerCase();
      for (const value of Array.isArray(given) ? given : [given]) {
        const shape = literalShape(scope, value);
        if (shape === undefined) continue;
        if (name === 'aws:principalarn') {
          const problem = principalArnPatternProblem(shape, { partition: partitionOf(scope), where: `${operator} of ${where}` });
          if (problem) problems.push(problem);
        } else if (name === 'aws:principalorgpaths' || name === 'aws:resourceorgpaths') {
          const problem = organizationPathProblem(shape);
          if (problem) problems.push(`${problem} (${key} in ${where})`);
        }
      }
    }
  }
  return problems;
}

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function isExact(json: unknown): boolean {
  return !/"(Ref|Fn::[A-Za-z]+)"/.test(JSON.stringify(json));
}

function isEveryone(principal: unknown): boolean {
  return principal === '*' || (typeof principal === 'object' && principal !== null
    && Object.keys(principal).length === 1 && (principal as Record<string, unknown>).AWS === '*');
}
