import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allConstructsApp } from './all-constructs-app';
import { isLibraryResource } from './library-resources';
import { ConnectionApproval, MissingEndpoints, PrivateEndpointService, PrivateLinkHandler } from '../../src';

const GRANTS_ONLY_FOR_AWS_SERVICES = {
  Sid: 'GrantsOnlyForAwsServices',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

test('every key the library creates denies kms:CreateGrant unless for an AWS resource or by an AWS service (CT.KMS.PR.3)', () => {
  const { stacks } = allConstructsApp();
  const libraryKeys = stacks.flatMap(stack => stack.node.findAll()
    .filter((c): c is kms.CfnKey => c instanceof kms.CfnKey && isLibraryResource(c))
    .map(key => ({ path: key.node.path, statements: stack.resolve(key.keyPolicy).Statement })));
  // Each way the library makes a key: the service's and the endpoint's notifications, the late arrivals and the enforcement topics.
  expect(libraryKeys.map(key => key.path).sort()).toEqual([
    'Consumer/Partner/PartnerEvents/TopicKey/Resource',
    'Provider/Approval/LateArrivals/TopicKey/Resource',
    'Provider/CdkPrivateLinkConnectionApproval/Enforcement/TopicKey/Resource',
    'Provider/Service/Events/TopicKey/Resource',
  ]);
  for (const key of libraryKeys) expect(key.statements).toContainEqual(GRANTS_ONLY_FOR_AWS_SERVICES);
});

test('the user\'s own keys are left as they are', () => {
  const { provider } = allConstructsApp();
  const statements = provider.resolve((provider.node.findChild('AlarmsKey').node.defaultChild as kms.CfnKey).keyPolicy).Statement;
  expect(statements).not.toContainEqual(GRANTS_ONLY_FOR_AWS_SERVICES);
});

test('with strict CloudFormation validation, the key statements and the log key settings synthesize a valid template', () => {
  const app = new App({ context: { '@aws-cdk/core:strictCfnValidateErrors': true } });
  const stack = new Stack(app, 'Strict', { env: { account: '111111111111', region: 'eu-west-1' } });
  PrivateLinkHandler.configure(stack, { logEncryptionKey: new kms.Key(stack, 'LogKey', { enableKeyRotation: true }), reservedConcurrency: 3 });
  const approval = new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', 'vpce-svc-0123456789abcdef0'),
    endpointIds: ['vpce-0a1b2c3d4e5f60718'],
    missingEndpoints: MissingEndpoints.acceptOnArrival(),
  });
  expect(approval.node.tryFindChild('LateArrivals')).toBeDefined();
  const template = Template.fromStack(stack);
  const libraryKeys = Object.entries(template.findResources('AWS::KMS::Key')).filter(([id]) => !id.startsWith('LogKey'));
  expect(libraryKeys).toHaveLength(2);
  for (const [, key] of libraryKeys) expect(key.Properties.KeyPolicy.Statement).toContainEqual(GRANTS_ONLY_FOR_AWS_SERVICES);
  template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'Strict/cdk-privatelink/handler' });
});
