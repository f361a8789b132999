import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EndpointServiceMetricOptions, PrivateEndpointService } from '../../src';
import { newNlb, newStack, validationErrorOf } from '../helpers';
import { rendered } from './rendered-metric';

/**
 * Copied from the AWS PrivateLink guide, "CloudWatch metrics for AWS PrivateLink", endpoint service
 * metrics and dimensions (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html),
 * with the RstPacketsSent combination `Service Id, Load Balancer Arn, Az` of the CloudWatch
 * recommended alarms (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#PrivateLinkServices).
 * The statistic is the (first) most useful one the guide names.
 */
const NAMESPACE = 'AWS/PrivateLinkServices';
const TRAFFIC_DIMENSIONS = [
  ['Service Id'],
  ['Az', 'Load Balancer Arn', 'Service Id'],
  ['Az', 'Service Id'],
  ['Load Balancer Arn', 'Service Id'],
  ['Service Id', 'VPC Endpoint Id'],
];
const GUIDE: Record<string, { statistic: string; dimensions: string[][] }> = {
  ActiveConnections: { statistic: 'Average', dimensions: TRAFFIC_DIMENSIONS },
  BytesProcessed: { statistic: 'Sum', dimensions: TRAFFIC_DIMENSIONS },
  EndpointsCount: { statistic: 'Average', dimensions: [['Service Id']] },
  NewConnections: { statistic: 'Sum', dimensions: TRAFFIC_DIMENSIONS },
  RstPacketsSent: { statistic: 'Sum', dimensions: TRAFFIC_DIMENSIONS },
};

const AZ = 'eu-west-1a';
const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/provider/0123456789abcdef';
const CONSUMER_ENDPOINT = 'vpce-0123456789abcdef0';
/** The option that sets each optional dimension, and a value for it. */
const OPTION_OF: Record<string, Partial<EndpointServiceMetricOptions>> = {
  'Az': { availabilityZone: AZ },
  'Load Balancer Arn': { loadBalancerArn: LB_ARN },
  'VPC Endpoint Id': { vpcEndpointId: CONSUMER_ENDPOINT },
};
const OPTIONAL = Object.keys(OPTION_OF);

const METHODS: Record<string, (service: PrivateEndpointService, props?: EndpointServiceMetricOptions) => cloudwatch.Metric> = {
  ActiveConnections: (service, props) => service.metricActiveConnections(props),
  BytesProcessed: (service, props) => service.metricBytesProcessed(props),
  EndpointsCount: (service, props) => service.metricEndpointsCount(props),
  NewConnections: (service, props) => service.metricNewConnections(props),
  RstPacketsSent: (service, props) => service.metricRstPacketsSent(props),
};

function newService(): { stack: Stack; service: PrivateEndpointService } {
  const stack = newStack({ env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, service: new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] }) };
}


/** Every subset of the optional dimensions. */
function subsets(names: string[]): string[][] {
  return names.reduce<string[][]>((all, name) => [...all, ...all.map(subset => [...subset, name])], [[]]);
}

function optionsFor(optional: string[]): EndpointServiceMetricOptions {
  return Object.assign({}, ...optional.map(name => OPTION_OF[name]));
}

