import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ProviderStack } from '../examples/provider-stack';
import { AllowedPrincipal, ConnectionApproval, InterfaceEndpoint, MissingEndpoints, PrivateEndpointService } from '../src';

// Deployable in any account: the deploying account provides the service, creates two interface
// endpoints to it in a second stack, and a third stack approves exactly one of them (its ID handed
// over as a cross-stack reference), owned by this account only. The other one is never listed.
const app = new App();
const provider = new ProviderStack(app, 'PrivateLinkApprovalProvider', { consumerAccountIds: [] });
provider.service.allowPrincipals(AllowedPrincipal.account(provider.account));
const serviceId = provider.service.vpcEndpointServiceId;

const consumer = new Stack(app, 'PrivateLinkApprovalConsumer');
const vpc = new ec2.Vpc(consumer, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'endpoints', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
});
const service = new ec2.InterfaceVpcEndpointService(provider.service.vpcEndpointServiceName, 443);
const endpoint = new InterfaceEndpoint(consumer, 'Endpoint', { vpc, service, privateDnsEnabled: false });
// The same account, the same VPC, the same service: only the ID tells it apart from the listed one.
const unlisted = new InterfaceEndpoint(consumer, 'UnlistedEndpoint', { vpc, service, privateDnsEnabled: false });

const approvals = new Stack(app, 'PrivateLinkApprovals');
new ConnectionApproval(approvals, 'Approval', {
  service: PrivateEndpointService.fromEndpointServiceId(approvals, 'Service', serviceId),
  endpointIds: [endpoint.vpcEndpointId],
  allowedOwners: [approvals.account],
  missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(2)),
});

const integ = new IntegTest(app, 'ApprovalInteg', { testCases: [provider, consumer, approvals] });
const wait = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) };

// The service asks for acceptance: without it, every endpoint would connect whatever the approval does.
integ.assertions.awsApiCall('EC2', 'describeVpcEndpointServiceConfigurations', { ServiceIds: [serviceId] })
  .expect(ExpectedResult.objectLike({
    ServiceConfigurations: [Match.objectLike({ ServiceId: serviceId, AcceptanceRequired: true })],
  }));

// The approved endpoint carries traffic: its connection was accepted.
integ.assertions.awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [endpoint.vpcEndpointId] })
  .assertAtPath('VpcEndpoints.0.State', ExpectedResult.stringLikeRegexp('^available$'))
  .waitForAssertions(wait)
  .next(connectionOf(endpoint.vpcEndpointId, 'available'))
  // Checked after the listed one was accepted, so after the approval ran: the unlisted request is still pending.
  .next(connectionOf(unlisted.vpcEndpointId, 'pendingAcceptance'))
  .next(integ.assertions.awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [unlisted.vpcEndpointId] })
    .assertAtPath('VpcEndpoints.0.State', ExpectedResult.stringLikeRegexp('^pendingAcceptance$')));
// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();

/** The one connection of the service from the endpoint, in the given state. */
function connectionOf(endpointId: string, state: string) {
  const filters = [{ Name: 'service-id', Values: [serviceId] }, { Name: 'vpc-endpoint-id', Values: [endpointId] }];
  return integ.assertions.awsApiCall('EC2', 'describeVpcEndpointConnections', { Filters: filters })
    .expect(ExpectedResult.objectLike({
      VpcEndpointConnections: [Match.objectLike({ ServiceId: serviceId, VpcEndpointId: endpointId, VpcEndpointState: state })],
    }));
}
