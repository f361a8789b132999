import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describe, fail, methodName, validateAccountId, validateOrganizationId, validateOrganizationPath } from '../validation';

/** Which side of a request a condition key describes. */
export enum PerimeterSide {
  /** The principal that makes the request (`aws:Principal...` keys). */
  IDENTITY = 'Principal',
  /** The resource the request is made to (`aws:Resource...` keys). */
  RESOURCE = 'Resource',
}

/** One condition of a data perimeter statement, such as `StringEquals` on `aws:PrincipalOrgID`. */
export interface PerimeterCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

enum ScopeKind {
  ORGANIZATION = 'OrgID',
  ORGANIZATION_PATHS = 'OrgPaths',
  ACCOUNTS = 'Account',
  STACK_ACCOUNT = 'StackAccount',
}

const FACTORY: Record<ScopeKind, string> = {
  [ScopeKind.ORGANIZATION]: 'organization',
  [ScopeKind.ORGANIZATION_PATHS]: 'organizationPaths',
  [ScopeKind.ACCOUNTS]: 'accounts',
  [ScopeKind.STACK_ACCOUNT]: 'stackAccount',
};

/**
 * The AWS accounts a data perimeter trusts: an organization, organizational units, or
 * accounts. Used for trusted identities (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
 * `aws:PrincipalAccount`) and trusted resources (`aws:ResourceOrgID`, `aws:ResourceOrgPaths`,
 * `aws:ResourceAccount`).
 */
export class TrustedScope {
  /** The accounts of an AWS Organization, by its ID like `o-a1b2c3d4e5`. */
  public static organization(organizationId: string): TrustedScope {
    return new TrustedScope(ScopeKind.ORGANIZATION, [organizationId]);
  }

  /**
   * The accounts below organizational units, by their AWS Organizations paths, such as
   * `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*` (matched with `ForAnyValue:StringLike`).
   */
  public static organizationPaths(paths: string[]): TrustedScope {
    return new TrustedScope(ScopeKind.ORGANIZATION_PATHS, paths);
  }

  /** The given AWS accounts, by 12-digit ID. */
  public static accounts(accountIds: string[]): TrustedScope {
    return new TrustedScope(ScopeKind.ACCOUNTS, accountIds);
  }

  /** The account of the stack that holds the endpoint. */
  public static stackAccount(): TrustedScope {
    return new TrustedScope(ScopeKind.STACK_ACCOUNT, []);
  }

  private constructor(private readonly kind: ScopeKind, private readonly values: string[]) {}

  /**
   * Checks the values and returns the condition that keeps `side` inside this scope.
   * @internal
   */
  public _condition(scope: IConstruct, side: PerimeterSide): PerimeterCondition {
    if (!Array.isArray(this.values)) fail(scope, `${methodName(FACTORY[this.kind], 'TrustedScope')} got ${describe(this.values)}: expected a list.`);
    const values = [...new Set(this.values)];
    switch (this.kind) {
      case ScopeKind.ORGANIZATION:
        values.forEach(value => validateOrganizationId(scope, value));
        return { operator: 'StringEquals', key: `aws:${side}OrgID`, values };
      case ScopeKind.ORGANIZATION_PATHS:
        if (values.length === 0) fail(scope, `${methodName('organizationPaths', 'TrustedScope')} got no paths: expected at least one.`);
        values.forEach(value => validateOrganizationPath(scope, value));
        return { operator: 'ForAnyValue:StringLike', key: `aws:${side}OrgPaths`, values };
      case ScopeKind.ACCOUNTS:
        if (values.length === 0) fail(scope, `${methodName('accounts', 'TrustedScope')} got no account IDs: expected at least one.`);
        values.forEach(value => validateAccountId(scope, value, `account ID in ${methodName('accounts', 'TrustedScope')}`));
        return { operator: 'StringEquals', key: `aws:${side}Account`, values };
      case ScopeKind.STACK_ACCOUNT:
        return { operator: 'StringEquals', key: `aws:${side}Account`, values: [Stack.of(scope).account] };
    }
  }
}
