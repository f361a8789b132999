import { App } from 'aws-cdk-lib';
import { ProviderStack } from '../examples/provider-stack';

function synthesizeExample(): string {
  const app = new App();
  const stack = new ProviderStack(app, 'Provider', {
    consumerAccountIds: ['111111111111', '222222222222'],
    consumerRoleArn: 'arn:aws:iam::333333333333:role/consumer',
    privateDnsName: 'api.example.com',
  });
  return JSON.stringify(app.synth().getStackByName(stack.stackName).template);
}

test('the same app synthesizes byte-identical templates', () => {
  const first = synthesizeExample();
  expect(first).toContain('AWS::EC2::VPCEndpointService');
  expect(synthesizeExample()).toBe(first);
});
