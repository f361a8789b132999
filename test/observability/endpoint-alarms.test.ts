import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsServiceEndpoints, InterfaceEndpoint, InterfaceEndpointAlarmsOptions } from '../../src';
import { newStack, validationErrorOf } from '../helpers';

const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

function newVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function newEndpoint(props: { serviceRegion?: string } = {}) {
  const stack = newStack({ env: { account: '222222222222', region: 'eu-west-1' } });
  const vpc = newVpc(stack);
  const service = new ec2.InterfaceVpcEndpointService(props.serviceRegion ? PARTNER.replace('eu-west-1', props.serviceRegion) : PARTNER, 443);
  const endpoint = new InterfaceEndpoint(stack, 'Endpoint', { vpc, service, serviceRegion: props.serviceRegion });
  return { stack, vpc, endpoint, topic: new sns.Topic(stack, 'Alarms') };
}

function alarmsByMetric(template: Template): Record<string, Record<string, any>> {
  return Object.fromEntries(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(r => [r.Properties.MetricName, r.Properties]));
}

function endpointDimensions(stack: Stack, vpc: ec2.Vpc, endpoint: InterfaceEndpoint) {
  return [
    { Name: 'Endpoint Type', Value: 'Interface' },
    { Name: 'Service Name', Value: PARTNER },
    { Name: 'VPC Endpoint Id', Value: { Ref: stack.getLogicalId(endpoint.node.findChild('Resource').node.defaultChild as CfnElement) } },
    { Name: 'VPC Id', Value: stack.resolve(vpc.vpcId) },
  ];
}

test.each([
  ['PacketsDropped', 'Interface endpoint Stack/Endpoint dropped packets (PacketsDropped, Sum > 0) in 3 periods of 5 minutes in a row'],
  ['RstPacketsReceived', 'Interface endpoint Stack/Endpoint received TCP resets from its service (RstPacketsReceived, Sum > 0) in 3 periods of 5 minutes in a row'],
])('%s: Sum over 5 minutes above 0, 3 periods in a row, no data not breaching, notifying the topic', (metricName, description) => {
  const { stack, vpc, endpoint, topic } = newEndpoint();
  endpoint.addAlarms({ topic });
  const alarms = alarmsByMetric(Template.fromStack(stack));
  expect(Object.keys(alarms).sort()).toEqual(['PacketsDropped', 'RstPacketsReceived']);
  expect(alarms[metricName]).toEqual({
    Namespace: 'AWS/PrivateLinkEndpoints',
    MetricName: metricName,
    Dimensions: endpointDimensions(stack, vpc, endpoint),
    Statistic: 'Sum',
    Period: 300,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    TreatMissingData: 'notBreaching',
    AlarmActions: [stack.resolve(topic.topicArn)],
    AlarmDescription: expect.stringContaining(description),
  });
});

test('the period and the periods in a row are options', () => {
  const { stack, endpoint, topic } = newEndpoint();
  endpoint.addAlarms({ topic, period: Duration.minutes(1), evaluationPeriods: 15 });
  for (const alarm of Object.values(alarmsByMetric(Template.fromStack(stack)))) {
    expect(alarm).toEqual(expect.objectContaining({ Period: 60, EvaluationPeriods: 15, DatapointsToAlarm: 15, Threshold: 0 }));
    expect(alarm.AlarmDescription).toContain('15 periods of 1 minute in a row');
  }
});

test('addAlarms returns the alarms, alarms lists them, and a second call is refused', () => {
  const { endpoint, topic } = newEndpoint();
  expect(endpoint.alarms).toEqual([]);
  const alarms = endpoint.addAlarms({ topic });
  expect(alarms.map(alarm => alarm.node.id)).toEqual(['PacketsDroppedAlarm', 'RstPacketsReceivedAlarm']);
  expect(endpoint.alarms).toEqual(alarms);
  expect(validationErrorOf(() => endpoint.addAlarms({ topic })).message).toContain('addAlarms() was called before on Stack/Endpoint');
});

test('a cross-Region endpoint warns that AWS publishes no metrics for it', () => {
  const { stack, endpoint, topic } = newEndpoint({ serviceRegion: 'us-east-1' });
  endpoint.addAlarms({ topic });
  Annotations.fromStack(stack).hasWarning('/Stack/Endpoint', Match.stringLikeRegexp('publishes no CloudWatch metrics for endpoints that use cross-Region access .*us-east-1'));
  const sameRegion = newEndpoint();
  sameRegion.endpoint.addAlarms({ topic: sameRegion.topic });
  Annotations.fromStack(sameRegion.stack).hasNoWarning('*', Match.stringLikeRegexp('cross-Region'));
});

describe('bad options are refused, naming the value', () => {
  test.each<[string, Partial<InterfaceEndpointAlarmsOptions>, string]>([
    ['evaluationPeriods 0', { evaluationPeriods: 0 }, 'evaluationPeriods is 0: expected a whole number, 1 or more'],
    ['evaluationPeriods -3', { evaluationPeriods: -3 }, 'evaluationPeriods is -3'],
    ['evaluationPeriods 1.5', { evaluationPeriods: 1.5 }, 'evaluationPeriods is 1.5'],
    ['a period of 10 seconds', { period: Duration.seconds(10) }, 'period is 10 seconds: expected a fixed Duration of whole minutes'],
    ['a period of 2.5 minutes', { period: Duration.seconds(150) }, 'period is 2 minutes 30 seconds'],
    ['more than a day of minutes', { period: Duration.minutes(1), evaluationPeriods: 1441 }, 'evaluationPeriods 1441 of 1 minute is 1 day 1 minute'],
  ])('%s', (_, options, message) => {
    const { endpoint, topic } = newEndpoint();
    expect(validationErrorOf(() => endpoint.addAlarms({ topic, ...options })).message).toContain(message);
  });

  test('no topic', () => {
    const { endpoint } = newEndpoint();
    expect(validationErrorOf(() => endpoint.addAlarms({} as InterfaceEndpointAlarmsOptions)).message)
      .toContain('addAlarms() got topic undefined: expected an SNS topic');
  });
});

test('AwsServiceEndpoints adds the alarms to every endpoint, each with its own dimensions', () => {
  const stack = newStack({ env: { account: '222222222222', region: 'eu-west-1' } });
  const endpoints = new AwsServiceEndpoints(stack, 'Endpoints', { vpc: newVpc(stack), services: AwsServiceEndpoints.sessionManager() });
  const topic = new sns.Topic(stack, 'Alarms');
  const alarms = endpoints.addAlarms({ topic, evaluationPeriods: 2 });
  expect(alarms).toHaveLength(6);
  endpoints.endpoints.forEach(endpoint => expect(endpoint.alarms).toHaveLength(2));
  const resources = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties);
  const serviceNames = resources.map(alarm => JSON.stringify(alarm.Dimensions.find((d: { Name: string }) => d.Name === 'Service Name').Value));
  expect(new Set(serviceNames).size).toBe(3);
  resources.forEach(alarm => expect(alarm).toEqual(expect.objectContaining({ EvaluationPeriods: 2, AlarmActions: [stack.resolve(topic.topicArn)] })));
});
