import { Annotations, Stack } from 'aws-cdk-lib';
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
    return new EndpointPolicyDefault('awsDefault', '');
  }

  /**
   * Principals of the stack's account, to resources of the stack's account, and AWS service
   * principals: the data perimeter of one account.
   */
  public static sameAccount(): EndpointPolicyDefault {
    return new EndpointPolicyDefault('sameAccount', '', { trustedIdentities: TrustedScope.stackAccount() });
  }

  /**
   * Principals of the organization, to resources of the organization, and AWS service
   * principals: the default endpoint policy of the AWS data perimeter guidance.
   */
  public static sameOrganization(organizationId: string): EndpointPolicyDefault {
    return new EndpointPolicyDefault('sameOrganization', `'${organizationId}'`, { trustedIdentities: TrustedScope.organization(organizationId) });
  }

  /** A data perimeter of your choice. */
  public static dataPerimeter(options: DataPerimeterOptions): EndpointPolicyDefault {
    return new EndpointPolicyDefault('dataPerimeter', '', options);
  }

  private constructor(
    private readonly factory: string,
    private readonly argument: string,
    private readonly perimeter?: DataPerimeterOptions,
  ) {}

  /** The factory call that made this default, as the caller's language writes it, such as `EndpointPolicyDefault.sameAccount()`. */
  public get description(): string {
    return `${methodName(this.factory, 'EndpointPolicyDefault').slice(0, -1)}${this.argument})`;
  }

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

/** Condition keys that narrow who may use an endpoint. */
const IDENTITY_KEYS = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:principalisawsservice'];

/**
 * Warns, at synthesis, of each Allow statement added to a data perimeter that names no identity
 * condition: the endpoint policy allows what any statement allows, so such a statement lets
 * principals of any account through again.
 */
function warnOfWideningStatements(scope: IConstruct, added: readonly iam.PolicyStatement[]): void {
  scope.node.addValidation({
    validate: () => {
      for (const statement of added.map(s => Stack.of(scope).resolve(s.toStatementJson()))) {
        if (statement.Effect !== 'Allow') continue;
        const keys = Object.values(statement.Condition ?? {}).flatMap(block => Object.keys(block as object)).map(key => key.toLowerCase());
        if (keys.some(key => IDENTITY_KEYS.includes(key))) continue;
        Annotations.of(scope).addWarningV2('cdk-privatelink:perimeterWidened',
          `Endpoint policy statement ${JSON.stringify(statement)} allows principals of any account, next to the data perimeter of `
          + `${propName('defaultPolicy')}: the endpoint allows what any statement allows. Add an identity condition `
          + '(aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn), or acknowledge this warning if that is intended.');
      }
      return [];
    },
  });
}

/**
 * Adds the statements of `perimeter` with `add`, and returns the list to which the endpoint adds
 * every later statement: each of those that names no identity is warned of at synthesis.
 */
export function startPerimeter(
  scope: IConstruct, perimeter: EndpointPolicyDefault, add: (statement: iam.PolicyStatement) => void,
): iam.PolicyStatement[] {
  perimeter._statements(scope).forEach(add);
  const added: iam.PolicyStatement[] = [];
  warnOfWideningStatements(scope, added);
  return added;
}
