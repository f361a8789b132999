import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ProviderStack } from '../examples/provider-stack';
import { AllowedPrincipal, ConnectionApproval, MissingEndpoints, PrivateEndpointService } from '../src';

// Deployable in any account: the deploying account provides the service, creates an
// interface endpoint to it in a second stack, and a third stack approves exactly that
// endpoint's ID (handed over as a cross-stack reference), owned by this account only.
const app = new App();
const provider = new ProviderStack(app, 'PrivateLinkApprovalProvider', { consumerAccountIds: [] });
provider.service.allowPrincipals(AllowedPrincipal.account(provider.account));

const consumer = new Stack(app, 'PrivateLinkApprovalConsumer');
const vpc = new ec2.Vpc(consumer, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'endpoints', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
});
const endpoint = vpc.addInterfaceEndpoint('Endpoint', {
  service: new ec2.InterfaceVpcEndpointService(provider.service.vpcEndpointServiceName, 443),
  privateDnsEnabled: false,
});

const approvals = new Stack(app, 'PrivateLinkApprovals');
new ConnectionApproval(approvals, 'Approval', {
  service: PrivateEndpointService.fromEndpointServiceId(approvals, 'Service', provider.service.vpcEndpointServiceId),
  endpointIds: [endpoint.vpcEndpointId],
  allowedOwners: [approvals.account],
  missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(2)),
});

const integ = new IntegTest(app, 'ApprovalInteg', { testCases: [provider, consumer, approvals] });
// The approved endpoint carries traffic: its connection was accepted.
integ.assertions.awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [endpoint.vpcEndpointId] })
  .assertAtPath('VpcEndpoints.0.State', ExpectedResult.stringLikeRegexp('^available$'))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });
app.synth();
