import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, RemovalPolicies, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isolatedVpc } from '../examples/isolated-vpc';
import { AllowedPrincipal, ConnectionApproval, InterfaceEndpoint, PrivateEndpointService, PrivateLinkDashboard } from '../src';
import { ApprovalHandler } from '../src/approval/approval-handler';

// Deployable in any account and Region: an endpoint service, an interface endpoint to it in a second
// VPC of the same account, an approval of that endpoint, the recommended alarms of all three
// notifying one topic, and the dashboard. No traffic flows: the assertions check what was set up.
const app = new App();
const stack = new Stack(app, 'PrivateLinkObservabilityInteg');

const key = new kms.Key(stack, 'AlarmsKey', {
  enableKeyRotation: true,
  description: 'Encrypts the PrivateLink integ test alarm notifications',
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
// CloudWatch publishes the alarms to the encrypted topic.
key.addToResourcePolicy(new iam.PolicyStatement({
  principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
  actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  resources: ['*'],
  conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
}));
const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });

const serviceVpc = isolatedVpc(new Construct(stack, 'Provider'), 'service');
const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: serviceVpc, internetFacing: false });
Validations.of(nlb).acknowledge({ id: 'AwsSolutions-ELB2', reason: 'Integ test load balancer without traffic: no access logs needed.' });
const service = new PrivateEndpointService(stack, 'Service', {
  networkLoadBalancers: [nlb],
  allowedPrincipals: [AllowedPrincipal.account(stack.account)],
});
const consumerVpc = isolatedVpc(new Construct(stack, 'Consumer'), 'endpoints');
const endpoint = new InterfaceEndpoint(stack, 'Endpoint', {
  vpc: consumerVpc,
  service: new ec2.InterfaceVpcEndpointService(service.vpcEndpointServiceName, 443),
  privateDnsEnabled: false,
});
// The endpoint asks to connect once this account may: after the service's permissions.
endpoint.node.addDependency(service.node.findChild('Permissions'));
const approval = new ConnectionApproval(stack, 'Approval', {
  service,
  endpointIds: [endpoint.vpcEndpointId],
  allowedOwners: [stack.account],
});

const [serviceResets, endpointsCount] = service.addAlarms({ topic, expectedEndpoints: 1 });
const [packetsDropped, resetsReceived] = endpoint.addAlarms({ topic });
const [failedRuns, acceptedOutside, listedNotAccepted, handlerErrors, deadLetters] = approval.addAlarms({ topic });
const dashboard = new PrivateLinkDashboard(stack, 'Dashboard', { services: [service], endpoints: [endpoint] });
const handlerLogs = ApprovalHandler.of(stack).logGroup.logGroupName;

const integ = new IntegTest(app, 'ObservabilityInteg', { testCases: [stack] });
const serviceId = service.vpcEndpointServiceId;
const SERVICES = 'AWS/PrivateLinkServices';
const ENDPOINTS = 'AWS/PrivateLinkEndpoints';
const APPROVAL = 'CdkPrivateLink/ConnectionApproval';
const notifiesTopic = { ActionsEnabled: true, AlarmActions: [topic.topicArn] };
const fiveMinutesThreeTimes = { Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3 };

// Endpoint service: resets above the anomaly band (2 standard deviations), fewer endpoints than approved.
expectAlarm(serviceResets, {
  ...notifiesTopic,
  ComparisonOperator: 'GreaterThanUpperThreshold',
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
  TreatMissingData: 'notBreaching',
  ThresholdMetricId: Match.stringLikeRegexp('.+'),
  Metrics: Match.arrayWith([Match.objectLike({
    MetricStat: {
      Metric: { Namespace: SERVICES, MetricName: 'RstPacketsSent', Dimensions: [{ Name: 'Service Id', Value: serviceId }] },
      Period: 300,
      Stat: 'Sum',
    },
  })]),
});
expectAlarm(serviceResets, {
  Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('^ANOMALY_DETECTION_BAND\\(\\w+, ?2\\)$') })]),
});
expectAlarm(endpointsCount, {
  ...notifiesTopic,
  ...fiveMinutesThreeTimes,
  Namespace: SERVICES,
  MetricName: 'EndpointsCount',
  Dimensions: [{ Name: 'Service Id', Value: serviceId }],
  Statistic: 'Minimum',
  ComparisonOperator: 'LessThanThreshold',
  Threshold: 1,
  TreatMissingData: 'breaching',
});

// Interface endpoint: any drop, any reset received.
const endpointDimensions = [
  { Name: 'Endpoint Type', Value: 'Interface' },
  { Name: 'Service Name', Value: service.vpcEndpointServiceName },
  { Name: 'VPC Endpoint Id', Value: endpoint.vpcEndpointId },
  { Name: 'VPC Id', Value: consumerVpc.vpcId },
];
for (const [alarm, metricName] of [[packetsDropped, 'PacketsDropped'], [resetsReceived, 'RstPacketsReceived']] as const) {
  expectAlarm(alarm, {
    ...notifiesTopic,
    ...fiveMinutesThreeTimes,
    Namespace: ENDPOINTS,
    MetricName: metricName,
    Dimensions: endpointDimensions,
    Statistic: 'Sum',
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
    TreatMissingData: 'notBreaching',
  });
}

