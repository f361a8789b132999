import { CustomResource, Duration, Lazy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ApprovalHandler } from './approval-handler';
import { EndpointRemoval } from './endpoint-removal';
import { APPROVAL_PROPERTY } from './handler-contract';
import { ec2Arn } from '../ec2-arn';
import { ConnectionEvent, ConnectionNotification, ConnectionNotificationSource } from '../notifications';
import { fail, validateAccountId, validateEndpointIds } from '../validation';

/** The longest `waitForEndpoints`: the handler must finish within Lambda's 15 minutes. */
const MAX_WAIT = Duration.minutes(10);

/** How connection requests to an endpoint service are approved, without the service. */
export interface ConnectionApprovalOptions {
  /**
   * The IDs of the VPC endpoints whose connection requests are accepted, as handed over on
   * a trusted channel: `vpce-` and 8 or 17 lowercase hexadecimal characters. Tokens (such
   * as an endpoint of another stack) are checked at deploy time. More can be added with
   * `addEndpointIds()`.
   * @default - none yet
   */
  readonly endpointIds?: string[];

  /**
   * The AWS accounts that may own an approved endpoint. A listed endpoint owned by any
   * other account is not accepted and fails the deployment.
   * @default - the owner is not checked
   */
  readonly allowedOwners?: string[];

  /**
   * Reject every pending connection request whose endpoint is not listed. A rejected
   * request cannot be accepted later; the consumer must create a new endpoint.
   * @default false - unlisted requests stay pending
   */
  readonly rejectUnlisted?: boolean;

  /**
   * What happens to the connection of an endpoint ID removed from the list, and to every
   * listed connection when this approval is deleted.
   * @default EndpointRemoval.LEAVE
   */
  readonly onRemoval?: EndpointRemoval;

  /**
   * How long a deployment waits for listed endpoints whose connection request has not
   * arrived yet, at most 10 minutes. Without it, such an ID fails the deployment at once.
   * @default - no wait
   */
  readonly waitForEndpoints?: Duration;

  /**
   * Accept a listed endpoint whose connection request arrives after the deployment,
   * driven by the service's `Connect` notifications.
   * @default true
   */
  readonly acceptLateArrivals?: boolean;

  /**
   * The SNS topic for the service's `Connect` notifications that drive late arrivals.
   * Its policy gets the statements of `ConnectionNotification`.
   * @default - a new topic encrypted with a new customer managed KMS key
   */
  readonly notificationTopic?: sns.ITopic;
}

/** Properties of a {@link ConnectionApproval}. */
export interface ConnectionApprovalProps extends ConnectionApprovalOptions {
  /**
   * The endpoint service whose connection requests are approved: a `PrivateEndpointService`,
   * aws-cdk-lib's `VpcEndpointService`, or one imported with
   * `PrivateEndpointService.fromEndpointServiceId()`.
   */
  readonly service: ec2.IVpcEndpointService;
}

/**
 * Accepts the connection requests to an endpoint service whose endpoint IDs are listed,
 * and nothing else.
 *
 * At deploy time a custom resource accepts each listed ID whose connection to this
 * service is pending acceptance (and, with `allowedOwners`, owned by an allowed account).
 * A listed ID that is rejected, expired, deleted, failed, owned by another account or not
 * found fails the deployment. With `acceptLateArrivals`, the same decision is made when a
 * listed endpoint connects later. One handler function serves every approval in a stack.
 */
export class ConnectionApproval extends Construct {
  /** The endpoint service whose connections are approved. */
  public readonly service: ec2.IVpcEndpointService;
  /** The `Connect` notification behind late arrivals, when `acceptLateArrivals` is on. */
  public readonly lateArrivals?: ConnectionNotification;

  private readonly endpointIdList: string[] = [];

  constructor(scope: Construct, id: string, props: ConnectionApprovalProps) {
    super(scope, id);
    this.service = props.service;
    const allowedOwners = props.allowedOwners;
    allowedOwners?.forEach(owner => validateAccountId(this, owner, 'allowed owner'));
    const waitSeconds = this.waitSeconds(props.waitForEndpoints);
    this.addEndpointIds(...props.endpointIds ?? []);

    const handler = ApprovalHandler.of(this);
    handler.allowChangingConnections(ec2Arn(this, 'vpc-endpoint-service', this.service.vpcEndpointServiceId));
    const resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::VpcEndpointConnectionApproval',
      serviceToken: handler.serviceToken,
      properties: {
        [APPROVAL_PROPERTY.serviceId]: this.service.vpcEndpointServiceId,
        [APPROVAL_PROPERTY.endpointIds]: Lazy.list({ produce: () => this.endpointIdList }),
        [APPROVAL_PROPERTY.allowedOwners]: allowedOwners,
        [APPROVAL_PROPERTY.rejectUnlisted]: props.rejectUnlisted ?? false,
        [APPROVAL_PROPERTY.onRemoval]: props.onRemoval ?? EndpointRemoval.LEAVE,
        [APPROVAL_PROPERTY.waitSeconds]: waitSeconds,
      },
    });

    if (props.acceptLateArrivals ?? true) {
      this.lateArrivals = new ConnectionNotification(this, 'LateArrivals', {
        source: ConnectionNotificationSource.fromEndpointService(this.service),
        events: [ConnectionEvent.CONNECT],
        topic: props.notificationTopic,
      });
      const subscription = handler.subscribeTo(this.lateArrivals.topic);
      // No request may slip in between the deploy-time run and the first notification.
      resource.node.addDependency(this.lateArrivals, subscription);
    } else if (props.notificationTopic) {
      fail(this, 'notificationTopic is given with acceptLateArrivals: false: expected a topic only for late arrivals.');
    }
  }

  /** The approved endpoint IDs so far. */
  public get endpointIds(): string[] {
    return [...this.endpointIdList];
  }

  /** Approves more endpoint IDs; each ID may be listed once. */
  public addEndpointIds(...endpointIds: string[]): void {
    validateEndpointIds(this, [...this.endpointIdList, ...endpointIds]);
    this.endpointIdList.push(...endpointIds);
  }

  private waitSeconds(wait: Duration | undefined): number {
    if (!wait) return 0;
    if (Token.isUnresolved(wait.toString())) fail(this, 'waitForEndpoints is a token: expected a fixed duration.');
    const seconds = wait.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WAIT.toSeconds()) {
      fail(this, `waitForEndpoints ${wait.toHumanString()} is out of range: expected whole seconds from 1 second to ${MAX_WAIT.toHumanString()}.`);
    }
    return seconds;
  }
}
