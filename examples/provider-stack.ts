import { Arn, ArnFormat, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isolatedVpc } from './isolated-vpc';
import { AllowedPrincipal, ConnectionApproval, ConnectionEvent, PrivateEndpointService, PrivateLinkDashboard } from '../src';

/** Settings a platform team changes per environment. */
export interface ProviderStackProps extends StackProps {
  /** Accounts whose VPCs may connect to the service. */
  readonly consumerAccountIds: string[];
  /** A role in a consumer account that may connect too. */
  readonly consumerRoleArn?: string;
  /** The private DNS name of the service; its TXT record is given as outputs. */
  readonly privateDnsName?: string;
  /**
   * The IDs of the consumers' VPC endpoints, as they handed them over on a trusted
   * channel (a ticket, a pull request). Only these connection requests are accepted.
   */
  readonly approvedEndpointIds?: string[];
}

/**
 * A platform team's provider stack: an internal Network Load Balancer in its own VPC,
 * shared over PrivateLink with named consumer accounts, acceptance required, and
 * connection events sent to an encrypted SNS topic.
 */
export class ProviderStack extends Stack {
  public readonly service: PrivateEndpointService;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id, props);

    const vpc = isolatedVpc(this, 'service');
    const nlb = new elbv2.NetworkLoadBalancer(this, 'Nlb', { vpc, internetFacing: false, crossZoneEnabled: true });
    const targets = new elbv2.NetworkTargetGroup(this, 'Targets', {
      vpc,
      port: 443,
      targetType: elbv2.TargetType.IP,
      healthCheck: { protocol: elbv2.Protocol.TCP },
    });
    nlb.addListener('Tls', { port: 443, defaultTargetGroups: [targets] });

    // Subscribe the platform team's on-call to this topic.
    const alarms = new sns.Topic(this, 'Alarms', {
      masterKey: new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true, description: 'Encrypts the PrivateLink alarm notifications' }),
      enforceSSL: true,
    });

    this.service = new PrivateEndpointService(this, 'Service', {
      networkLoadBalancers: [nlb],
      allowedPrincipals: props.consumerAccountIds.map(account => AllowedPrincipal.account(account)),
      privateDnsName: props.privateDnsName,
      createOutputs: true,
    });
    if (props.approvedEndpointIds) {
      // Accept only these endpoints, and only when a consumer account owns them.
      const roleAccount = props.consumerRoleArn ? [Arn.split(props.consumerRoleArn, ArnFormat.SLASH_RESOURCE_NAME).account!] : [];
      const approval = new ConnectionApproval(this, 'Approval', {
        service: this.service,
        endpointIds: props.approvedEndpointIds,
        allowedOwners: [...props.consumerAccountIds, ...roleAccount],
      });
      // Connections accepted outside the approval (by hand), failed runs, IDs not accepted for a day.
      approval.addAlarms({ topic: alarms, listedNotAcceptedFor: Duration.hours(24) });
    }
    if (props.consumerRoleArn) this.service.allowPrincipals(AllowedPrincipal.role(props.consumerRoleArn));
    this.service.addConnectionNotification('Notifications', {
      events: [ConnectionEvent.CONNECT, ConnectionEvent.ACCEPT, ConnectionEvent.REJECT, ConnectionEvent.DELETE],
    });

    this.service.addAlarms({ topic: alarms, expectedEndpoints: props.approvedEndpointIds?.length });
    new PrivateLinkDashboard(this, 'Dashboard', { services: [this.service] });

    Validations.of(nlb).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason: 'Example service without a log bucket; a real service turns on NLB access logs.',
    });
  }
}