// Approval: a failed run or a connection accepted outside it at once; a listed ID not accepted in 6 of 7 hours.
const atLeastOnce = { ...notifiesTopic, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, TreatMissingData: 'notBreaching' };
const approvalDimensions = [{ Name: 'ServiceId', Value: serviceId }];
expectAlarm(failedRuns, { ...atLeastOnce, Namespace: APPROVAL, MetricName: 'FailedRuns', Dimensions: approvalDimensions, Period: 300, EvaluationPeriods: 1 });
expectAlarm(acceptedOutside, {
  ...atLeastOnce, Namespace: APPROVAL, MetricName: 'ConnectionsAcceptedOutsideApproval', Dimensions: approvalDimensions, Period: 300, EvaluationPeriods: 1,
});
expectAlarm(listedNotAccepted, {
  ...atLeastOnce,
  Namespace: APPROVAL,
  MetricName: 'ListedEndpointsNotAccepted',
  Dimensions: approvalDimensions,
  Period: 3600,
  EvaluationPeriods: 7,
  DatapointsToAlarm: 6,
});
// The handler of the stack: its errors and its dead letters.
expectAlarm(handlerErrors, {
  ...atLeastOnce,
  Namespace: 'AWS/Lambda',
  MetricName: 'Errors',
  Dimensions: [{ Name: 'FunctionName', Value: ApprovalHandler.of(stack).function.functionName }],
  Period: 300,
  EvaluationPeriods: 1,
});
expectAlarm(deadLetters, {
  ...atLeastOnce,
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: ApprovalHandler.of(stack).deadLetterQueue.queueName }],
  Statistic: 'Maximum',
  Period: 300,
  EvaluationPeriods: 1,
});

// The dashboard exists and graphs the service, its approval and the endpoint, with the state of the alarms. Only
// single values of its body are read back: the whole body is larger than a custom resource's response may be (4 KB).
// Its layout: a title, then the service's row (bytes, connections, endpoints and resets, approval decisions,
// alarms), then the endpoint's title and row (bytes first).
const dashboardValues: Array<[string, string]> = [
  ['widgets.1.properties.metrics.0.0', SERVICES],
  ['widgets.1.properties.metrics.0.1', 'BytesProcessed'],
  ['widgets.1.properties.metrics.0.3', serviceId],
  ['widgets.4.properties.metrics.0.0', APPROVAL],
  ['widgets.4.properties.metrics.0.3', serviceId],
  ['widgets.5.properties.alarms.0', serviceResets.alarmArn],
  ['widgets.7.properties.metrics.0.0', ENDPOINTS],
  ['widgets.7.properties.metrics.0.7', endpoint.vpcEndpointId],
];
for (const [path, value] of dashboardValues) {
  integ.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: dashboard.dashboard.dashboardName })
    .assertAtPath(`DashboardBody.${path}`, ExpectedResult.stringLikeRegexp(`^${value}$`));
}

// The approval's metric filters count the decision lines of the handler's log group, per service.
const decisions: Array<[string, string[]]> = [
  ['ConnectionsAccepted', ['accepted']],
  ['ConnectionsRejected', ['rejected']],
  ['RequestsLeftPending', ['leftPending']],
  ['ListedEndpointsBlocked', ['blocked']],
  ['ListedEndpointsNotAccepted', ['blocked', 'missing', 'awaitingAcceptance']],
];
for (const [metricName, outcomes] of decisions) {
  expectMetricFilter(metricName, ['\\$\\.message\\.event\\s*=\\s*"decision"', ...outcomes.map(outcome => `\\$\\.message\\.outcome\\s*=\\s*"${outcome}"`)]);
}
expectMetricFilter('ConnectionsAcceptedOutsideApproval', ['\\$\\.message\\.event\\s*=\\s*"decision"', '\\$\\.message\\.outsideApproval\\s*IS\\s*TRUE']);
expectMetricFilter('FailedRuns', ['\\$\\.message\\.event\\s*=\\s*"runFailed"']);

// The deployed ConnectionsAccepted filter matches the line the handler wrote when it accepted the endpoint.
const acceptedFilter = integ.assertions.awsApiCall('CloudWatchLogs', 'describeMetricFilters', {
  logGroupName: handlerLogs, metricName: 'ConnectionsAccepted', metricNamespace: APPROVAL,
});
// The call's parameters are JSON text at deployment, and the pattern has quotes: they are escaped.
const acceptedPattern = Fn.join('\\"', Fn.split('"', acceptedFilter.getAttString('metricFilters.0.filterPattern')));
integ.assertions.awsApiCall('CloudWatchLogs', 'filterLogEvents', { logGroupName: handlerLogs, filterPattern: acceptedPattern })
  .expect(ExpectedResult.objectLike({
    events: Match.arrayWith([Match.objectLike({
      message: Match.stringLikeRegexp(Object.entries({ serviceId, endpointId: endpoint.vpcEndpointId, outcome: 'accepted' })
        .map(([field, value]) => `(?=.*"${field}":\\s*"${value}")`).join('')),
    })]),
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });
// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();

/** DescribeAlarms for the alarm: one metric alarm with these properties (and maybe more). */
function expectAlarm(alarm: cloudwatch.Alarm, properties: Record<string, unknown>): void {
  integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarmName] })
    .expect(ExpectedResult.objectLike({ MetricAlarms: [Match.objectLike({ AlarmName: alarm.alarmName, ...properties })] }));
}

/** The one metric filter of the handler's log group for the metric: counts 1 per line matching every pattern, under the line's service ID. */
function expectMetricFilter(metricName: string, patterns: string[]): void {
  integ.assertions.awsApiCall('CloudWatchLogs', 'describeMetricFilters', { logGroupName: handlerLogs, metricName, metricNamespace: APPROVAL })
    .expect(ExpectedResult.objectLike({
      metricFilters: [Match.objectLike({
        logGroupName: handlerLogs,
        filterPattern: Match.stringLikeRegexp(patterns.map(pattern => `(?=.*${pattern})`).join('')),
        metricTransformations: [Match.objectLike({
          metricName,
          metricNamespace: APPROVAL,
          metricValue: '1',
          dimensions: { ServiceId: '$.message.serviceId' },
        })],
      })],
    }));
}
