import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { InterfaceEndpointMetricOptions } from './metric-options';
import { PublishedMetric, publishedMetric } from './published-metric';
import { fail, propName } from '../validation';

/** The namespace of the metrics of interface and Gateway Load Balancer endpoints. */
export const ENDPOINT_NAMESPACE = 'AWS/PrivateLinkEndpoints';

/** The `Endpoint Type` of an interface endpoint (a Gateway Load Balancer endpoint has `GatewayLoadBalancer`). */
export const INTERFACE_ENDPOINT_TYPE = 'Interface';

/** With `Endpoint Type, Service Name, VPC Endpoint Id, VPC Id` always: without or with `Subnet Id`. */
const ENDPOINT_COMBINATIONS: readonly (readonly string[])[] = [[], ['Subnet Id']];

/**
 * The metrics of `AWS/PrivateLinkEndpoints`: the statistic is the one the AWS PrivateLink guide
 * calls most useful (for ActiveConnections the first of those it names).
 */
export const ENDPOINT_METRICS: readonly PublishedMetric[] = [
  /** Concurrent active connections (SYN_SENT and ESTABLISHED). */
  { metricName: 'ActiveConnections', statistic: cloudwatch.Stats.AVERAGE, optionalDimensions: ENDPOINT_COMBINATIONS },
  /** Bytes exchanged with the service, both directions: what the endpoint's owner is billed for. */
  { metricName: 'BytesProcessed', statistic: cloudwatch.Stats.SUM, optionalDimensions: ENDPOINT_COMBINATIONS },
  /** New connections established through the endpoint. */
  { metricName: 'NewConnections', statistic: cloudwatch.Stats.SUM, optionalDimensions: ENDPOINT_COMBINATIONS },
  /** Packets the endpoint dropped, for example packets larger than 8500 bytes. */
  { metricName: 'PacketsDropped', statistic: cloudwatch.Stats.SUM, optionalDimensions: ENDPOINT_COMBINATIONS },
  /** RST packets the endpoint received from the service. */
  { metricName: 'RstPacketsReceived', statistic: cloudwatch.Stats.SUM, optionalDimensions: ENDPOINT_COMBINATIONS },
];

/** What identifies an interface endpoint's metrics. */
export interface EndpointMetricDimensions {
  readonly serviceName: string;
  readonly vpcEndpointId: string;
  readonly vpcId: string;
}

const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** A metric of an interface endpoint, refused unless AWS publishes it so. */
export function endpointMetric(
  scope: IConstruct, endpoint: EndpointMetricDimensions, metricName: string, props: InterfaceEndpointMetricOptions = {},
): cloudwatch.Metric {
  const { subnetId, ...options } = props;
  if (typeof subnetId === 'string' && !Token.isUnresolved(subnetId) && !SUBNET_ID.test(subnetId)) {
    fail(scope, `${propName('subnetId')} of the ${metricName} metric is '${subnetId}': expected the ID of one of the endpoint's subnets, `
      + "'subnet-' and 8 or 17 lowercase hexadecimal characters.");
  }
  return publishedMetric(scope, {
    namespace: ENDPOINT_NAMESPACE,
    table: ENDPOINT_METRICS,
    metricName,
    fixed: {
      'Endpoint Type': INTERFACE_ENDPOINT_TYPE,
      'Service Name': endpoint.serviceName,
      'VPC Endpoint Id': endpoint.vpcEndpointId,
      'VPC Id': endpoint.vpcId,
    },
    optional: [{ name: 'Subnet Id', option: 'subnetId', value: subnetId }],
    props: options,
  });
}
