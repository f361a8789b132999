import { CfnElement, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InterfaceEndpoint, InterfaceEndpointMetricOptions } from '../../src';
import { newStack, validationErrorOf } from '../helpers';
import { rendered } from './rendered-metric';

/**
 * Copied from the AWS PrivateLink guide, "CloudWatch metrics for AWS PrivateLink", endpoint metrics
 * and dimensions (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html):
 * every metric of AWS/PrivateLinkEndpoints has the dimensions "Endpoint Type, Service Name, VPC
 * Endpoint Id, VPC Id" and "Endpoint Type, Service Name, Subnet Id, VPC Endpoint Id, VPC Id". The
 * statistic is the (first) most useful one the guide names; PacketsDropped's Sum is also the
 * statistic of the CloudWatch recommended alarm.
 */
const NAMESPACE = 'AWS/PrivateLinkEndpoints';
const DIMENSIONS = [
  ['Endpoint Type', 'Service Name', 'VPC Endpoint Id', 'VPC Id'],
  ['Endpoint Type', 'Service Name', 'Subnet Id', 'VPC Endpoint Id', 'VPC Id'],
];
const GUIDE: Record<string, { statistic: string; dimensions: string[][] }> = {
  ActiveConnections: { statistic: 'Average', dimensions: DIMENSIONS },
  BytesProcessed: { statistic: 'Sum', dimensions: DIMENSIONS },
  NewConnections: { statistic: 'Sum', dimensions: DIMENSIONS },
  PacketsDropped: { statistic: 'Sum', dimensions: DIMENSIONS },
  RstPacketsReceived: { statistic: 'Sum', dimensions: DIMENSIONS },
};
const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const SUBNET = 'subnet-0123456789abcdef0';

const METHODS: Record<string, (endpoint: InterfaceEndpoint, props?: InterfaceEndpointMetricOptions) => cloudwatch.Metric> = {
  ActiveConnections: (endpoint, props) => endpoint.metricActiveConnections(props),
  BytesProcessed: (endpoint, props) => endpoint.metricBytesProcessed(props),
  NewConnections: (endpoint, props) => endpoint.metricNewConnections(props),
  PacketsDropped: (endpoint, props) => endpoint.metricPacketsDropped(props),
  RstPacketsReceived: (endpoint, props) => endpoint.metricRstPacketsReceived(props),
};

function newEndpoint(service: ec2.IInterfaceVpcEndpointService = new ec2.InterfaceVpcEndpointService(PARTNER, 443)) {
  const stack = newStack({ env: { account: '222222222222', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc, endpoint: new InterfaceEndpoint(stack, 'Endpoint', { vpc, service }) };
}


describe.each(Object.entries(GUIDE))('%s of AWS/PrivateLinkEndpoints', (metricName, guide) => {
  test('by default: the namespace, the name, the endpoint\'s four dimensions, and the guide\'s statistic over 5 minutes', () => {
    const { stack, vpc, endpoint } = newEndpoint();
    const cfnEndpoint = endpoint.node.findChild('Resource').node.defaultChild as CfnElement;
    expect(rendered(stack, METHODS[metricName](endpoint))).toEqual({
      namespace: NAMESPACE,
      metricName,
      dimensions: {
        'Endpoint Type': 'Interface',
        'Service Name': PARTNER,
        'VPC Endpoint Id': { Ref: stack.getLogicalId(cfnEndpoint) },
        'VPC Id': stack.resolve(vpc.vpcId),
      },
      statistic: guide.statistic,
      period: 300,
    });
    expect(rendered(stack, endpoint.metric(metricName))).toEqual(rendered(stack, METHODS[metricName](endpoint)));
  });

  test.each(guide.dimensions.map(d => [d.join(', '), d]))('published with %s: exactly these dimensions', (_, dimensions) => {
    const { stack, endpoint } = newEndpoint();
    const metric = rendered(stack, METHODS[metricName](endpoint, dimensions.includes('Subnet Id') ? { subnetId: SUBNET } : {}));
    expect(Object.keys(metric.dimensions).sort()).toEqual([...dimensions].sort());
    expect(metric.statistic).toBe(guide.statistic);
  });

  test('props change the statistic and the period, not the dimensions', () => {
    const { stack, endpoint } = newEndpoint();
    const metric = rendered(stack, METHODS[metricName](endpoint, { statistic: cloudwatch.Stats.percentile(99), period: Duration.minutes(1) }));
    expect(metric).toEqual(expect.objectContaining({ namespace: NAMESPACE, metricName, statistic: 'p99', period: 60 }));
    expect(Object.keys(metric.dimensions).sort()).toEqual(DIMENSIONS[0]);
  });

  test('a dimensionsMap is refused', () => {
    const { endpoint } = newEndpoint();
    const error = validationErrorOf(() => METHODS[metricName](endpoint, { dimensionsMap: { 'VPC Endpoint Id': 'vpce-0123456789abcdef0' } }));
    expect(error.message).toContain(`The ${metricName} metric got dimensionsMap {"VPC Endpoint Id":"vpce-0123456789abcdef0"}`);
  });
});

test('an AWS service endpoint has the service\'s name as Service Name', () => {
  const { stack, endpoint } = newEndpoint(ec2.InterfaceVpcEndpointAwsService.SSM);
  expect(rendered(stack, endpoint.metricBytesProcessed()).dimensions['Service Name']).toEqual(stack.resolve(ec2.InterfaceVpcEndpointAwsService.SSM.name));
});

test('the subnet ID becomes Subnet Id; a token passes', () => {
  const { stack, vpc, endpoint } = newEndpoint();
  const subnet = vpc.isolatedSubnets[0];
  expect(rendered(stack, endpoint.metricPacketsDropped({ subnetId: subnet.subnetId })).dimensions['Subnet Id']).toEqual(stack.resolve(subnet.subnetId));
  expect(rendered(stack, endpoint.metricPacketsDropped({ subnetId: SUBNET })).dimensions['Subnet Id']).toBe(SUBNET);
});

test('another metric name is refused, naming the five; EndpointsCount is a metric of services', () => {
  const { endpoint } = newEndpoint();
  for (const name of ['EndpointsCount', 'RstPacketsSent', 'packetsDropped']) {
    const error = validationErrorOf(() => endpoint.metric(name));
    expect(error.message).toContain(`got the metric name '${name}', which AWS/PrivateLinkEndpoints does not publish`);
    expect(error.message).toContain('expected one of ActiveConnections, BytesProcessed, NewConnections, PacketsDropped, RstPacketsReceived');
  }
});

test.each<[string, unknown, string]>([
  ['a subnet name', 'private', "subnetId of the PacketsDropped metric is 'private'"],
  ['an upper-case subnet ID', 'subnet-0123456789ABCDEF0', "is 'subnet-0123456789ABCDEF0'"],
  ['a number', 7, "subnetId (dimension 'Subnet Id' of PacketsDropped) is 7: expected a string"],
])('a bad subnet ID is refused: %s', (_, subnetId, message) => {
  const { endpoint } = newEndpoint();
  expect(validationErrorOf(() => endpoint.metricPacketsDropped({ subnetId: subnetId as string })).message).toContain(message);
});
