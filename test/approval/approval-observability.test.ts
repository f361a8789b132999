import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { endpointId } from './fake-ec2';
import { CONSUMER, Harness, SCHEDULED_EVENT, STRANGER, pending } from './handler-harness';
import { matchesJsonFilter } from './json-filter-pattern';
import { ConnectionApproval, EndpointRemoval, MissingEndpoints, PrivateEndpointService, UnlistedConnections } from '../../src';
import { ApprovalHandler } from '../../src/approval/approval-handler';
import { newNlb, validationErrorOf } from '../helpers';

const NAMESPACE = 'CdkPrivateLink/ConnectionApproval';
const METRIC_NAMES = [
  'ConnectionsAccepted', 'ConnectionsRejected', 'RequestsLeftPending', 'ListedEndpointsBlocked',
  'ListedEndpointsNotAccepted', 'ConnectionsAcceptedOutsideApproval', 'FailedRuns',
];

function newStack(): Stack {
  return new Stack(new App(), 'Provider', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function newService(stack: Stack, id = 'Service', approval: ConstructorParameters<typeof PrivateEndpointService>[2]['connectionApproval'] = {}) {
  return new PrivateEndpointService(stack, id, { networkLoadBalancers: [newNlb(stack, `${id}Nlb`)], connectionApproval: { endpointIds: [endpointId(1)], ...approval } });
}

/** The metric filters of the template, by metric name. */
function metricFilters(template: Template): Map<string, Record<string, any>> {
  const filters = new Map<string, Record<string, any>>();
  for (const filter of Object.values(template.findResources('AWS::Logs::MetricFilter'))) {
    const [transformation] = filter.Properties.MetricTransformations;
    filters.set(transformation.MetricName, filter.Properties);
  }
  return filters;
}

/** How a handler's logged object reaches CloudWatch Logs with Lambda's JSON log format. */
function lambdaJsonRecord(message: unknown): string {
  return JSON.stringify({ timestamp: '2026-12-02T12:00:00.000Z', level: 'INFO', requestId: '8f5e0f1c-0000-4000-8000-000000000000', message });
}

describe('the approval\'s metric filters', () => {
  test('one filter per metric on the handler\'s log group, counting 1 per line under the service ID of the line', () => {
    const stack = newStack();
    newService(stack);
    const template = Template.fromStack(stack);
    const filters = metricFilters(template);
    expect([...filters.keys()].sort()).toEqual([...METRIC_NAMES].sort());
    const logGroup = stack.resolve(ApprovalHandler.of(stack).logGroup.logGroupName);
    for (const filter of filters.values()) {
      expect(filter.LogGroupName).toEqual(logGroup);
      expect(filter.MetricTransformations).toEqual([expect.objectContaining({
        MetricNamespace: NAMESPACE,
        MetricValue: '1',
        Unit: 'Count',
        Dimensions: [{ Key: 'ServiceId', Value: '$.message.serviceId' }],
      })]);
    }
  });

  test('two approvals in a stack share the filters; the metrics of each are told apart by the ServiceId dimension', () => {
    const stack = newStack();
    const [a, b] = [newService(stack, 'A'), newService(stack, 'B')];
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', METRIC_NAMES.length);
    expect(stack.resolve(a.approval!.metricConnectionsAccepted().dimensions)).toEqual({ ServiceId: stack.resolve(a.vpcEndpointServiceId) });
    expect(stack.resolve(b.approval!.metricConnectionsAccepted().dimensions)).toEqual({ ServiceId: stack.resolve(b.vpcEndpointServiceId) });
  });

  test('the filters count the handler\'s own log lines of each kind, and nothing else', async () => {
    const filters = metricFilters(Template.fromStack((() => {
      const stack = newStack();
      newService(stack);
      return stack;
    })()));

    // Real handler runs: a deployment that accepts 1, leaves 2 pending, finds 3 missing and 4 blocked (wrong owner),
    // then a scheduled run that rejects 5 (accepted by hand) and a failing run.
    const h = new Harness([pending(1), pending(2), pending(4, { owner: STRANGER })]);
    try {
      await h.deploy({ ids: [endpointId(1), endpointId(3)], owners: [CONSUMER], acceptOnArrival: true, onRemoval: 'reject', unlistedAccepted: 'reject' });
      h.ec2.add(pending(5, { state: 'available' }));
      await h.run(SCHEDULED_EVENT);
      h.cfn.describeStacksError = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      await h.run(SCHEDULED_EVENT).catch(() => undefined);
      const lines = [...h.logged.map(lambdaJsonRecord), 'START RequestId: 8f5e0f1c Version: $LATEST', lambdaJsonRecord('a plain text message')];
      const counts = Object.fromEntries([...filters]
        .map(([name, filter]) => [name, lines.filter(line => matchesJsonFilter(filter.FilterPattern, line)).length]));
      const outcomes = (...wanted: string[]) => h.logged.filter(l => l.event === 'decision' && wanted.includes(String(l.outcome))).length;
      expect(counts).toEqual({
        ConnectionsAccepted: 1,
        ConnectionsRejected: 1,
        RequestsLeftPending: outcomes('leftPending'),
        ListedEndpointsBlocked: 0,
        ListedEndpointsNotAccepted: outcomes('missing'),
        ConnectionsAcceptedOutsideApproval: 1,
        FailedRuns: 1,
      });
      expect(counts.RequestsLeftPending).toBeGreaterThanOrEqual(2);
      expect(counts.ListedEndpointsNotAccepted).toBe(2);
    } finally {
      h.restore();
    }
  });

  test('a listed ID that cannot be accepted counts as blocked and as not accepted, and its failed deployment as a failed run', async () => {
    const stack = newStack();
    newService(stack);
    const filters = metricFilters(Template.fromStack(stack));
    const h = new Harness([pending(1, { state: 'rejected' })]);
    try {
      await h.deploy({ ids: [endpointId(1)] }).catch(() => undefined);
      const lines = h.logged.map(lambdaJsonRecord);
      const count = (name: string) => lines.filter(line => matchesJsonFilter(filters.get(name)!.FilterPattern, line)).length;
      expect([count('ListedEndpointsBlocked'), count('ListedEndpointsNotAccepted'), count('FailedRuns'), count('ConnectionsAccepted')]).toEqual([1, 1, 1, 0]);
      expect(h.logged).toContainEqual(expect.objectContaining({ event: 'runFailed', serviceId: 'vpce-svc-0123456789abcdef0', trigger: 'Create' }));
    } finally {
      h.restore();
    }
  });
});

describe('ConnectionApproval metric methods', () => {
  const methods: Array<[keyof ConnectionApproval, string]> = [
    ['metricConnectionsAccepted', 'ConnectionsAccepted'],
    ['metricConnectionsRejected', 'ConnectionsRejected'],
    ['metricRequestsLeftPending', 'RequestsLeftPending'],
    ['metricListedEndpointsBlocked', 'ListedEndpointsBlocked'],
    ['metricListedEndpointsNotAccepted', 'ListedEndpointsNotAccepted'],
    ['metricConnectionsAcceptedOutsideApproval', 'ConnectionsAcceptedOutsideApproval'],
    ['metricFailedRuns', 'FailedRuns'],
  ];
  test.each(methods)('%s: the namespace, name and ServiceId of the filter, Sum over 5 minutes by default', (method, metricName) => {
    const stack = newStack();
    const approval = newService(stack).approval!;
    const metric = (approval[method] as (props?: object) => any).call(approval);
    expect(stack.resolve(metric.toMetricConfig().metricStat)).toEqual(expect.objectContaining({
      namespace: NAMESPACE,
      metricName,
      statistic: 'Sum',
      period: Duration.minutes(5),
      dimensions: [{ name: 'ServiceId', value: stack.resolve(approval.service.vpcEndpointServiceId) }],
    }));
    expect(metricFilters(Template.fromStack(stack)).has(metricName)).toBe(true);
    const hourly = (approval[method] as (props?: object) => any).call(approval, { period: Duration.hours(1), statistic: 'Maximum' });
    expect(hourly.period.toHours()).toBe(1);
    expect(hourly.statistic).toBe('Maximum');
  });
});

describe('ConnectionApproval.addAlarms', () => {
  function alarmsOf(template: Template): Record<string, any>[] {
    return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(alarm => alarm.Properties);
  }

  test('failed runs, connections accepted outside the approval and listed IDs not accepted for 6 hours, plus the handler\'s own two, each notifying the topic', () => {
    const stack = newStack();
    const approval = newService(stack).approval!;
    const topic = new sns.Topic(stack, 'Alarms');
    const alarms = approval.addAlarms({ topic });
    expect(alarms).toHaveLength(5);
    expect(approval.alarms).toEqual(alarms);
    const template = Template.fromStack(stack);
    const rendered = alarmsOf(template);
    expect(rendered).toHaveLength(5);
    for (const alarm of rendered) {
      expect(alarm.AlarmActions).toEqual([stack.resolve(topic.topicArn)]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.Threshold).toBe(1);
      expect(alarm.AlarmDescription).toEqual(expect.any(String));
    }
    const byMetric = (name: string) => rendered.find(alarm => alarm.MetricName === name)!;
    expect(byMetric('FailedRuns')).toEqual(expect.objectContaining({ Namespace: NAMESPACE, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1 }));
    expect(byMetric('ConnectionsAcceptedOutsideApproval')).toEqual(expect.objectContaining({ Period: 300, EvaluationPeriods: 1 }));
    expect(byMetric('ListedEndpointsNotAccepted')).toEqual(expect.objectContaining({ Period: 3600, EvaluationPeriods: 7, DatapointsToAlarm: 6 }));
    expect(byMetric('Errors')).toEqual(expect.objectContaining({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300 }));
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toEqual(expect.objectContaining({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(approval.deadLetterQueue.queueName) }],
    }));
    for (const name of ['FailedRuns', 'ConnectionsAcceptedOutsideApproval', 'ListedEndpointsNotAccepted']) {
      expect(byMetric(name).Dimensions).toEqual([{ Name: 'ServiceId', Value: stack.resolve(approval.service.vpcEndpointServiceId) }]);
    }
  });

  test('the handler\'s alarms are created once per stack and topic, however many approvals add alarms', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    const other = new sns.Topic(stack, 'Other');
    newService(stack, 'A').approval!.addAlarms({ topic });
    newService(stack, 'B').approval!.addAlarms({ topic });
    newService(stack, 'C').approval!.addAlarms({ topic: other });
    const rendered = alarmsOf(Template.fromStack(stack));
    expect(rendered.filter(alarm => alarm.MetricName === 'Errors')).toHaveLength(2);
    expect(rendered.filter(alarm => alarm.MetricName === 'FailedRuns')).toHaveLength(3);
  });

  test('listedNotAcceptedFor sets the hours; other values are refused, naming them', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    newService(stack, 'A').approval!.addAlarms({ topic, listedNotAcceptedFor: Duration.hours(24) });
    expect(alarmsOf(Template.fromStack(stack)).find(alarm => alarm.MetricName === 'ListedEndpointsNotAccepted'))
      .toEqual(expect.objectContaining({ EvaluationPeriods: 25, DatapointsToAlarm: 24 }));
    for (const [bad, shown] of [[Duration.minutes(30), '30 minutes'], [Duration.minutes(90), '1 hour 30 minutes'], [Duration.days(7), '7 days'], [Duration.hours(0), '0 hours']] as const) {
      const approval = newService(stack, `S${shown.replace(/\W/g, '')}`).approval!;
      expect(validationErrorOf(() => approval.addAlarms({ topic, listedNotAcceptedFor: bad })).message).toContain(`listedNotAcceptedFor is ${shown}`);
    }
  });

  test('a second addAlarms on one approval is refused', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    const approval = newService(stack).approval!;
    approval.addAlarms({ topic });
    expect(validationErrorOf(() => approval.addAlarms({ topic })).message).toMatch(/addAlarms\(\) was called before/);
  });
});

