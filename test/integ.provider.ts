import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicies } from 'aws-cdk-lib';
import { ProviderStack } from '../examples/provider-stack';
import { AllowedPrincipal } from '../src';

// Deployable in any account: the deploying account is the only consumer, and the
// private DNS name stays pending verification (no hosted zone is needed).
const app = new App();
const stack = new ProviderStack(app, 'PrivateLinkProviderInteg', {
  consumerAccountIds: [],
  privateDnsName: 'integ.cdk-privatelink.example.com',
});
stack.service.allowPrincipals(AllowedPrincipal.account(stack.account));
new IntegTest(app, 'ProviderInteg', { testCases: [stack] });
// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();
