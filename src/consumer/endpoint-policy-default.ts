import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DataPerimeter, DataPerimeterOptions } from './data-perimeter';
import { TrustedScope } from './trusted-scope';
import { describe, fail, methodName, propName } from '../validation';

/**
 * The statements every endpoint policy of a construct starts with. Statements from
 * `policyStatements` and `addToPolicy()` are added to them.
 */
export class EndpointPolicyDefault {
  /**
   * No statements: without statements of your own the endpoint has no policy, which AWS
   * treats as full access to the service (any principal, any action, any resource).
   */
  public static awsDefault(): EndpointPolicyDefault {
    return new EndpointPolicyDefault('awsDefault()');
  }

  /**
   * Principals of the stack's account, to resources of the stack's account, and AWS service
   * principals: the data perimeter of one account.
   */
  public static sameAccount(): EndpointPolicyDefault {
    return new EndpointPolicyDefault('sameAccount()', { trustedIdentities: TrustedScope.stackAccount() });
  }

  /**
   * Principals of the organization, to resources of the organization, and AWS service
   * principals: the default endpoint policy of the AWS data perimeter guidance.
   */
  public static sameOrganization(organizationId: string): EndpointPolicyDefault {
    return new EndpointPolicyDefault(`sameOrganization('${organizationId}')`, { trustedIdentities: TrustedScope.organization(organizationId) });
  }

  /** A data perimeter of your choice. */
  public static dataPerimeter(options: DataPerimeterOptions): EndpointPolicyDefault {
    return new EndpointPolicyDefault('dataPerimeter()', options);
  }

  private constructor(
    /** The factory that made this default, for messages. */
    public readonly description: string,
    private readonly perimeter?: DataPerimeterOptions,
  ) {}

  /** Whether this default adds statements (anything but `awsDefault()`). */
  public get hasStatements(): boolean {
    return this.perimeter !== undefined;
  }

  /** Whether the default checks the account of the resource. */
  public get restrictsResources(): boolean {
    return this.perimeter !== undefined && this.perimeter.restrictResources !== false;
  }

  /** @internal */
  public _statements(scope: IConstruct): iam.PolicyStatement[] {
    return this.perimeter ? DataPerimeter.statements(scope, this.perimeter) : [];
  }
}

/** `value` if it is an {@link EndpointPolicyDefault} that adds statements; `undefined` for none or `awsDefault()`. */
export function defaultWithStatements(scope: IConstruct, value: unknown): EndpointPolicyDefault | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof EndpointPolicyDefault)) {
    fail(scope, `${propName('defaultPolicy')} is ${describe(value)}: expected an EndpointPolicyDefault, such as `
      + `${methodName('sameOrganization', 'EndpointPolicyDefault')}.`);
  }
  return value.hasStatements ? value : undefined;
}
