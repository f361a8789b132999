import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { EndpointServiceMetricOptions } from './metric-options';
import { PublishedMetric, publishedMetric } from './published-metric';
import { endpointIdProblem, fail, propName } from '../validation';

/** The namespace of the metrics of endpoint services. */
export const SERVICE_NAMESPACE = 'AWS/PrivateLinkServices';

/** The dimension every metric of an endpoint service has. */
export const SERVICE_ID_DIMENSION = 'Service Id';

/**
 * `Az`, `Load Balancer Arn` and `VPC Endpoint Id` as AWS combines them with `Service Id` for the
 * traffic metrics: `Service Id` alone; with `Az`; with `Load Balancer Arn`; with both; or with
 * `VPC Endpoint Id`.
 */
const TRAFFIC_COMBINATIONS: readonly (readonly string[])[] = [[], ['Az'], ['Load Balancer Arn'], ['Az', 'Load Balancer Arn'], ['VPC Endpoint Id']];

/**
 * The metrics of `AWS/PrivateLinkServices`: the statistic is the one the AWS PrivateLink guide
 * calls most useful (for ActiveConnections and EndpointsCount the first of those it names).
 */
export const SERVICE_METRICS: readonly PublishedMetric[] = [
  /** Concurrent active connections from consumers' endpoints (SYN_SENT and ESTABLISHED). */
  { metricName: 'ActiveConnections', statistic: cloudwatch.Stats.AVERAGE, optionalDimensions: TRAFFIC_COMBINATIONS },
  /** Bytes exchanged between the service and consumers' endpoints, both directions. */
  { metricName: 'BytesProcessed', statistic: cloudwatch.Stats.SUM, optionalDimensions: TRAFFIC_COMBINATIONS },
  /** Endpoints connected to the service; published per service only. */
  { metricName: 'EndpointsCount', statistic: cloudwatch.Stats.AVERAGE, optionalDimensions: [[]] },
  /** New connections established from consumers' endpoints. */
  { metricName: 'NewConnections', statistic: cloudwatch.Stats.SUM, optionalDimensions: TRAFFIC_COMBINATIONS },
  /** RST packets the service sent to consumers' endpoints. */
  { metricName: 'RstPacketsSent', statistic: cloudwatch.Stats.SUM, optionalDimensions: TRAFFIC_COMBINATIONS },
];

/** `arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/net|gwy/<name>/<id>`. */
const LOAD_BALANCER_ARN = /^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

/** A metric of the endpoint service `serviceId`, refused unless AWS publishes it so. */
export function serviceMetric(scope: IConstruct, serviceId: string, metricName: string, props: EndpointServiceMetricOptions = {}): cloudwatch.Metric {
  const { availabilityZone, loadBalancerArn, vpcEndpointId, ...options } = props;
  if (typeof vpcEndpointId === 'string' && !Token.isUnresolved(vpcEndpointId)) {
    const problem = endpointIdProblem(vpcEndpointId);
    if (problem) fail(scope, `${propName('vpcEndpointId')} of the ${metricName} metric: ${problem}`);
  }
  if (typeof loadBalancerArn === 'string' && !Token.isUnresolved(loadBalancerArn) && !LOAD_BALANCER_ARN.test(loadBalancerArn)) {
    fail(scope, `${propName('loadBalancerArn')} of the ${metricName} metric is '${loadBalancerArn}': expected the ARN of one of the service's load `
      + "balancers, 'arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<16 hex id>' (or gwy/).");
  }
  return publishedMetric(scope, {
    namespace: SERVICE_NAMESPACE,
    table: SERVICE_METRICS,
    metricName,
    fixed: { [SERVICE_ID_DIMENSION]: serviceId },
    optional: [
      { name: 'Az', option: 'availabilityZone', value: availabilityZone },
      { name: 'Load Balancer Arn', option: 'loadBalancerArn', value: loadBalancerArn },
      { name: 'VPC Endpoint Id', option: 'vpcEndpointId', value: vpcEndpointId },
    ],
    props: options,
  });
}

