import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records that a policy validation rule (such as a cdk-nag finding) is acknowledged on
 * `scope` and its children, with the reason. Writes the metadata that
 * `Validations.of(scope).acknowledge()` writes, but also takes finding IDs such as
 * `AwsSolutions-IAM4[Policy::arn:...]` that older aws-cdk-lib versions refuse there.
 * A rule already acknowledged on `scope` is not recorded again.
 */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  if (scope.node.metadata.some(entry => entry.type === key && id in entry.data)) return;
  scope.node.addMetadata(key, { [id]: reason });
}

/** The rule ID prefixes of cdk-nag's compliance packs (besides `AwsSolutions`). */
export const NIST_800_53_R5 = 'NIST.800.53.R5';
export const HIPAA_SECURITY = 'HIPAA.Security';
export const PCI_DSS_321 = 'PCI.DSS.321';

/** {@link acknowledgeRule} of the same cdk-nag rule (such as `IAMNoInlinePolicy`) in each of `packs`. */
export function acknowledgeRuleInPacks(scope: IConstruct, rule: string, packs: readonly string[], reason: string): void {
  for (const pack of packs) acknowledgeRule(scope, `${pack}-${rule}`, reason);
}
