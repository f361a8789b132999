import { createHash } from 'crypto';
import { Annotations, CfnResource, CustomResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ApprovalAlarmsOptions } from './approval-alarms-options';
import { ApprovalHandler } from './approval-handler';
import { registerApprovedService } from './approved-services';
import { DECISION_METRICS, DecisionMetric, decisionMetric } from './decision-metrics';
import { EndpointRemoval } from './endpoint-removal';
import { acknowledgeInlinePolicies } from './handler-acknowledgements';
import { APPROVAL_PROPERTY, APPROVAL_RESOURCE_TYPE } from './handler-contract';
import { MissingEndpoints } from './missing-endpoints';
import { UnlistedConnections } from './unlisted-connections';
import { ec2Arn } from '../ec2-arn';
import { registerApprovedEndpointIds, validateApprovedIdSource } from '../handover/handover-check';
import { ConnectionEvent, ConnectionNotification, ConnectionNotificationSource } from '../notifications';
import { alarmTopic, notify, refuseSecondCall } from '../observability/alarm-timing';
import {
  EnumType, describe, enumMemberName, fail, methodName, propName, repeatedValues,
  validateAccountId, validateBoolean, validateEndpointIds, validateEnumValue, validateList,
} from '../validation';

const ENDPOINT_REMOVAL: EnumType<EndpointRemoval> = { name: 'EndpointRemoval', members: { ...EndpointRemoval } };
const UNLISTED_CONNECTIONS: EnumType<UnlistedConnections> = { name: 'UnlistedConnections', members: { ...UnlistedConnections } };
/** The longest a listed ID may stay not accepted before the alarm: CloudWatch evaluates hourly alarms over at most 7 days. */
const MAX_NOT_ACCEPTED_FOR = Duration.days(7);

/** The longest wait for missing endpoints: the handler must finish within Lambda's 15 minutes. */
const MAX_WAIT = Duration.minutes(10);

/** How connection requests to an endpoint service are approved, without the service. */
export interface ConnectionApprovalOptions {
  /**
   * The IDs of the VPC endpoints whose connection requests are accepted, as handed over on
   * a trusted channel: `vpce-` and 8 or 17 lowercase hexadecimal characters. Tokens (such
   * as an endpoint of another stack) are checked at deploy time; at synthesis they must be
   * values the handler resolves from the stack's template: a `Ref` to a resource or parameter
   * of this stack, `Fn::ImportValue`, `Fn::GetAtt` of an endpoint's `Id`, and `Fn::Join`,
   * `Fn::Select`, `Fn::Split` or `Fn::Sub` of these (no `Fn::If`, `Fn::FindInMap` or custom
   * resource attributes). More can be added with `addEndpointIds()`.
   * @default - none yet
   */
  readonly endpointIds?: string[];

  /**
   * The AWS accounts that may own an approved endpoint; at least one. A listed endpoint
   * owned by any other account is not accepted, and fails the deployment.
   * @default - the owner is not checked
   */
  readonly allowedOwners?: string[];

  /**
   * Reject every pending connection request whose endpoint is not listed, each time the
   * approval is deployed (never when a request arrives). A rejected request cannot be
   * accepted later, and a rollback does not undo it. Only an approval that can reject (this,
   * or `onRemoval: EndpointRemoval.REJECT`) may call `RejectVpcEndpointConnections`; with an
   * empty list, synthesis warns (`cdk-privatelink:emptyApprovalList`).
   * @default false - unlisted requests stay pending
   */
  readonly rejectUnlisted?: boolean;

  /**
   * What happens to the connection of an endpoint ID removed from the list, and to every
   * listed connection when this approval is deleted. Rejections happen only once the stack
   * update has succeeded, never during a rollback. `EndpointRemoval.REJECT` with an empty list
   * rejects everything an earlier deployment listed; synthesis warns of it
   * (`cdk-privatelink:emptyApprovalList`).
   * @default EndpointRemoval.LEAVE
   */
  readonly onRemoval?: EndpointRemoval;

  /**
   * Continuous enforcement: what to do with a connection found accepted outside the approval (not
   * listed, or owned outside `allowedOwners`), for example accepted by hand in the console. The
   * handler looks when the service notifies an `Accept` and every hour, only while the stack is
   * not being deployed, reading the list from the stack's deployed template. With `REPORT` (and
   * with `onRemoval: EndpointRemoval.LEAVE`), connections of removed IDs are reported too. A
   * listed connection of an allowed owner is never touched.
   * @default UnlistedConnections.REPORT - logged and counted in
   * `metricConnectionsAcceptedOutsideApproval()`; the connection keeps its traffic
   */
  readonly unlistedAccepted?: UnlistedConnections;

