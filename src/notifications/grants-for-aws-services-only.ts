import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Adds the key policy statement of Control Tower's CT.KMS.PR.3 to a key the library creates: nobody may
 * create a grant on it unless the grant is for an AWS resource or the caller is an AWS service. No path of
 * the library needs a grant (SNS, CloudWatch Logs and the handler use the key policy), so this only takes
 * away a way to hand the key to principals that the key policy does not name.
 */
export function allowGrantsOnlyForAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}
