import { Annotations, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ConnectionEvent } from './connection-event';
import { ConnectionNotificationSource } from './connection-notification-source';
import { encryptedNotificationTopic } from './notification-topic';
import { EnumType, describe, enumMemberName, fail, methodName, propName, validateEnumValues } from '../validation';

const CONNECTION_EVENT: EnumType<ConnectionEvent> = { name: 'ConnectionEvent', members: { ...ConnectionEvent } };

function memberOf(event: ConnectionEvent): string {
  return Object.entries(ConnectionEvent).find(([, value]) => value === event)![0];
}

const VPCE_SERVICE_PRINCIPAL = 'vpce.amazonaws.com';
/** `Connect` happens on the service side only. */
const ENDPOINT_EVENTS = [ConnectionEvent.ACCEPT, ConnectionEvent.REJECT, ConnectionEvent.DELETE];

/** Options of a connection notification, without its source. */
export interface ConnectionNotificationOptions {
  /**
   * The SNS topic to notify. Its policy (and its KMS key's policy, when it is encrypted)
   * gets a statement that lets `vpce.amazonaws.com` publish for this source only.
   * @default - a new topic, encrypted with a new customer managed KMS key, SSL enforced
   */
  readonly topic?: sns.ITopic;

  /**
   * The connection events to notify about; at least one. `Connect` is for endpoint
   * services only.
   * @default - all events the source has: Connect, Accept, Reject and Delete for an
   * endpoint service; Accept, Reject and Delete for a VPC endpoint
   */
  readonly events?: ConnectionEvent[];
}

/** Properties of a {@link ConnectionNotification}. */
export interface ConnectionNotificationProps extends ConnectionNotificationOptions {
  /** The endpoint service or VPC endpoint whose connection events are notified. */
  readonly source: ConnectionNotificationSource;
}

/**
 * Notifies an SNS topic of connection events of an endpoint service or VPC endpoint.
 *
 * `vpce.amazonaws.com` may publish to the topic only under `aws:SourceArn` of this
 * source and `aws:SourceAccount` of this stack, and may use the topic's KMS key
 * under the same conditions.
 */
export class ConnectionNotification extends Construct {
  /** The topic that receives the notifications. */
  public readonly topic: sns.ITopic;
  /** The ID of the connection notification. */
  public readonly connectionNotificationId: string;
  /** The events notified about. */
  public readonly events: ConnectionEvent[];

  constructor(scope: Construct, id: string, props: ConnectionNotificationProps) {
    super(scope, id);
    if (!(props.source instanceof ConnectionNotificationSource)) {
      fail(this, `${propName('source')} is ${describe(props.source)}: expected a ConnectionNotificationSource, made with `
        + `${methodName('fromEndpointService', 'ConnectionNotificationSource')} or ${methodName('fromVpcEndpoint', 'ConnectionNotificationSource')}.`);
    }
    const source = props.source._bind(this);
    const supported = source.vpcEndpointId ? ENDPOINT_EVENTS : Object.values(ConnectionEvent);
    const events = propName('events');
    this.events = [...new Set(validateEnumValues(this, 'events', props.events ?? supported, CONNECTION_EVENT))];
    const named = (list: ConnectionEvent[]) => list.map(event => enumMemberName('ConnectionEvent', memberOf(event))).join(', ');
    if (this.events.length === 0) {
      fail(this, `${events} is empty: expected at least one of ${named(supported)}.`);
    }
    const unsupported = this.events.filter(event => !supported.includes(event));
    if (unsupported.length > 0) {
      fail(this, `${events} has ${named(unsupported)}, which a VPC endpoint does not notify (it is an endpoint service event): `
        + `expected only ${named(supported)}.`);
    }

    this.topic = props.topic ?? encryptedNotificationTopic(this, `Encrypts the connection notifications of ${this.node.path}`);
    const conditions = {
      ArnLike: { 'aws:SourceArn': source.sourceArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
    };
    this.allowPublishing(conditions);

    const notification = new ec2.CfnVPCEndpointConnectionNotification(this, 'Resource', {
      connectionNotificationArn: this.topic.topicArn,
      connectionEvents: this.events,
      serviceId: source.serviceId,
      vpcEndpointId: source.vpcEndpointId,
    });
    // EC2 checks that it can publish when the notification is created.
    notification.node.addDependency(this.topic);
    if (this.topic.masterKey) notification.node.addDependency(this.topic.masterKey);
    this.connectionNotificationId = notification.ref;
  }


  private allowPublishing(conditions: Record<string, Record<string, string>>): void {
    const principal = new iam.ServicePrincipal(VPCE_SERVICE_PRINCIPAL);
    const topicResult = this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowVpcePublish${Names.uniqueId(this)}`,
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions,
    }));
    if (!topicResult.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-privatelink:topicPolicyNotAdded',
        `The policy of topic ${this.topic.topicArn} cannot be changed here (imported topic): allow ${VPCE_SERVICE_PRINCIPAL} `
        + 'to publish to it under aws:SourceArn and aws:SourceAccount conditions yourself.');
    }
    const key = this.topic.masterKey;
    if (!key) return;
    const keyResult = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowVpceUseOfTheKey${Names.uniqueId(this)}`,
      principals: [principal],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions,
    }), true);
    if (!keyResult.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-privatelink:keyPolicyNotAdded',
        `The policy of the KMS key of topic ${this.topic.topicArn} cannot be changed here (imported key): allow `
        + `${VPCE_SERVICE_PRINCIPAL} kms:GenerateDataKey* and kms:Decrypt on it under the same conditions yourself.`);
    }
  }
}
