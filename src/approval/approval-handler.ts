import * as path from 'path';
import { CfnElement, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { APPROVAL_TABLE_ENV } from './handler-contract';
import { acknowledgeRule, fail } from '../validation';

const ID = 'CdkPrivateLinkConnectionApproval';
/** Built by the `bundle:handlers` task from `lambda/approval`; shipped in the npm package. */
const ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'approval-handler');
/** Pinned, so that downstream snapshots do not drift with the aws-cdk-lib version. */
const RUNTIME = lambda.Runtime.NODEJS_24_X;
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * The one approval handler of a stack, shared by every `ConnectionApproval` in it: the
 * function (deploy-time and late-arrival paths), its custom resource provider, and the table
 * that holds the approved lists for the late-arrival path.
 */
export class ApprovalHandler extends Construct {
  /** The stack's handler, created on first use. */
  public static of(scope: IConstruct): ApprovalHandler {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as ApprovalHandler | undefined) ?? new ApprovalHandler(stack, ID);
  }

  /** The token that custom resources pass to CloudFormation. */
  public readonly serviceToken: string;
  public readonly function: lambda.Function;

  private readonly services = new Map<string, string>();
  private readonly subscriptions = new Map<string, sns.Subscription>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new dynamodb.Table(this, 'Approvals', {
      partitionKey: { name: 'ServiceId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'ApprovalId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Lists of runs that died before confirming them.
      timeToLiveAttribute: 'ExpiresAt',
      // Only a copy of the custom resources' properties, rewritten on every deployment.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new lambda.Function(this, 'Handler', {
      description: 'cdk-privatelink: accepts only the listed VPC endpoint connections',
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
      logGroup: new logs.LogGroup(this, 'HandlerLogs', { retention: LOG_RETENTION }),
      environment: { [APPROVAL_TABLE_ENV]: table.tableName },
    });
    table.grant(this.function, 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query');
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeVpcEndpointConnections'],
      resources: ['*'],
    }));
    // Rejections wait while the stack rolls back; Accept and Reject are in each approval's policy.
    this.function.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cloudformation:DescribeStacks'],
      resources: [Stack.of(this).stackId],
    }));

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: LOG_RETENTION }),
    });
    this.serviceToken = provider.serviceToken;
    this.acknowledgeFindings(provider);
  }

  /** Records the service of an approval; a second approval of the same service in the stack is refused. */
  public register(approval: IConstruct, serviceId: string): void {
    const key = JSON.stringify(Stack.of(this).resolve(serviceId));
    const first = this.services.get(key);
    if (first) {
      fail(approval, `Endpoint service ${Token.isUnresolved(serviceId) ? key : serviceId} already has a connection approval in this stack `
        + `(${first}): expected one approval per service; add endpoint IDs to it with addEndpointIds() or approveEndpoints().`);
    }
    this.services.set(key, approval.node.path);
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

  private acknowledgeFindings(provider: cr.Provider): void {
    acknowledgeRule(this.function, 'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeVpcEndpointConnections has no resource-level permissions; Accept and Reject are limited to each approved service.');
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
}
