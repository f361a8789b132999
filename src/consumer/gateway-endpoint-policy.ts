import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { isAccountId } from '../validation/formats';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

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
 */
export class GatewayEndpointPolicy {
  /** Allows principals whose ARN matches one of `arns` (`ArnLike` on `aws:PrincipalArn`, wildcards allowed). */
  public static forPrincipalArns(arns: string[], options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    const values = nonEmpty(arns, 'arns', "a principal ARN like 'arn:aws:iam::123456789012:role/app'");
    for (const arn of values) {
      if (!Token.isUnresolved(arn) && !arn.startsWith('arn:')) {
        throw new Error(`Invalid principal ARN '${arn}': expected an ARN like 'arn:aws:iam::123456789012:role/app'.`);
      }
    }
    return statement(options, 'ArnLike', 'aws:PrincipalArn', values);
  }

  /** Allows the principals of the given AWS accounts (`StringEquals` on `aws:PrincipalAccount`). */
  public static forAccounts(accountIds: string[], options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    const values = nonEmpty(accountIds, 'accountIds', "a 12-digit account ID like '123456789012'");
    for (const id of values) {
      if (!Token.isUnresolved(id) && !isAccountId(id)) {
        throw new Error(`Invalid AWS account ID '${id}': expected exactly 12 digits (0-9), like '123456789012'.`);
      }
    }
    return statement(options, 'StringEquals', 'aws:PrincipalAccount', values);
  }

  /** Allows the principals of the accounts in an AWS Organization (`StringEquals` on `aws:PrincipalOrgID`). */
  public static forOrganization(organizationId: string, options: GatewayEndpointPolicyOptions): iam.PolicyStatement {
    if (!Token.isUnresolved(organizationId) && !ORGANIZATION_ID.test(organizationId)) {
      throw new Error(`Invalid organization ID '${organizationId}': expected 'o-' followed by 10 to 32 lowercase `
        + "letters or digits, like 'o-a1b2c3d4e5'.");
    }
    return statement(options, 'StringEquals', 'aws:PrincipalOrgID', [organizationId]);
  }

  private constructor() {}
}

function nonEmpty(values: string[], name: string, expected: string): string[] {
  if (values.length === 0) throw new Error(`${name} is empty: expected at least one, ${expected}.`);
  return [...new Set(values)];
}

function statement(options: GatewayEndpointPolicyOptions, operator: string, key: string, values: string[]): iam.PolicyStatement {
  if (options.actions.length === 0) {
    throw new Error("actions is empty: expected at least one action, like 's3:GetObject'.");
  }
  if (options.resources?.length === 0) {
    throw new Error("resources is empty: expected at least one resource ARN, or leave it out for '*'.");
  }
  return new iam.PolicyStatement({
    sid: options.sid,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: options.actions,
    resources: options.resources ?? ['*'],
    conditions: { [operator]: { [key]: values.length === 1 ? values[0] : values } },
  });
}
