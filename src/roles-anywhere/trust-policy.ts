import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { CertificateCondition } from './certificate-condition';
import { describe, fail, methodName, propName } from '../validation';

/** The service principal of IAM Roles Anywhere. */
export const ROLES_ANYWHERE_PRINCIPAL = 'rolesanywhere.amazonaws.com';

/** The actions a role's trust policy must allow IAM Roles Anywhere. */
export const ROLES_ANYWHERE_TRUST_ACTIONS: readonly string[] = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

/** What a Roles Anywhere trust statement is built from. */
export interface TrustStatementInput {
  /** The ARN of the trust anchor: the only `aws:SourceArn` admitted. */
  readonly trustAnchorArn: string;
  /** The account of the trust anchor: the only `aws:SourceAccount` admitted. */
  readonly account: string;
  /** The certificate conditions, all of which must hold. */
  readonly certificateConditions: readonly CertificateCondition[];
  /** Admit a certificate without a subject or SAN condition. */
  readonly allowAnyCertificateOfTheTrustAnchor?: boolean;
}

/**
 * The `Condition` block of a Roles Anywhere trust statement: `ArnEquals aws:SourceArn`,
 * `StringEquals aws:SourceAccount` and every certificate condition, grouped by operator. All
 * conditions must hold (IAM combines keys and operators with AND). Two conditions on the same key
 * with the same operator and different values are refused: IAM would read a list of values as OR,
 * which would admit more certificates than either condition; a repeated identical condition is
 * kept once.
 */
export function trustConditions(scope: IConstruct, input: TrustStatementInput): Record<string, Record<string, string>> {
  const conditions: unknown = input.certificateConditions;
  if (!Array.isArray(conditions)) {
    fail(scope, `${propName('certificateConditions')} is ${describe(conditions)}: expected a list of CertificateCondition values.`);
  }
  const given = conditions as unknown[];
  for (const condition of given) {
    if (!(condition instanceof CertificateCondition)) {
      fail(scope, `${propName('certificateConditions')} has ${describe(condition)}: expected CertificateCondition values, `
        + `such as ${methodName('subjectCommonName', 'CertificateCondition')}.`);
    }
    condition._validate(scope);
  }
  const certificateConditions = given as CertificateCondition[];
  if (!input.allowAnyCertificateOfTheTrustAnchor && !certificateConditions.some(c => c.identifiesWorkload)) {
    const issuerOnly = certificateConditions.length > 0 ? ' (issuer conditions alone admit every certificate the CA issued)' : '';
    fail(scope, `${propName('certificateConditions')} has no subject or SAN condition${issuerOnly}: expected at least one, such as `
      + `${methodName('subjectCommonName', 'CertificateCondition')} or ${methodName('sanUri', 'CertificateCondition')}, or `
      + `${propName('allowAnyCertificateOfTheTrustAnchor')}: true to let every certificate of the trust anchor assume the role.`);
  }

  const result: Record<string, Record<string, string>> = {
    ArnEquals: { 'aws:SourceArn': input.trustAnchorArn },
    StringEquals: { 'aws:SourceAccount': input.account },
  };
  for (const condition of certificateConditions) {
    const block = result[condition.operator] ??= {};
    const existing = block[condition.key];
    if (existing === undefined) {
      block[condition.key] = condition.value;
    } else if (existing !== condition.value) {
      fail(scope, `${propName('certificateConditions')} has two ${condition.operator} conditions on ${condition.key}, `
        + `${describe(existing)} and ${describe(condition.value)}: expected one value per key, as IAM would admit either `
        + 'value (OR) and the certificates of both workloads could assume the role; give each workload its own role.');
    }
  }
  return result;
}

/**
 * The trust statement that lets IAM Roles Anywhere assume a role for certificates of one trust
 * anchor that match the certificate conditions. See {@link trustConditions} for the rules.
 */
export function trustStatement(scope: IConstruct, input: TrustStatementInput): iam.PolicyStatement {
  const conditions = trustConditions(scope, input);
  return new iam.PolicyStatement({
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal(ROLES_ANYWHERE_PRINCIPAL)],
    actions: [...ROLES_ANYWHERE_TRUST_ACTIONS],
    conditions,
  });
}

/**
 * A principal for `iam.Role`'s `assumedBy` whose trust policy is only `statement`: the role's
 * default statement (`sts:AssumeRole` without conditions) is never added.
 */
export class RolesAnywhereTrustPrincipal extends iam.ServicePrincipal {
  constructor(private readonly statement: iam.PolicyStatement) {
    super(ROLES_ANYWHERE_PRINCIPAL);
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    document.addStatements(this.statement);
  }
}