  /**
   * What a deployment does with a listed ID that has no connection request yet.
   * @default MissingEndpoints.fail()
   */
  readonly missingEndpoints?: MissingEndpoints;

  /**
   * The SNS topic for the service's `Connect` notifications, with
   * `MissingEndpoints.acceptOnArrival()`. Its policy gets the statements of
   * `ConnectionNotification`.
   * @default - a new topic encrypted with a new customer managed KMS key
   */
  readonly notificationTopic?: sns.ITopic;
}

/** Properties of a {@link ConnectionApproval}. */
export interface ConnectionApprovalProps extends ConnectionApprovalOptions {
  /**
   * The endpoint service whose connection requests are approved, in this stack's account and
   * Region: a `PrivateEndpointService`, aws-cdk-lib's `VpcEndpointService`, or one imported
   * with `PrivateEndpointService.fromEndpointServiceId()`. One approval per service in the app.
   */
  readonly service: ec2.IVpcEndpointService;
}

/**
 * Accepts the connection requests to an endpoint service whose endpoint IDs are listed,
 * and nothing else.
 *
 * At deploy time a custom resource accepts each listed ID whose connection to this
 * service is pending acceptance (and, with `allowedOwners`, owned by an allowed account).
 * A listed ID that is rejected, expired, deleted, failed or owned by another account fails
 * the deployment; one with no request fails it too, unless `missingEndpoints` says to wait
 * or to accept it on arrival. One handler function serves every approval in a stack, and
 * one approval serves each service in the app. The handler keeps no copy of the list: it
 * reads the approval's properties from its own stack's template.
 */
export class ConnectionApproval extends Construct {
  /** The endpoint service whose connections are approved. */
  public readonly service: ec2.IVpcEndpointService;
  /** The `Connect` notification behind `MissingEndpoints.acceptOnArrival()`. */
  public readonly lateArrivals?: ConnectionNotification;
  /** The `Accept` notification behind continuous enforcement, to the stack's enforcement topic. */
  public readonly enforcement: ConnectionNotification;
  /**
   * The queue that receives late-arrival notifications whose run failed after Lambda's
   * retries; alarm on its `ApproximateNumberOfMessagesVisible`. One queue per stack, shared by
   * every approval in it.
   */
  public readonly deadLetterQueue: sqs.IQueue;

