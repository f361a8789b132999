import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ProviderStack } from '../examples/provider-stack';

test('the example provider stack has no unacknowledged cdk-nag AwsSolutions findings', () => {
  const app = new App();
  const stack = new ProviderStack(app, 'Provider', { consumerAccountIds: ['111111111111'], privateDnsName: 'api.example.com' });
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations).toEqual([]);
});