describe('continuous enforcement in the template', () => {
  test('an hourly EventBridge schedule invokes the handler', () => {
    const stack = newStack();
    newService(stack);
    const template = Template.fromStack(stack);
    const handlerArn = stack.resolve(ApprovalHandler.of(stack).function.functionArn);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: handlerArn })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', FunctionName: handlerArn });
  });

  test('each approval notifies its service\'s Accept events to the one enforcement topic of the stack, subscribed once', () => {
    const stack = newStack();
    const [a, b] = [newService(stack, 'A'), newService(stack, 'B')];
    const template = Template.fromStack(stack);
    const topicArn = stack.resolve(ApprovalHandler.of(stack).enforcementTopic.topicArn);
    for (const service of [a, b]) {
      template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
        ServiceId: stack.resolve(service.vpcEndpointServiceId), ConnectionEvents: ['Accept'], ConnectionNotificationArn: topicArn,
      });
      expect(service.approval!.enforcement.topic).toBe(ApprovalHandler.of(stack).enforcementTopic);
    }
    expect(Object.values(template.findResources('AWS::SNS::Subscription')).filter(s => JSON.stringify(s.Properties.TopicArn) === JSON.stringify(topicArn))).toHaveLength(1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    const sources = policy.filter((s: any) => s.Principal?.Service === 'vpce.amazonaws.com').map((s: any) => s.Condition.ArnLike['aws:SourceArn']);
    expect(sources).toHaveLength(2);
  });

  test('UnlistedConnections.REJECT is rendered and allows Reject; REPORT without rejections does not', () => {
    const stack = newStack();
    const rejecting = newService(stack, 'A', { unlistedAccepted: UnlistedConnections.REJECT, onRemoval: EndpointRemoval.REJECT });
    const reporting = newService(stack, 'B');
    const template = Template.fromStack(stack);
    const approvalOf = (service: PrivateEndpointService) => Object.values(template.findResources('Custom::VpcEndpointConnectionApproval'))
      .find(r => JSON.stringify(r.Properties.ServiceId) === JSON.stringify(stack.resolve(service.vpcEndpointServiceId)))!;
    expect(approvalOf(rejecting).Properties.UnlistedAccepted).toBe('reject');
    expect(approvalOf(reporting).Properties.UnlistedAccepted).toBe('report');
    const actionsOf = (service: PrivateEndpointService) => Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(p => JSON.stringify(p.Properties.PolicyDocument).includes(JSON.stringify(stack.resolve(service.vpcEndpointServiceId))))
      .flatMap(p => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
    expect(actionsOf(rejecting)).toContain('ec2:RejectVpcEndpointConnections');
    expect(actionsOf(reporting)).not.toContain('ec2:RejectVpcEndpointConnections');
  });

  test('REJECT with onRemoval LEAVE is refused: enforcement would reject what LEAVE keeps', () => {
    const stack = newStack();
    const error = validationErrorOf(() => newService(stack, 'A', { unlistedAccepted: UnlistedConnections.REJECT }));
    expect(error.message).toContain('unlistedAccepted: UnlistedConnections.REJECT with onRemoval: EndpointRemoval.LEAVE');
    expect(error.message).toContain('Expected onRemoval: EndpointRemoval.REJECT');
  });

  test('an unknown unlistedAccepted value is refused, naming the values expected', () => {
    const stack = newStack();
    const error = validationErrorOf(() => newService(stack, 'A', { unlistedAccepted: 'REJECT' as UnlistedConnections }));
    expect(error.message).toContain('unlistedAccepted');
    expect(error.message).toContain('UnlistedConnections.REPORT');
  });

  test('a late-arrival approval keeps its Connect notification apart from the Accept one', () => {
    const stack = newStack();
    const service = newService(stack, 'A', { missingEndpoints: MissingEndpoints.acceptOnArrival() });
    const template = Template.fromStack(stack);
    const events = Object.values(template.findResources('AWS::EC2::VPCEndpointConnectionNotification')).map(n => n.Properties.ConnectionEvents);
    expect(events.sort()).toEqual([['Accept'], ['Connect']]);
    expect(service.approval!.lateArrivals!.topic).not.toBe(service.approval!.enforcement.topic);
  });
});
