import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Options of the metrics of an endpoint service (`AWS/PrivateLinkServices`, dimension
 * `Service Id`). The statistic defaults to the one the AWS PrivateLink guide calls most useful
 * for the metric, the period to 5 minutes; both can be changed here. The dimensions come from the
 * options below, in the combinations AWS publishes: none (the whole service), `availabilityZone`,
 * `loadBalancerArn`, both of these, or `vpcEndpointId`; EndpointsCount takes none. `dimensionsMap`
 * is refused.
 */
export interface EndpointServiceMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only the data of this Availability Zone (dimension `Az`), alone or with `loadBalancerArn`.
   * @default - all Availability Zones of the service
   */
  readonly availabilityZone?: string;

  /**
   * Only the data of this load balancer of the service (dimension `Load Balancer Arn`): its ARN,
   * alone or with `availabilityZone`.
   * @default - all load balancers of the service
   */
  readonly loadBalancerArn?: string;

  /**
   * Only the data of this consumer's endpoint (dimension `VPC Endpoint Id`), like
   * `vpce-0123456789abcdef0`; not with the other options.
   * @default - all endpoints connected to the service
   */
  readonly vpcEndpointId?: string;
}

/**
 * Options of the metrics of an interface endpoint (`AWS/PrivateLinkEndpoints`, dimensions
 * `Endpoint Type`, `Service Name`, `VPC Endpoint Id` and `VPC Id`). The statistic defaults to the
 * one the AWS PrivateLink guide calls most useful for the metric, the period to 5 minutes; both
 * can be changed here. `dimensionsMap` is refused: the dimensions are the endpoint's, and `subnetId`.
 */
export interface InterfaceEndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Only the data of the endpoint's network interface in this subnet (dimension `Subnet Id`), like
   * `subnet-0123456789abcdef0`.
   * @default - all subnets of the endpoint
   */
  readonly subnetId?: string;
}
