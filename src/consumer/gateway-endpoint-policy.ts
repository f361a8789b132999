import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { methodName, propName } from '../validation/caller-names';
import { deferStatementCheck } from '../validation/endpoint-policy';
import { describe } from '../validation/enum-value';
import { isAccountId } from '../validation/formats';
import { isOrganizationId } from '../validation/organization';
import { partitionOf } from '../validation/partition';
import { invalidAction } from '../validation/policy-action';
import { principalArnPatternProblem } from '../validation/principal-arn';


/** What a {@link GatewayEndpointPolicy} statement allows. */
export interface GatewayEndpointPolicyOptions {
  /** The actions to allow, such as `s3:GetObject` or `dynamodb:Query`. */
  readonly actions: string[];

  /**
   * The resources the actions are allowed on.
   * @default ['*']
   */
  readonly resources?: string[];

  /**
   * The statement ID.
   * @default - no statement ID
   */
  readonly sid?: string;
}

/**
 * Statements for a gateway endpoint policy. AWS requires Principal `*` in gateway endpoint
 * policies, so each statement allows `*` and narrows it with a condition on the principal.
 *
 * The factories have no construct, so they do not throw: the inputs are checked when the
 * statement is added to an endpoint (`policyStatements`, or `addToPolicy()` of a
 * `GatewayEndpoint` or `InterfaceEndpoint`), and a bad input fails there with a
 * `PrivateLinkValidationError` that names the value, what is expected and the endpoint's path,
 * like every other check of this library. A statement that is never added to an endpoint is not
 * checked (statements with bad actions have no actions at all, so any other policy refuses them).
 */
export class GatewayEndpointPolicy {
  /**
   * Allows principals whose ARN matches one of `arns` (`ArnLike` on `aws:PrincipalArn`).
   *
   * Each ARN is an IAM role (`arn:<partition>:iam::<account>:role/<path/><name>`), user
   * (`:user/<path/><name>`), account root user (`:root`) or STS federated user
   * (`arn:<partition>:sts::<account>:federated-user/<name>`), in the endpoint's partition, with all
   * six colon-separated components. Wildcards (`*`, `?`) are allowed in the path and name only:
   * in the account or partition they would match principals of other accounts (`ArnLike` matches
   * each component on its own), so the account is exactly 12 digits or a token. Role session ARNs
   * (`assumed-role`) are refused: for a session, `aws:PrincipalArn` is the role's ARN. In an ARN
   * with tokens, the literal components are checked the same way; an ARN that is wholly a token
   * is taken as it is. Checked when the statement is added to an endpoint.
   */
  public static forPrincipalArns(arns: string[], options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    const method = () => methodName('forPrincipalArns', 'GatewayEndpointPolicy');
    const values = unique(arns);
    return statement(options, method, 'ArnLike', 'aws:PrincipalArn', values, scope =>
      emptyProblem(arns, 'arns', method(), "a principal ARN like 'arn:aws:iam::123456789012:role/app'")
      ?? firstProblem(values, arn => principalArnPatternProblem(arn, { partition: partitionOf(scope), where: method() })));
  }

  /**
   * Allows the principals of the given AWS accounts (`StringEquals` on `aws:PrincipalAccount`).
   * Each account ID is exactly 12 digits, or a token. Checked when the statement is added to an endpoint.
   */
  public static forAccounts(accountIds: string[], options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    const method = () => methodName('forAccounts', 'GatewayEndpointPolicy');
    const values = unique(accountIds);
    return statement(options, method, 'StringEquals', 'aws:PrincipalAccount', values, () =>
      emptyProblem(accountIds, 'accountIds', method(), "a 12-digit account ID like '123456789012'")
      ?? firstProblem(values, id => Token.isUnresolved(id) || isAccountId(id) ? undefined
        : `Invalid AWS account ID '${id}' in ${method()}: expected exactly 12 digits (0-9), like '123456789012'.`));
  }

