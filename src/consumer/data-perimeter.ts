import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { PerimeterCondition, PerimeterSide, TrustedScope } from './trusted-scope';
import { describe, fail, invalidAction, methodName, propName, validateBoolean, validateList } from '../validation';

/** What an endpoint policy's data perimeter lets through. */
export interface DataPerimeterOptions {
  /** The accounts whose principals may use the endpoint. */
  readonly trustedIdentities: TrustedScope;

  /**
   * The accounts whose resources those principals may reach through the endpoint.
   * @default - the same accounts as `trustedIdentities`
   */
  readonly trustedResources?: TrustedScope;

  /**
   * Whether to check the resource's account too. Turn it off only for services whose actions
   * do not support `aws:ResourceOrgID` and `aws:ResourceAccount` (Amazon EventBridge), where
   * the resource condition would deny every request.
   * @default true
   */
  readonly restrictResources?: boolean;

  /**
   * Whether to allow requests that AWS services make with their service principals
   * (`aws:PrincipalIsAWSService`), as the AWS data perimeter guidance's default endpoint policy
   * does: some services that work inside your network need it.
   * @default true
   */
  readonly allowAwsServicePrincipals?: boolean;

  /**
   * The actions the trusted identities may call.
   * @default ['*']
   */
  readonly actions?: string[];
}

/**
 * Endpoint policy statements that keep data inside a perimeter, after the default endpoint
 * policy of the AWS data perimeter guidance (`aws-samples/data-perimeter-policy-examples`):
 * requests of trusted identities to trusted resources, and of AWS service principals. Each
 * statement has Principal `*`, so they fit interface and gateway endpoints alike.
 */
export class DataPerimeter {
  /**
   * The perimeter statements: `AllowTrustedIdentitiesToTrustedResources` (identity and resource
   * conditions in one statement, so both must hold) and, unless turned off,
   * `AllowAwsServicePrincipals`. Problems are reported on `scope`.
   */
  public static statements(scope: IConstruct, options: DataPerimeterOptions): iam.PolicyStatement[] {
    if (!(options.trustedIdentities instanceof TrustedScope)) {
      fail(scope, `${propName('trustedIdentities')} is missing or not a TrustedScope: expected one, such as ${methodName('organization', 'TrustedScope')}.`);
    }
    const restrictResources = validateBoolean(scope, 'restrictResources', options.restrictResources) ?? true;
    if (!restrictResources && options.trustedResources) {
      fail(scope, `${propName('trustedResources')} is given with ${propName('restrictResources')}: false: expected one of them.`);
    }
    const actions = options.actions ?? ['*'];
    validateList(scope, 'actions', actions, "actions like 's3:GetObject'");
    if (actions.length === 0) fail(scope, `${propName('actions')} is empty: expected at least one action, or leave it out for '*'.`);
    const invalid = invalidAction(actions);
    if (invalid !== undefined) fail(scope, `Invalid action ${describe(invalid)} in ${propName('actions')}: expected 'service:Action' (wildcards allowed) or '*'.`);
    if (options.trustedResources !== undefined && !(options.trustedResources instanceof TrustedScope)) {
      fail(scope, `${propName('trustedResources')} is ${describe(options.trustedResources)}: expected a TrustedScope, such as `
        + `${methodName('organization', 'TrustedScope')}.`);
    }
    const conditions = [
      options.trustedIdentities._condition(scope, PerimeterSide.IDENTITY),
      ...restrictResources ? [(options.trustedResources ?? options.trustedIdentities)._condition(scope, PerimeterSide.RESOURCE)] : [],
    ];
    const statements = [new iam.PolicyStatement({
      sid: 'AllowTrustedIdentitiesToTrustedResources',
      principals: [new iam.StarPrincipal()],
      actions,
      resources: ['*'],
      conditions: merged(conditions),
    })];
    if (validateBoolean(scope, 'allowAwsServicePrincipals', options.allowAwsServicePrincipals) ?? true) {
      statements.push(new iam.PolicyStatement({
        sid: 'AllowAwsServicePrincipals',
        principals: [new iam.StarPrincipal()],
        actions,
        resources: ['*'],
        conditions: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
      }));
    }
    return statements;
  }

  private constructor() {}
}

/** The conditions as one IAM condition block: keys under the same operator share it. */
function merged(conditions: PerimeterCondition[]): Record<string, Record<string, string | string[]>> {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const { operator, key, values } of conditions) {
    block[operator] = { ...block[operator], [key]: values.length === 1 ? values[0] : values };
  }
  return block;
}
