import { App } from 'aws-cdk-lib';
import { ProviderStack } from './provider-stack';

const app = new App();
new ProviderStack(app, 'PrivateLinkProvider', {
  consumerAccountIds: ['111111111111', '222222222222'],
  consumerRoleArn: 'arn:aws:iam::333333333333:role/payments-consumer',
  privateDnsName: 'payments.internal.example.com',
});
app.synth();
