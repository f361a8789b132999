import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WorkloadAccessStack } from '../../examples/workload-access-stack';
import { CertificateCondition, RolesAnywhereAccess, TrustAnchorSource } from '../../src';

test('the example workload role is assumable only through the trust anchor by CN=payments-batch, O=Example Corp', () => {
  const stack = new WorkloadAccessStack(new App(), 'Workload');
  const template = Template.fromStack(stack);
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  const [statement] = roles[0].Properties.AssumeRolePolicyDocument.Statement;
  expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toHaveLength(1);
  expect(statement.Principal).toEqual({ Service: 'rolesanywhere.amazonaws.com' });
  expect(statement.Condition.ArnEquals['aws:SourceArn']).toEqual(stack.resolve(stack.access.trustAnchorArn));
  expect(statement.Condition.StringEquals).toMatchObject({
    'aws:PrincipalTag/x509Subject/CN': 'payments-batch',
    'aws:PrincipalTag/x509Subject/O': 'Example Corp',
  });
  const policy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policy).toContain('s3:GetObject');
  expect(policy).toContain('sqs:SendMessage');
  template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
    Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: readFileSync(join(__dirname, '../../examples/workload-ca.pem'), 'utf8').trim() } },
  });
  expect(Object.keys(template.findOutputs('*')).some(id => id.includes('CredentialProcess'))).toBe(true);
});

test('RolesAnywhereAccess has no unacknowledged cdk-nag AwsSolutions findings on its own resources', () => {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: '111111111111', region: 'eu-west-1' } });
  const access = new RolesAnywhereAccess(stack, 'Access', {
    source: TrustAnchorSource.fromCertificateBundle(readFileSync(join(__dirname, '../../examples/workload-ca.pem'), 'utf8')),
  });
  access.addRole('Batch', { certificateConditions: [CertificateCondition.subjectCommonName('batch')] });
  expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
});

test('Tags.of() tags the trust anchor, the profile and the roles', () => {
  const stack = new WorkloadAccessStack(new App(), 'Workload');
  Tags.of(stack.access).add('team', 'payments');
  const template = Template.fromStack(stack);
  for (const type of ['AWS::RolesAnywhere::TrustAnchor', 'AWS::RolesAnywhere::Profile', 'AWS::IAM::Role']) {
    template.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: 'team', Value: 'payments' }]) });
  }
});