describe.each(Object.entries(GUIDE))('%s of AWS/PrivateLinkServices', (metricName, guide) => {
  test('by default: the namespace, the name, Service Id only, and the guide\'s statistic over 5 minutes', () => {
    const { stack, service } = newService();
    expect(rendered(stack, METHODS[metricName](service))).toEqual({
      namespace: NAMESPACE,
      metricName,
      dimensions: { 'Service Id': stack.resolve(service.vpcEndpointServiceId) },
      statistic: guide.statistic,
      period: 300,
    });
    expect(rendered(stack, service.metric(metricName))).toEqual(rendered(stack, METHODS[metricName](service)));
  });

  test.each(guide.dimensions.map(d => [d.join(', '), d]))('published with %s: exactly these dimensions', (_, dimensions) => {
    const { stack, service } = newService();
    const optional = dimensions.filter(name => name !== 'Service Id');
    const metric = rendered(stack, METHODS[metricName](service, optionsFor(optional)));
    expect(Object.keys(metric.dimensions).sort()).toEqual([...dimensions].sort());
    expect(metric.namespace).toBe(NAMESPACE);
    expect(metric.statistic).toBe(guide.statistic);
  });

  const published = new Set(guide.dimensions.map(d => [...d].sort().join('|')));
  const refused = subsets(OPTIONAL).filter(optional => !published.has(['Service Id', ...optional].sort().join('|')));
  test.each(refused.map(optional => [optional.join(' + '), optional]))('refused with %s, naming the metric, the dimensions and what is published', (_, optional) => {
    const { service } = newService();
    const error = validationErrorOf(() => METHODS[metricName](service, optionsFor(optional)));
    expect(error.message).toContain(`does not publish ${metricName} with the dimensions ['Service Id', ${optional.map(n => `'${n}'`).join(', ')}]`);
    expect(error.message).toContain("expected one of ['Service Id']");
  });

  test('props change the statistic and the period, not the namespace, name or dimensions', () => {
    const { stack, service } = newService();
    const metric = rendered(stack, METHODS[metricName](service, { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1), label: 'x' }));
    expect(metric).toEqual(expect.objectContaining({ namespace: NAMESPACE, metricName, statistic: 'Maximum', period: 60 }));
    expect(Object.keys(metric.dimensions)).toEqual(['Service Id']);
  });

  test('a dimensionsMap is refused: the dimensions come from the options', () => {
    const { service } = newService();
    const error = validationErrorOf(() => METHODS[metricName](service, { dimensionsMap: { 'Service Id': 'vpce-svc-other' } }));
    expect(error.message).toContain(`The ${metricName} metric got dimensionsMap {"Service Id":"vpce-svc-other"}`);
    expect(error.message).toContain('expected no dimensionsMap');
  });
});

test('the traffic metrics and EndpointsCount are all there is: another name is refused, naming the five', () => {
  const { service } = newService();
  for (const name of ['PacketsDropped', 'activeConnections', 'EndpointCount', '']) {
    const error = validationErrorOf(() => service.metric(name));
    expect(error.message).toContain(`got the metric name '${name}', which AWS/PrivateLinkServices does not publish`);
    expect(error.message).toContain('expected one of ActiveConnections, BytesProcessed, EndpointsCount, NewConnections, RstPacketsSent');
  }
});

test('the option values become the dimension values; tokens pass', () => {
  const { stack, service } = newService();
  const nlb = stack.node.findChild('Nlb') as elbv2.NetworkLoadBalancer;
  expect(rendered(stack, service.metricRstPacketsSent({ availabilityZone: AZ, loadBalancerArn: nlb.loadBalancerArn })).dimensions).toEqual({
    'Service Id': { Ref: stack.getLogicalId(service.node.defaultChild as CfnElement) },
    'Az': AZ,
    'Load Balancer Arn': { Ref: stack.getLogicalId(nlb.node.defaultChild as CfnElement) },
  });
  expect(rendered(stack, service.metricBytesProcessed({ vpcEndpointId: CONSUMER_ENDPOINT })).dimensions['VPC Endpoint Id']).toBe(CONSUMER_ENDPOINT);
  expect(rendered(stack, service.metricNewConnections({ loadBalancerArn: LB_ARN })).dimensions['Load Balancer Arn']).toBe(LB_ARN);
});

describe('bad dimension values are refused, naming the value', () => {
  test.each<[string, EndpointServiceMetricOptions, string]>([
    ['an endpoint service ID as endpoint ID', { vpcEndpointId: 'vpce-svc-0123456789abcdef0' }, "Invalid VPC endpoint ID 'vpce-svc-0123456789abcdef0'"],
    ['an upper-case endpoint ID', { vpcEndpointId: 'vpce-0123456789ABCDEF0' }, "Invalid VPC endpoint ID 'vpce-0123456789ABCDEF0'"],
    ['a load balancer name', { loadBalancerArn: 'provider' }, "loadBalancerArn of the ActiveConnections metric is 'provider'"],
    ['an NLB ARN suffix', { loadBalancerArn: 'net/provider/0123456789abcdef' }, "is 'net/provider/0123456789abcdef'"],
    ['an empty Availability Zone', { availabilityZone: '' }, "availabilityZone (dimension 'Az' of ActiveConnections) is ''"],
    ['a blank Availability Zone', { availabilityZone: '  ' }, "is '  '"],
    ['a non-string Availability Zone', { availabilityZone: 1 as unknown as string }, 'is 1: expected a string'],
  ])('%s', (_, options, message) => {
    const { service } = newService();
    expect(validationErrorOf(() => service.metricActiveConnections(options)).message).toContain(message);
  });
});
