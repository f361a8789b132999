import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ProviderStack } from '../examples/provider-stack';
import { ConnectionApproval, EndpointRemoval, MissingEndpoints, PrivateEndpointService } from '../src';

test('the example provider stack has no unacknowledged cdk-nag AwsSolutions findings', () => {
  const app = new App();
  const stack = new ProviderStack(app, 'Provider', {
    consumerAccountIds: ['111111111111'],
    consumerRoleArn: 'arn:aws:iam::333333333333:role/consumer',
    privateDnsName: 'api.example.com',
    approvedEndpointIds: ['vpce-0a1b2c3d4e5f60718'],
  });
  expect(stack.node.tryFindChild('CdkPrivateLinkConnectionApproval')).toBeDefined();
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations).toEqual([]);
  // The private DNS name is set by the library's handler: no AwsCustomResource, two functions in all.
  const template = Template.fromStack(stack);
  template.resourceCountIs('Custom::VpcEndpointServicePrivateDnsName', 1);
  template.resourceCountIs('Custom::AWS', 0);
  template.resourceCountIs('AWS::Lambda::Function', 2);
});

test('a stack with only a standalone approval has no unacknowledged cdk-nag AwsSolutions findings', () => {
  const app = new App();
  const stack = new Stack(app, 'Approvals', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', 'vpce-svc-0123456789abcdef0'),
    endpointIds: ['vpce-0a1b2c3d4e5f60718'],
    onRemoval: EndpointRemoval.REJECT,
  });
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations).toEqual([]);
});

test('a stack with late arrivals and rejections has no unacknowledged cdk-nag AwsSolutions findings', () => {
  const app = new App();
  const stack = new Stack(app, 'LateArrivals', { env: { account: '111111111111', region: 'eu-west-1' } });
  const approval = new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', 'vpce-svc-0123456789abcdef0'),
    endpointIds: ['vpce-0a1b2c3d4e5f60718'],
    rejectUnlisted: true,
    onRemoval: EndpointRemoval.REJECT,
    missingEndpoints: MissingEndpoints.acceptOnArrival(),
  });
  expect(approval.deadLetterQueue).toBeDefined();
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations).toEqual([]);

  // The one acknowledgment of permissions on *, on the handler function only, names both actions.
  const handler = stack.node.findChild('CdkPrivateLinkConnectionApproval').node.findChild('Handler');
  const reasons = handler.node.metadata
    .filter(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map(entry => (entry.data as Record<string, string>)['AwsSolutions-IAM5[Resource::*]'])
    .filter(reason => reason !== undefined);
  expect(reasons).toHaveLength(1);
  expect(reasons[0]).toContain('cloudformation:ListExports');
  expect(reasons[0]).toContain('ec2:DescribeVpcEndpointConnections');
});
