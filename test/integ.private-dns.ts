import { ActualResult, ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CustomResource, RemovalPolicies, Stack, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { isolatedVpc } from '../examples/isolated-vpc';
import { AllowedPrincipal, PrivateEndpointService } from '../src';

// Deployable in any account and Region: no hosted zone, so the name stays pending verification,
// and the library's handler gives the TXT record to publish as attributes and stack outputs.
const PRIVATE_DNS_NAME = 'integ-dns.cdk-privatelink.example.com';

const app = new App();
const stack = new Stack(app, 'PrivateLinkPrivateDnsInteg');
const vpc = isolatedVpc(stack, 'service');
const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
Validations.of(nlb).acknowledge({ id: 'AwsSolutions-ELB2', reason: 'Integ test load balancer without traffic: no access logs needed.' });
const service = new PrivateEndpointService(stack, 'Service', {
  networkLoadBalancers: [nlb],
  allowedPrincipals: [AllowedPrincipal.account(stack.account)],
  privateDnsName: PRIVATE_DNS_NAME,
});
const dns = service.privateDns!;
const serviceId = service.vpcEndpointServiceId;

const integ = new IntegTest(app, 'PrivateDnsInteg', { testCases: [stack] });

// EC2 has the name, pending verification, with the TXT record the handler answered with.
const configuration = { ServiceIds: [serviceId] };
integ.assertions.awsApiCall('EC2', 'describeVpcEndpointServiceConfigurations', configuration)
  .expect(ExpectedResult.objectLike({
    ServiceConfigurations: [Match.objectLike({
      ServiceId: serviceId,
      AcceptanceRequired: true,
      PrivateDnsName: PRIVATE_DNS_NAME,
      PrivateDnsNameConfiguration: {
        State: 'pendingVerification',
        Type: 'TXT',
        Name: dns.verificationRecordName,
        Value: dns.verificationRecordValue,
      },
    })],
  }));

// The state the handler reported at the deployment. (ExpectedResult.exact() is not used: the assertion handler of
// integ-tests-alpha does not decode it, and compares the wrapped value.)
integ.assertions.expect('VerificationStateAttribute', ExpectedResult.stringLikeRegexp('^pendingVerification$'),
  ActualResult.fromCustomResource(dns.node.findChild('Resource') as CustomResource, 'VerificationState'));

// The stack outputs are the record to publish, as EC2 reports it: `<label>.<name>` and its value.
const live = integ.assertions.awsApiCall('EC2', 'describeVpcEndpointServiceConfigurations', configuration);
const recordLabel = live.getAttString('ServiceConfigurations.0.PrivateDnsNameConfiguration.Name');
const recordValue = live.getAttString('ServiceConfigurations.0.PrivateDnsNameConfiguration.Value');
expectOutput('ServicePrivateDnsNameVerificationRecordName', `${recordLabel}.${PRIVATE_DNS_NAME}`);
expectOutput('ServicePrivateDnsNameVerificationRecordValue', recordValue);
// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();

function expectOutput(outputKey: string, outputValue: string): void {
  integ.assertions.awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
    .expect(ExpectedResult.objectLike({
      Stacks: [Match.objectLike({ Outputs: Match.arrayWith([Match.objectLike({ OutputKey: outputKey, OutputValue: outputValue })]) })],
    }));
}