  /**
   * Allows the principals of the accounts in an AWS Organization (`StringEquals` on `aws:PrincipalOrgID`).
   * The ID is `o-` and 10 to 32 lowercase letters or digits, or a token. Checked when the statement
   * is added to an endpoint.
   */
  public static forOrganization(organizationId: string, options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    const method = () => methodName('forOrganization', 'GatewayEndpointPolicy');
    return statement(options, method, 'StringEquals', 'aws:PrincipalOrgID', [organizationId], () =>
      typeof organizationId === 'string' && (Token.isUnresolved(organizationId) || isOrganizationId(organizationId)) ? undefined
        : `Invalid organization ID ${describe(organizationId)} in ${method()}: expected 'o-' followed by 10 to 32 lowercase `
          + "letters or digits, like 'o-a1b2c3d4e5'.");
  }

  private constructor() {}
}

/** The values once each; nothing when `values` is not a list (the check reports that). */
function unique(values: unknown): string[] {
  return Array.isArray(values) ? [...new Set(values)] : [];
}

function emptyProblem(values: unknown, name: string, method: string, expected: string): string | undefined {
  if (!Array.isArray(values)) return `${propName(name)} of ${method} is ${describe(values)}: expected a list, each ${expected}.`;
  return values.length === 0 ? `${propName(name)} of ${method} is empty: expected at least one, ${expected}.` : undefined;
}

function firstProblem(values: string[], problem: (value: string) => string | undefined): string | undefined {
  for (const value of values) {
    const found = typeof value === 'string' ? problem(value) : `Invalid value ${describe(value)}: expected a string.`;
    if (found) return found;
  }
  return undefined;
}

/** Why `options` cannot make a statement, as a full sentence; `undefined` when they can. */
function optionsProblem(options: GatewayEndpointPolicyOptions, method: string): string | undefined {
  if (options.actions.length === 0) {
    return `${propName('actions')} of ${method} is empty: expected at least one action, like 's3:GetObject'.`;
  }
  if (!Array.isArray(options.actions)) return `${propName('actions')} of ${method} is ${describe(options.actions)}: expected a list of actions.`;
  const action = invalidAction(options.actions);
  if (action !== undefined) {
    return `Invalid action ${describe(action)} in ${method}: expected a service prefix, a colon and an action name `
      + "(wildcards '*' allowed), like 's3:GetObject', or '*'.";
  }
  if (options.resources?.length === 0) {
    return `${propName('resources')} of ${method} is empty: expected at least one resource ARN, or leave it out for '*'.`;
  }
  const resource = options.resources?.find(r => !Token.isUnresolved(r) && r !== '*' && !r.startsWith('arn:'));
  if (resource !== undefined) {
    return `Invalid resource '${resource}' in ${method}: expected an ARN like 'arn:aws:s3:::my-bucket/*', or '*'.`;
  }
  return undefined;
}

function statement(
  options: GatewayEndpointPolicyOptions,
  method: () => string,
  operator: string,
  key: string,
  values: string[],
  valuesProblem: (scope: IConstruct) => string | undefined,
): iam.PolicyStatement {
  // A copy, so that the check sees the inputs the statement was made from.
  const given: GatewayEndpointPolicyOptions = {
    sid: options.sid,
    actions: Array.isArray(options.actions) ? [...options.actions] : options.actions,
    resources: Array.isArray(options.resources) ? [...options.resources] : options.resources,
  };
  const actionsValid = Array.isArray(given.actions) && invalidAction(given.actions) === undefined;
  const result = new iam.PolicyStatement({
    sid: given.sid,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    // iam.PolicyStatement throws a plain Error on a bad action: leave them out, the check below reports them.
    actions: actionsValid ? given.actions : [],
    resources: given.resources ?? ['*'],
    conditions: { [operator]: { [key]: values.length === 1 ? values[0] : values } },
  });
  deferStatementCheck(result, scope => valuesProblem(scope) ?? optionsProblem(given, method()));
  return result;
}
