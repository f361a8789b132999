import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  fail, iamPrincipalArnProblem, isAccountId, literalShape, partitionOf, validateAccountId, validateIamPrincipalArn,
} from '../validation';

/** What kind of principal an {@link AllowedPrincipal} is. */
export enum AllowedPrincipalType {
  /** Every principal in an AWS account (`arn:<partition>:iam::<account>:root`). */
  ACCOUNT = 'ACCOUNT',
  /** One IAM role. */
  ROLE = 'ROLE',
  /** One IAM user. */
  USER = 'USER',
  /** An AWS service principal, such as `elasticloadbalancing.amazonaws.com`. */
  SERVICE = 'SERVICE',
  /** Everyone (`*`): any AWS account can request a connection. */
  EVERYONE = 'EVERYONE',
}

const SERVICE_PRINCIPAL = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.amazonaws\.com(\.cn)?$/;

/**
 * A principal that may create endpoints that connect to an endpoint service.
 *
 * Made only through the static factories, so every value is checked: account IDs are
 * 12 digits, role and user ARNs have no path (EC2 refuses ARNs with paths) and no wildcards
 * (`*` or `?`), and "everyone" is a deliberate choice.
 */
export class AllowedPrincipal {
  /**
   * Every principal in the AWS account `accountId` (exactly 12 digits, or a token).
   * Becomes `arn:<partition>:iam::<accountId>:root` with the stack's partition.
   */
  public static account(accountId: string): AllowedPrincipal {
    return new AllowedPrincipal(AllowedPrincipalType.ACCOUNT, accountId);
  }

  /**
   * One IAM role, by ARN: `arn:<partition>:iam::<account>:role/<name>`, without a path or
   * wildcards (`*`, `?`). The account is 12 digits or a token. When the ARN contains tokens (such
   * as `Aws.ACCOUNT_ID`), its literal parts are checked as in a literal ARN: partition (the
   * stack's), service `iam`, resource type `role/`, no path and no wildcard. A value that is
   * wholly a token is taken as it is.
   */
  public static role(roleArn: string): AllowedPrincipal {
    return new AllowedPrincipal(AllowedPrincipalType.ROLE, roleArn);
  }

  /**
   * One IAM user, by ARN: `arn:<partition>:iam::<account>:user/<name>`, without a path or
   * wildcards (`*`, `?`). Checked like {@link AllowedPrincipal.role}, with resource type `user/`.
   */
  public static user(userArn: string): AllowedPrincipal {
    return new AllowedPrincipal(AllowedPrincipalType.USER, userArn);
  }

  /**
   * An AWS service principal, such as `elasticloadbalancing.amazonaws.com`.
   */
  public static servicePrincipal(service: string): AllowedPrincipal {
    return new AllowedPrincipal(AllowedPrincipalType.SERVICE, service);
  }

  /**
   * Everyone (`*`). Any AWS account can then request a connection, so the service
   * must keep acceptance required (anything else is refused at synth time), and the
   * construct adds a warning that you acknowledge to confirm the choice.
   */
  public static everyone(): AllowedPrincipal {
    return new AllowedPrincipal(AllowedPrincipalType.EVERYONE, '*');
  }

  private constructor(
    /** What kind of principal this is. */
    public readonly type: AllowedPrincipalType,
    /** The value given to the factory (`*` for everyone). */
    public readonly value: string,
  ) {}

  /**
   * Whether this principal is, or may turn out at deploy time to be, everyone (`*`):
   * `everyone()`, or a role, user or service given wholly as an unresolved token.
   * @internal
   */
  public _mayBeEveryone(): boolean {
    switch (this.type) {
      case AllowedPrincipalType.EVERYONE:
        return true;
      case AllowedPrincipalType.ROLE:
      case AllowedPrincipalType.USER:
        return Token.isUnresolved(this.value) && !this.value.startsWith('arn:');
      case AllowedPrincipalType.SERVICE:
        return Token.isUnresolved(this.value) && !this.value.endsWith('.amazonaws.com');
      case AllowedPrincipalType.ACCOUNT:
        return false;
    }
  }

  /**
   * The problems of `arn` (what {@link _render} returned) as the template will have it: tokens
   * such as `Fn.join` or `Lazy.string` may have hidden a wildcard or a wrong shape at first.
   * @internal
   */
  public _problemsAsSynthesized(scope: IConstruct, arn: string): string[] {
    if (this.type === AllowedPrincipalType.EVERYONE || this.type === AllowedPrincipalType.SERVICE) return [];
    const shape = literalShape(scope, arn) ?? arn;
    if (this.type === AllowedPrincipalType.ACCOUNT) {
      const account = /^arn:[^:]*:iam::([^:]*):root$/.exec(shape)?.[1];
      return account !== undefined && (Token.isUnresolved(account) || isAccountId(account)) ? []
        : [`Invalid account ID for an allowed principal: it becomes '${shape}' in the template; expected exactly 12 digits.`];
    }
    const problem = iamPrincipalArnProblem(shape, this.type === AllowedPrincipalType.ROLE ? 'role' : 'user', { partition: partitionOf(scope) });
    return problem ? [`${problem} (as synthesized)`] : [];
  }

  /**
   * Checks the value and returns the principal ARN (or `*`, or the service name) that
   * `AWS::EC2::VPCEndpointServicePermissions` takes, in the partition of `scope`'s stack.
   * @internal
   */
  public _render(scope: IConstruct): string {
    switch (this.type) {
      case AllowedPrincipalType.ACCOUNT:
        validateAccountId(scope, this.value, 'account ID for an allowed principal');
        return `arn:${partitionOf(scope)}:iam::${this.value}:root`;
      case AllowedPrincipalType.ROLE:
      case AllowedPrincipalType.USER:
        validateIamPrincipalArn(scope, this.value, this.type === AllowedPrincipalType.ROLE ? 'role' : 'user');
        return this.value;
      case AllowedPrincipalType.SERVICE:
        if (!Token.isUnresolved(this.value) && !SERVICE_PRINCIPAL.test(this.value)) {
          fail(scope, `Invalid service principal '${this.value}': expected a service name like 'elasticloadbalancing.amazonaws.com'.`);
        }
        return this.value;
      case AllowedPrincipalType.EVERYONE:
        return '*';
    }
  }
}
