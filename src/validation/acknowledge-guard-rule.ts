import { CfnResource } from 'aws-cdk-lib';

/** The resource Metadata key under which cfn-guard rules look for suppressions. */
export const GUARD_METADATA_KEY = 'guard';

/** What {@link acknowledgeGuardRule} writes under `Metadata.guard`. */
export interface GuardMetadata {
  /** The cfn-guard rule names, as cfn-guard reports them (such as `lambda_inside_vpc_check`). */
  readonly SuppressedRules: string[];
  /** The reason of each, by rule name. */
  readonly Reasons: Record<string, string>;
}

/**
 * Records in the template that a cfn-guard rule is acknowledged on one resource, with the reason:
 * `Metadata.guard.SuppressedRules` (the convention of the AWS Guard rules registry) and, beside it,
 * `Metadata.guard.Reasons`. The Control Tower rules that `@cdklabs/cdk-validator-cfnguard` bundles do
 * not read it: a report filtered by it is what shows the unacknowledged findings.
 */
export function acknowledgeGuardRule(resource: CfnResource, rule: string, reason: string): void {
  const existing = resource.getMetadata(GUARD_METADATA_KEY) as Partial<GuardMetadata> | undefined;
  // What others wrote there (their suppressions, other keys) is kept.
  const rules = Array.isArray(existing?.SuppressedRules) ? existing.SuppressedRules : [];
  if (rules.includes(rule)) return;
  resource.addMetadata(GUARD_METADATA_KEY, {
    ...existing,
    SuppressedRules: [...rules, rule],
    Reasons: { ...existing?.Reasons, [rule]: reason },
  });
}