  private readonly endpointIdList: string[] = [];
  private readonly rejectUnlisted: boolean;
  private readonly onRemoval: EndpointRemoval;
  private readonly unlistedAccepted: UnlistedConnections;
  private readonly handler: ApprovalHandler;
  private readonly alarmList: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ConnectionApprovalProps) {
    super(scope, id);
    this.service = props.service;
    this.checkService();
    this.checkOwners(props.allowedOwners);
    const missing = this.missingEndpoints(props.missingEndpoints);
    const waitSeconds = this.waitSeconds(missing.timeout);
    this.rejectUnlisted = validateBoolean(this, 'rejectUnlisted', props.rejectUnlisted) ?? false;
    this.onRemoval = validateEnumValue(this, 'onRemoval', props.onRemoval ?? EndpointRemoval.LEAVE, ENDPOINT_REMOVAL);
    this.unlistedAccepted = this.checkUnlistedAccepted(props.unlistedAccepted);
    validateList(this, 'endpointIds', props.endpointIds, "VPC endpoint IDs like 'vpce-0123456789abcdef0'");
    registerApprovedEndpointIds(this, () => this.endpointIdList);
    this.addEndpointIds(...props.endpointIds ?? []);

    registerApprovedService(this, this.service.vpcEndpointServiceId);
    const handler = ApprovalHandler.of(this);
    handler.enableApprovals();
    this.handler = handler;
    this.deadLetterQueue = handler.deadLetterQueue;
    const properties = {
      [APPROVAL_PROPERTY.serviceId]: this.service.vpcEndpointServiceId,
      [APPROVAL_PROPERTY.endpointIds]: Lazy.list({ produce: () => this.endpointIdList }),
      [APPROVAL_PROPERTY.allowedOwners]: props.allowedOwners,
      [APPROVAL_PROPERTY.rejectUnlisted]: this.rejectUnlisted,
      [APPROVAL_PROPERTY.onRemoval]: this.onRemoval,
      [APPROVAL_PROPERTY.waitSeconds]: waitSeconds,
      [APPROVAL_PROPERTY.acceptOnArrival]: missing.acceptsOnArrival,
      [APPROVAL_PROPERTY.unlistedAccepted]: this.unlistedAccepted,
    };
    const resource = new CustomResource(this, 'Resource', {
      resourceType: APPROVAL_RESOURCE_TYPE,
      serviceToken: handler.serviceToken,
      // The handler and the provider framework each stop within 15 minutes.
      serviceTimeout: Duration.minutes(20),
      properties,
    });
    resource.node.addDependency(this.allowChangingConnections(handler));
    handler.propertiesCheck.add(this, resource.node.defaultChild as CfnResource, properties);
    this.node.addValidation({ validate: () => this.warnOfEmptyList(resource) });

    this.enforcement = new ConnectionNotification(this, 'Enforcement', {
      source: ConnectionNotificationSource.fromEndpointService(this.service),
      events: [ConnectionEvent.ACCEPT],
      topic: handler.enforcementTopic,
    });

    if (missing.acceptsOnArrival) {
      this.lateArrivals = new ConnectionNotification(this, 'LateArrivals', {
        source: ConnectionNotificationSource.fromEndpointService(this.service),
        events: [ConnectionEvent.CONNECT],
        topic: props.notificationTopic,
      });
      const subscription = handler.subscribeTo(this.lateArrivals.topic);
      // No request may slip in between the deploy-time run and the first notification.
      resource.node.addDependency(this.lateArrivals, subscription);
    } else if (props.notificationTopic) {
      fail(this, `${propName('notificationTopic')} is given without ${methodName('acceptOnArrival', 'MissingEndpoints')}: `
        + 'expected a topic only for late arrivals.');
    }
  }

  /**
   * The role of the stack's approval handler, shared by every approval in the stack: the only
   * principal that needs `ec2:AcceptVpcEndpointConnections` (see `PrivateLinkGuardrails.acceptConnectionsOnlyBy()`).
   */
  public get handlerRole(): iam.IRole {
    return this.handler.function.role!;
  }

  /** The approved endpoint IDs so far. */
  public get endpointIds(): string[] {
    return [...this.endpointIdList];
  }

  /**
   * Approves more endpoint IDs in this approval; each ID may be listed once.
   * `PrivateEndpointService.approveEndpoints()` does the same, and first creates the service's approval if it has none.
   */
  public addEndpointIds(...endpointIds: string[]): void {
    validateEndpointIds(this, [...this.endpointIdList, ...endpointIds]);
    endpointIds.forEach(endpointId => validateApprovedIdSource(this, endpointId));
    this.endpointIdList.push(...endpointIds);
  }

  /** Listed requests accepted (by a deployment, a late arrival or a scheduled run). Sum over 5 minutes by default. */
  public metricConnectionsAccepted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.accepted, props);
  }

  /** Connections rejected: unlisted requests, removed IDs, and connections accepted outside the approval. */
  public metricConnectionsRejected(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.rejected, props);
  }

  /** Unlisted connection requests left pending, counted at each run that looks at them. */
  public metricRequestsLeftPending(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.leftPending, props);
  }

  /** Listed IDs whose connection cannot be accepted (rejected, expired, failed, or owned outside `allowedOwners`). */
  public metricListedEndpointsBlocked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.blocked, props);
  }

  /** Listed IDs not accepted: blocked, with no connection request, or pending a deployment; counted at each run. */
  public metricListedEndpointsNotAccepted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.listedNotAccepted, props);
  }

  /** Connections found accepted outside the approval, reported or rejected per `unlistedAccepted`. */
  public metricConnectionsAcceptedOutsideApproval(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.acceptedOutsideApproval, props);
  }

  /** Runs of the handler for this service that failed (a deployment, a notification or a scheduled run). */
  public metricFailedRuns(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.decisionMetric(DECISION_METRICS.failedRuns, props);
  }

  /**
   * Adds the recommended alarms, each notifying `topic`: a failed run for this service, a
   * connection found accepted outside the approval, a listed ID not accepted for
   * `listedNotAcceptedFor`, and, once per stack and topic, errors of the handler function and
   * messages in its dead-letter queue. Returns the alarms.
   */
  public addAlarms(options: ApprovalAlarmsOptions): cloudwatch.Alarm[] {
    refuseSecondCall(this, this.alarmList);
    const topic = alarmTopic(this, options);
    const hours = this.notAcceptedHours(options.listedNotAcceptedFor);
    const service = this.service.node.path;
    const atLeastOnce = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const own = [
      this.metricFailedRuns().createAlarm(this, 'FailedRunsAlarm', {
        ...atLeastOnce,
        evaluationPeriods: 1,
        alarmDescription: `A run of the connection approval of ${service} failed: see the handler's runFailed log lines for the service.`,
      }),
      this.metricConnectionsAcceptedOutsideApproval().createAlarm(this, 'AcceptedOutsideApprovalAlarm', {
        ...atLeastOnce,
        evaluationPeriods: 1,
        alarmDescription: `A connection to ${service} was found accepted outside the approval: list its endpoint ID if it is approved, `
          + 'or reject it (see the decision lines with outsideApproval).',
      }),
      this.metricListedEndpointsNotAccepted({ period: Duration.hours(1) }).createAlarm(this, 'ListedNotAcceptedAlarm', {
        ...atLeastOnce,
        // One hourly run may fall outside its hour; a missing hour does not reset the count.
        evaluationPeriods: hours + 1,
        datapointsToAlarm: hours,
        alarmDescription: `A listed endpoint of ${service} has not been accepted for about ${hours} hours: see the decision lines `
          + '(blocked, missing or awaitingAcceptance) for the ID and why.',
      }),
    ];
    own.forEach(alarm => notify(alarm, topic));
    const alarms = [...own, ...this.handler.alarmsFor(topic)];
    this.alarmList.push(...alarms);
    return alarms;
  }

  /** Every alarm added with `addAlarms()`. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.alarmList];
  }

  private decisionMetric(metric: DecisionMetric, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return decisionMetric(metric, this.service.vpcEndpointServiceId, props);
  }

  private notAcceptedHours(after: Duration | undefined): number {
    if (after === undefined) return 6;
    const prop = propName('listedNotAcceptedFor');
    if (!(after instanceof Duration) || Token.isUnresolved(after.toString())) fail(this, `${prop} is ${describe(after)}: expected a fixed Duration.`);
    const hours = after.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < 1 || after.toSeconds() > MAX_NOT_ACCEPTED_FOR.toSeconds() - 3600) {
      fail(this, `${prop} is ${after.toHumanString()}: expected whole hours from 1 hour to ${MAX_NOT_ACCEPTED_FOR.toHours() - 1} hours `
        + '(CloudWatch evaluates an hourly alarm over at most 7 days).');
    }
    return hours;
  }

  private checkUnlistedAccepted(value: UnlistedConnections | undefined): UnlistedConnections {
    const mode = validateEnumValue(this, 'unlistedAccepted', value ?? UnlistedConnections.REPORT, UNLISTED_CONNECTIONS);
    if (mode === UnlistedConnections.REJECT && this.onRemoval !== EndpointRemoval.REJECT) {
      fail(this, `${propName('unlistedAccepted')}: ${enumMemberName('UnlistedConnections', 'REJECT')} with ${propName('onRemoval')}: `
        + `${enumMemberName('EndpointRemoval', 'LEAVE')}: enforcement would reject the connections of removed IDs, which LEAVE keeps. `
        + `Expected ${propName('onRemoval')}: ${enumMemberName('EndpointRemoval', 'REJECT')} with it, or ${enumMemberName('UnlistedConnections', 'REPORT')}.`);
    }
    return mode;
  }

  /** Whether this approval ever rejects a connection: unlisted requests, removed IDs, or connections accepted outside it. */
  private get canReject(): boolean {
    return this.rejectUnlisted || this.onRemoval === EndpointRemoval.REJECT || this.unlistedAccepted === UnlistedConnections.REJECT;
  }

  /**
   * Accept on this service only, and Reject when the approval can reject, in a policy of this
   * approval that the custom resource depends on: CloudFormation deletes the policy after the
   * approval, so a last rejection is still allowed. Another service gives a policy with another
   * logical ID, so the old one is deleted in the cleanup, after the replaced approval that
   * depended on it.
   */
  private allowChangingConnections(handler: ApprovalHandler): iam.Policy {
    const serviceKey = createHash('sha256').update(JSON.stringify(Stack.of(this).resolve(this.service.vpcEndpointServiceId))).digest('hex');
    const changes = ['ec2:AcceptVpcEndpointConnections', ...this.canReject ? ['ec2:RejectVpcEndpointConnections'] : []];
    const policy = new iam.Policy(this, `ChangeConnections${serviceKey.slice(0, 8)}`, {
      roles: [handler.function.role!],
      statements: [new iam.PolicyStatement({
        actions: changes,
        resources: [ec2Arn(this, 'vpc-endpoint-service', this.service.vpcEndpointServiceId)],
      })],
    });
    acknowledgeInlinePolicies(policy, 'Accept and reject on this one endpoint service, for the stack\'s handler');
    return policy;
  }

  /**
   * At synthesis, once every `addEndpointIds()` call is in: a rejecting approval that lists
   * nothing. The warning is on the custom resource, because aws-cdk-lib honours a warning's
   * acknowledgment made before the warning only on the scope's ancestors: so acknowledging it on
   * this approval, or on its stack, silences it.
   */
  private warnOfEmptyList(resource: CustomResource): string[] {
    if (this.endpointIdList.length > 0 || !this.canReject) return [];
    const consequences = [
      ...this.rejectUnlisted ? [`with ${propName('rejectUnlisted')}: true it rejects every pending connection request to the service at each `
        + 'deployment, and a rejected request cannot be accepted later'] : [],
      ...this.onRemoval === EndpointRemoval.REJECT ? [`with ${propName('onRemoval')}: ${enumMemberName('EndpointRemoval', 'REJECT')} nothing is listed to keep, so every `
        + 'connection that an earlier deployment of it listed is rejected once this deployment succeeds, and there is nothing '
        + 'listed to reject on removal'] : [],
    ];
    Annotations.of(resource).addWarningV2('cdk-privatelink:emptyApprovalList',
      `Connection approval of ${this.service.node.path} lists no endpoint IDs: ${consequences.join('; ')}. `
      + `Add endpoint IDs with ${methodName('addEndpointIds')} or ${methodName('approveEndpoints')}, or acknowledge this warning if that is intended.`);
    return [];
  }

  private checkService(): void {
    const service = this.service as ec2.IVpcEndpointService & { acceptanceRequired?: boolean };
    if (service.acceptanceRequired === false) {
      fail(this, `Connection approval of ${this.service.node.path} with ${propName('acceptanceRequired')}: false: every request is `
        + `accepted at once, so there is nothing to approve. Expected ${propName('acceptanceRequired')}: true.`);
    }
  }

  private checkOwners(owners: string[] | undefined): void {
    validateList(this, 'allowedOwners', owners, '12-digit account IDs');
    if (owners === undefined) return;
    const prop = propName('allowedOwners');
    if (owners.length === 0) fail(this, `${prop} is empty: expected at least one 12-digit account ID, or no ${prop} at all.`);
    owners.forEach(owner => validateAccountId(this, owner, `account ID in ${prop}`));
    const repeated = repeatedValues(owners);
    if (repeated.length > 0) {
      fail(this, `${prop} lists ${repeated.map(owner => `'${owner}'`).join(', ')} more than once: expected each account once.`);
    }
  }

  private missingEndpoints(missing: MissingEndpoints | undefined): MissingEndpoints {
    if (missing === undefined) return MissingEndpoints.fail();
    if (missing instanceof MissingEndpoints) return missing;
    fail(this, `${propName('missingEndpoints')} is ${describe(missing)}: expected ${methodName('fail', 'MissingEndpoints')}, `
      + `${methodName('waitFor', 'MissingEndpoints')} or ${methodName('acceptOnArrival', 'MissingEndpoints')}.`);
  }

  private waitSeconds(wait: Duration | undefined): number {
    if (!wait) return 0;
    const waitFor = methodName('waitFor', 'MissingEndpoints');
    if (Token.isUnresolved(wait.toString())) fail(this, `${waitFor} got a token: expected a fixed duration, known at synthesis.`);
    const seconds = wait.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WAIT.toSeconds()) {
      fail(this, `${waitFor.slice(0, -2)}(${wait.toHumanString()}) is out of range: expected whole seconds from 1 second to ${MAX_WAIT.toHumanString()}.`);
    }
    return seconds;
  }
}
