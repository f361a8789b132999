import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { ec2Arn } from '../ec2-arn';

/** What a connection notification is bound to, rendered for one stack. */
export interface BoundNotificationSource {
  /** The endpoint service ID, for a service source. */
  readonly serviceId?: string;
  /** The VPC endpoint ID, for an endpoint source. */
  readonly vpcEndpointId?: string;
  /** The ARN that `aws:SourceArn` must match when `vpce.amazonaws.com` publishes. */
  readonly sourceArn: string;
}

/** The endpoint service or VPC endpoint whose connection events are notified. */
export class ConnectionNotificationSource {
  /** Connection events of an endpoint service (yours, in this account). */
  public static fromEndpointService(service: ec2.IVpcEndpointService): ConnectionNotificationSource {
    return new ConnectionNotificationSource('vpc-endpoint-service', service.vpcEndpointServiceId);
  }

  /** Connection events of an interface VPC endpoint. */
  public static fromVpcEndpoint(endpoint: ec2.IInterfaceVpcEndpoint): ConnectionNotificationSource {
    return new ConnectionNotificationSource('vpc-endpoint', endpoint.vpcEndpointId);
  }

  private constructor(
    private readonly resourceType: 'vpc-endpoint-service' | 'vpc-endpoint',
    private readonly id: string,
  ) {}

  /** @internal */
  public _bind(scope: IConstruct): BoundNotificationSource {
    const sourceArn = ec2Arn(scope, this.resourceType, this.id);
    return this.resourceType === 'vpc-endpoint' ? { vpcEndpointId: this.id, sourceArn } : { serviceId: this.id, sourceArn };
  }
}
