import * as path from 'path';
import { Annotations, ArnFormat, CfnElement, CfnResource, Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { addDecisionMetricFilters } from './decision-metrics';
import {
  acknowledgeHandlerFunction, acknowledgeInlinePolicies, acknowledgeLogGroupEncryption, acknowledgeProviderFramework,
} from './handler-acknowledgements';
import { APPROVAL_STACK_ENV, ENFORCEMENT_TOPIC_ENV, STACK_READ_ACTIONS } from './handler-contract';
import { HANDLER_ID, HandlerSettings, handlerSettingsOf } from './handler-settings';
import { ResolvablePropertiesCheck } from './resolvable-properties';

/** CloudFormation waits at most this long for a custom resource: so does the provider framework for a verification. */
export const VERIFICATION_TOTAL_TIMEOUT = Duration.hours(1);
import { encryptedNotificationTopic } from '../notifications/notification-topic';
import { notify } from '../observability/alarm-timing';
import { VERIFICATION_QUERY_INTERVAL_SECONDS } from '../provider/private-dns-contract';
import { acknowledgeGuardRule, acknowledgeRule } from '../validation';

/** Built by the `bundle:handlers` task from `lambda/approval`; shipped in the npm package. */
const ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'approval-handler');
/** Pinned, so that downstream snapshots do not drift with the aws-cdk-lib version. */
const RUNTIME = lambda.Runtime.NODEJS_24_X;
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** How often continuous enforcement looks at every approved service, for what a lost notification missed. */
export const ENFORCEMENT_INTERVAL = Duration.hours(1);

/**
 * The one handler of a stack, shared by every `ConnectionApproval` and private DNS name in it:
 * the function (deploy-time, late-arrival and enforcement paths of the approvals; the private DNS
 * names and their verification), its custom resource provider, the
 * dead-letter queue of its asynchronous invocations, the hourly enforcement schedule, the topic
 * of the approved services' `Accept` notifications, and the metric filters that count its
 * decisions. It keeps no copy of the approved lists: it reads them from its own stack's template.
 */
