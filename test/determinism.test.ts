import { App } from 'aws-cdk-lib';
import { ProviderStack } from '../examples/provider-stack';

function synthesizeExample(): string {
  const app = new App();
  const stack = new ProviderStack(app, 'Provider', {
    consumerAccountIds: ['111111111111', '222222222222'],
    consumerRoleArn: 'arn:aws:iam::333333333333:role/consumer',
    privateDnsName: 'api.example.com',
    approvedEndpointIds: ['vpce-0a1b2c3d4e5f60718', 'vpce-1a2b3c4d'],
  });
  return JSON.stringify(app.synth().getStackByName(stack.stackName).template);
}

test('the same app synthesizes byte-identical templates', () => {
  const first = synthesizeExample();
  expect(first).toContain('AWS::EC2::VPCEndpointService');
  expect(first).toContain('Custom::VpcEndpointConnectionApproval');
  expect(synthesizeExample()).toBe(first);
});