export class ApprovalHandler extends Construct {
  /** The stack's handler, created on first use. */
  public static of(scope: IConstruct): ApprovalHandler {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(HANDLER_ID) as ApprovalHandler | undefined) ?? new ApprovalHandler(stack, HANDLER_ID);
  }

  /** The token that custom resources pass to CloudFormation. */
  public readonly serviceToken: string;
  public readonly function: lambda.Function;
  /** Receives the late-arrival notifications whose run still failed after Lambda's retries. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** Checks at synthesis that the handler can resolve every approval's properties from the template. */
  public readonly propertiesCheck: ResolvablePropertiesCheck;

  /** The handler's log group, whose decision lines the metric filters count. */
  public readonly logGroup: logs.ILogGroup;

  private readonly subscriptions = new Map<string, sns.Subscription>();
  private readonly alarmsByTopic = new Map<string, cloudwatch.Alarm[]>();
  private enforcementTopicOfStack?: sns.ITopic;
  private approvalsEnabled = false;
  private readsServiceConfigurations = false;
  private waitingProvider?: cr.Provider;
  private readonly settings: HandlerSettings;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.settings = handlerSettingsOf(Stack.of(this)) ?? {};
    this.propertiesCheck = new ResolvablePropertiesCheck(Stack.of(this));
    this.node.addValidation(this.propertiesCheck);
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      // The messages are SNS notifications of VPC endpoint connections: IDs, no secrets.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeGuardRule(deadLetterQueue.node.defaultChild as CfnResource, 'sqs_dlq_check',
      '[CT.SQS.PR.1] This queue is the dead-letter queue of the handler\'s asynchronous invocations; its alarm reports every message.');
    this.deadLetterQueue = deadLetterQueue;
    this.logGroup = this.newLogGroup('HandlerLogs', 'handler');

    this.function = new lambda.Function(this, 'Handler', {
      description: 'cdk-privatelink: accepts only the listed VPC endpoint connections; sets private DNS names',
      runtime: RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(ASSET_DIR),
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Long enough for the longest wait for endpoints (10 minutes) and the calls after it.
      timeout: Duration.minutes(15),
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      logGroup: this.logGroup,
      environment: { [APPROVAL_STACK_ENV]: Stack.of(this).stackId },
      deadLetterQueue,
      reservedConcurrentExecutions: this.settings.reservedConcurrency,
    });
    this.allowReadingTheStack();
    acknowledgeHandlerFunction(this.function, this.settings.reservedConcurrency !== undefined);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      logGroup: this.newLogGroup('ProviderLogs', 'provider'),
    });
    this.serviceToken = provider.serviceToken;
    this.acknowledgeFindings(provider);
  }

  /**
   * The approvals' part, once per stack: the hourly enforcement schedule and the metric filters
   * that count the decisions. A stack with private DNS names only has neither.
   */
  public enableApprovals(): void {
    if (this.approvalsEnabled) return;
    this.approvalsEnabled = true;
    addDecisionMetricFilters(this, this.logGroup);
    new events.Rule(this, 'EnforcementSchedule', {
      description: 'cdk-privatelink: looks for VPC endpoint connections accepted outside the approval',
      schedule: events.Schedule.rate(ENFORCEMENT_INTERVAL),
      targets: [new targets.LambdaFunction(this.function)],
    });
  }

  /**
   * The token of a second provider of the same function, created on first use, whose completion
   * checks (the provider framework's `isComplete`, every minute, at most 1 hour) let a
   * verification of a private DNS name wait until the domain is verified. Only stacks that wait
   * get its functions (the framework's onEvent, isComplete and onTimeout) and state machine.
   */
  public get waitingServiceToken(): string {
    if (!this.waitingProvider) {
      this.waitingProvider = new cr.Provider(this, 'WaitingProvider', {
        onEventHandler: this.function,
        isCompleteHandler: this.function,
        queryInterval: Duration.seconds(VERIFICATION_QUERY_INTERVAL_SECONDS),
        totalTimeout: VERIFICATION_TOTAL_TIMEOUT,
        logGroup: this.newLogGroup('WaitingProviderLogs', 'waiting-provider'),
        disableWaiterStateMachineLogging: false,
        waiterStateMachineLogOptions: {
          destination: this.newLogGroup('WaiterLogs', 'waiter'),
          level: sfn.LogLevel.ALL,
        },
      });
      this.acknowledgeWaiterFindings(this.waitingProvider);
    }
    return this.waitingProvider.serviceToken;
  }

  /** Lets the handler read the configuration of endpoint services (their private DNS names), once. */
  public allowReadingServiceConfigurations(): void {
    if (this.readsServiceConfigurations) return;
    this.readsServiceConfigurations = true;
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeVpcEndpointServiceConfigurations'],
      resources: ['*'],
    }));
  }

  /**
   * The topic of the `Accept` notifications of every approved service of the stack, created on
   * first use (encrypted with its own key) and subscribed to by the handler.
   */
  public get enforcementTopic(): sns.ITopic {
    if (!this.enforcementTopicOfStack) {
      const topic = encryptedNotificationTopic(new Construct(this, 'Enforcement'),
        `Encrypts the Accept notifications of the services approved by ${this.node.path}`);
      this.function.addEnvironment(ENFORCEMENT_TOPIC_ENV, topic.topicArn);
      this.subscribeTo(topic);
      this.enforcementTopicOfStack = topic;
    }
    return this.enforcementTopicOfStack;
  }

  /**
   * The handler's own alarms, once per topic: errors of the function (any path, any service) and
   * messages in the dead-letter queue (a notification or scheduled run that failed after Lambda's
   * retries).
   */
  public alarmsFor(topic: sns.ITopic): cloudwatch.Alarm[] {
    const key = topic.node.path;
    const existing = this.alarmsByTopic.get(key);
    if (existing) return existing;
    const suffix = this.alarmsByTopic.size === 0 ? '' : Names.uniqueId(topic);
    const alarms = [
      this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }).createAlarm(this, `HandlerErrors${suffix}`, {
        alarmDescription: `The connection approval handler of ${Stack.of(this).stackName} failed a run: see the runFailed lines of its log group.`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, `DeadLetters${suffix}`, {
          alarmDescription: `A notification or scheduled run of the connection approval of ${Stack.of(this).stackName} still failed after `
            + 'Lambda\'s retries and is in the dead-letter queue: fix the cause (see runFailed lines), then redrive or delete the message.',
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    ];
    alarms.forEach(alarm => notify(alarm, topic));
    this.alarmsByTopic.set(key, alarms);
    return alarms;
  }

  /**
   * Subscribes the handler to a topic that receives `Connect` notifications, once per topic,
   * and returns the subscription (which depends on the handler's invoke permission).
   */
  public subscribeTo(topic: sns.ITopic): sns.Subscription {
    const key = topic.node.path;
    const existing = this.subscriptions.get(key);
    if (existing) return existing;
    const suffix = Names.uniqueId(topic);
    this.function.addPermission(`InvokedBy${suffix}`, {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      sourceArn: topic.topicArn,
    });
    const subscription = new sns.Subscription(this, `Subscription${suffix}`, {
      topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: this.function.functionArn,
    });
    subscription.node.addDependency(this.function.node.findChild(`InvokedBy${suffix}`));
    this.subscriptions.set(key, subscription);
    return subscription;
  }

  /**
   * The handler's own stack (status, events, template, resources) and the exports its
   * templates import; the connections of every service. Accept and Reject are in each
   * approval's policy.
   */
  private allowReadingTheStack(): void {
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: [...STACK_READ_ACTIONS],
      resources: [Stack.of(this).stackId],
    }));
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cloudformation:ListExports'],
      resources: ['*'],
    }));
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeVpcEndpointConnections'],
      resources: ['*'],
    }));
  }

  /**
   * A log group of the handler. With a customer managed key it gets a fixed name, so that the key policy can
   * name it without a reference (a circular one: the group needs the key) and the key serves no other group.
   */
  private newLogGroup(id: string, role: string): logs.LogGroup {
    const key = this.settings.logEncryptionKey;
    if (!key) {
      const logGroup = new logs.LogGroup(this, id, { retention: LOG_RETENTION });
      acknowledgeLogGroupEncryption(logGroup);
      return logGroup;
    }
    const stack = Stack.of(this);
    const logGroupName = `${handlerLogGroupPrefix(stack)}/cdk-privatelink/${role}`;
    this.allowLogsToUse(key, id, logGroupName, stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    return new logs.LogGroup(this, id, { retention: LOG_RETENTION, logGroupName, encryptionKey: key });
  }

  private allowLogsToUse(key: kms.IKey, id: string, logGroupName: string, logGroupArn: string): void {
    const stack = Stack.of(this);
    const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
      // One key may serve the handlers of several stacks: the statement IDs of a key policy must differ.
      sid: `CdkPrivateLink${id}${Names.uniqueId(stack)}`,
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('cdk-privatelink:logKeyPolicy',
        `The log encryption key ${key.node.path} is imported: allow logs.${stack.region}.amazonaws.com kms:Encrypt*, kms:Decrypt*, `
        + `kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* in its key policy, with kms:EncryptionContext:aws:logs:arn the ARN of log group ${logGroupName}.`);
    }
  }

  private acknowledgeFindings(provider: cr.Provider): void {
    acknowledgeInlinePolicies(this.function, 'The handler\'s role');
    acknowledgeProviderFramework(provider);
    acknowledgeRule(this.function, 'AwsSolutions-IAM5[Resource::*]',
      'cloudformation:ListExports, ec2:DescribeVpcEndpointConnections and ec2:DescribeVpcEndpointServiceConfigurations have no '
      + 'resource-level permissions; the stack reads are limited to the handler\'s own stack, Accept, Reject and the private DNS '
      + 'name changes to each service.');
    for (const scope of [this.function, provider]) {
      acknowledgeRule(scope,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The managed policy allows creating log groups and streams and writing log events (on *), nothing else; '
        + 'the function writes to its own log group, created by the stack.');
    }
    const handlerId = Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement);
    acknowledgeRule(provider, `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      'aws-cdk-lib\'s provider framework may invoke every version of the one approval handler.');
    acknowledgeRule(provider, 'AwsSolutions-L1',
      'aws-cdk-lib\'s provider framework function: aws-cdk-lib pins its runtime for each release.');
  }

  private acknowledgeWaiterFindings(provider: cr.Provider): void {
    this.acknowledgeFindings(provider);
    const handlerId = Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement);
    for (const id of ['framework-isComplete', 'framework-onTimeout']) {
      const frameworkId = Stack.of(this).getLogicalId(provider.node.findChild(id).node.defaultChild as CfnElement);
      acknowledgeRule(provider, `AwsSolutions-IAM5[Resource::<${frameworkId}.Arn>:*]`,
        'aws-cdk-lib\'s waiter state machine may invoke every version of its own framework functions.');
    }
    acknowledgeRule(provider, `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      'aws-cdk-lib\'s provider framework may invoke every version of the one handler.');
    acknowledgeRule(provider.node.findChild('waiter-state-machine'), 'AwsSolutions-IAM5[Resource::*]',
      'aws-cdk-lib\'s waiter state machine writes its logs through CloudWatch Logs log delivery, whose actions have no resource-level permissions.');
    acknowledgeRule(provider, 'AwsSolutions-SF2',
      'aws-cdk-lib\'s waiter state machine only repeats the completion check every minute: X-Ray tracing would show nothing more.');
  }
}

/**
 * The literal start of the handler's log group names: the stack name, or for a nested stack (whose name is
 * only known at deployment, and whose reference from a key of the parent stack would be circular) the name of
 * its top-level stack and the nested stack's unique ID.
 */
function handlerLogGroupPrefix(stack: Stack): string {
  if (!stack.nested) return stack.stackName;
  let top = stack;
  while (top.nested) top = Stack.of(top.node.scope!);
  return `${top.stackName}/${Names.uniqueId(stack)}`;
}
