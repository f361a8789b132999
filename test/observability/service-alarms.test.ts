import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EndpointServiceAlarmsOptions, PrivateEndpointService } from '../../src';
import { newNlb, newStack, validationErrorOf } from '../helpers';

function newService(): { stack: Stack; service: PrivateEndpointService; topic: sns.Topic } {
  const stack = newStack({ env: { account: '111111111111', region: 'eu-west-1' } });
  const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
  return { stack, service, topic: new sns.Topic(stack, 'Alarms') };
}

function alarmsOf(template: Template): Record<string, any>[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(resource => resource.Properties);
}

const serviceIdOf = (stack: Stack, service: PrivateEndpointService) => stack.resolve(service.vpcEndpointServiceId);

describe('RstPacketsSent: anomaly detection', () => {
  test('Sum over 5 minutes above the upper edge of a 2-standard-deviation band, 3 periods in a row, no data not breaching, notifying the topic', () => {
    const { stack, service, topic } = newService();
    service.addAlarms({ topic });
    const template = Template.fromStack(stack);
    expect(alarmsOf(template)).toEqual([{
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      ThresholdMetricId: 'expr_1',
      Metrics: [
        { Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 2)', Label: 'Anomaly Detection Band', ReturnData: true },
        {
          Id: 'm0',
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/PrivateLinkServices', MetricName: 'RstPacketsSent', Dimensions: [{ Name: 'Service Id', Value: serviceIdOf(stack, service) }] },
            Period: 300,
            Stat: 'Sum',
          },
        },
      ],
      AlarmActions: [stack.resolve(topic.topicArn)],
      AlarmDescription: expect.any(String),
    }]);
    const [alarm] = alarmsOf(template);
    expect(alarm.AlarmDescription).toContain('Endpoint service Stack/Service sent more TCP resets (RstPacketsSent, Sum)');
    expect(alarm.AlarmDescription).toContain('check the target groups\' health');
    expect(alarm).not.toHaveProperty('AlarmName');
  });

  test('the band width, the period and the periods in a row are options', () => {
    const { stack, service, topic } = newService();
    service.addAlarms({ topic, rstPacketsSentBandWidth: 3.5, period: Duration.minutes(1), evaluationPeriods: 10 });
    const [alarm] = alarmsOf(Template.fromStack(stack));
    expect(alarm.Metrics[0].Expression).toBe('ANOMALY_DETECTION_BAND(m0, 3.5)');
    expect(alarm.Metrics[1].MetricStat.Period).toBe(60);
    expect(alarm).toEqual(expect.objectContaining({ EvaluationPeriods: 10, DatapointsToAlarm: 10 }));
    expect(alarm.AlarmDescription).toContain('10 periods of 1 minute in a row');
  });
});

describe('EndpointsCount: fewer endpoints than expected', () => {
  test('only with expectedEndpoints', () => {
    const { stack, service, topic } = newService();
    expect(service.addAlarms({ topic })).toHaveLength(1);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  test('Minimum over 5 minutes less than expectedEndpoints, 3 periods in a row, no data breaching, notifying the topic', () => {
    const { stack, service, topic } = newService();
    service.addAlarms({ topic, expectedEndpoints: 3 });
    const alarm = alarmsOf(Template.fromStack(stack)).find(a => a.MetricName === 'EndpointsCount');
    expect(alarm).toEqual({
      Namespace: 'AWS/PrivateLinkServices',
      MetricName: 'EndpointsCount',
      Dimensions: [{ Name: 'Service Id', Value: serviceIdOf(stack, service) }],
      Statistic: 'Minimum',
      Period: 300,
      Threshold: 3,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
      AlarmActions: [stack.resolve(topic.topicArn)],
      AlarmDescription: expect.stringContaining('Endpoint service Stack/Service had fewer than 3 connected endpoints (EndpointsCount, Minimum) in 3 periods of 5 minutes in a row'),
    });
  });

  test('the period and the periods in a row apply to it too', () => {
    const { stack, service, topic } = newService();
    service.addAlarms({ topic, expectedEndpoints: 1, period: Duration.hours(1), evaluationPeriods: 24 });
    const alarm = alarmsOf(Template.fromStack(stack)).find(a => a.MetricName === 'EndpointsCount');
    expect(alarm).toEqual(expect.objectContaining({ Period: 3600, EvaluationPeriods: 24, DatapointsToAlarm: 24, Threshold: 1 }));
  });
});

test('addAlarms returns the alarms, alarms lists them, and a second call is refused', () => {
  const { service, topic } = newService();
  expect(service.alarms).toEqual([]);
  const alarms = service.addAlarms({ topic, expectedEndpoints: 2 });
  expect(alarms.map(alarm => alarm.node.id)).toEqual(['RstPacketsSentAlarm', 'EndpointsCountAlarm']);
  expect(service.alarms).toEqual(alarms);
  service.alarms.pop();
  expect(service.alarms).toHaveLength(2);
  expect(validationErrorOf(() => service.addAlarms({ topic: new sns.Topic(service.stack, 'Other') })).message)
    .toContain('addAlarms() was called before on Stack/Service: expected one call');
});

describe('bad options are refused, naming the value', () => {
  test.each<[string, Partial<EndpointServiceAlarmsOptions>, string]>([
    ['expectedEndpoints 0', { expectedEndpoints: 0 }, 'expectedEndpoints is 0: expected a whole number, 1 or more'],
    ['expectedEndpoints -2', { expectedEndpoints: -2 }, 'expectedEndpoints is -2'],
    ['expectedEndpoints 1.5', { expectedEndpoints: 1.5 }, 'expectedEndpoints is 1.5'],
    ['expectedEndpoints as a string', { expectedEndpoints: '3' as unknown as number }, "expectedEndpoints is '3'"],
    ['expectedEndpoints as a token', { expectedEndpoints: Lazy.number({ produce: () => 3 }) }, 'expectedEndpoints is'],
    ['band width 0', { rstPacketsSentBandWidth: 0 }, 'rstPacketsSentBandWidth is 0: expected a number of standard deviations above 0'],
    ['band width -1', { rstPacketsSentBandWidth: -1 }, 'rstPacketsSentBandWidth is -1'],
    ['band width NaN', { rstPacketsSentBandWidth: NaN }, 'rstPacketsSentBandWidth is NaN'],
    ['band width Infinity', { rstPacketsSentBandWidth: Infinity }, 'rstPacketsSentBandWidth is Infinity'],
    ['expectedEndpoints NaN', { expectedEndpoints: NaN }, 'expectedEndpoints is NaN'],
    ['evaluationPeriods 0', { evaluationPeriods: 0 }, 'evaluationPeriods is 0: expected a whole number, 1 or more'],
    ['evaluationPeriods 2.5', { evaluationPeriods: 2.5 }, 'evaluationPeriods is 2.5'],
    ['a period of 30 seconds', { period: Duration.seconds(30) }, 'period is 30 seconds: expected a fixed Duration of whole minutes, 1 minute or more'],
    ['a period of 90 seconds', { period: Duration.seconds(90) }, 'period is 1 minute 30 seconds'],
    ['a period that is a token', { period: Duration.minutes(Lazy.number({ produce: () => 5 })) }, 'period is'],
    ['a period that is not a Duration', { period: 300 as unknown as Duration }, 'period is 300'],
    ['more than a day of 5-minute periods', { evaluationPeriods: 289 }, 'evaluationPeriods 289 of 5 minutes is 1 day 5 minutes: expected at most one day for periods under an hour'],
    ['more than 7 days of hours', { period: Duration.hours(1), evaluationPeriods: 169 }, 'evaluationPeriods 169 of 1 hour is 7 days 1 hour: expected at most seven days'],
  ])('%s', (_, options, message) => {
    const { service, topic } = newService();
    expect(validationErrorOf(() => service.addAlarms({ topic, ...options })).message).toContain(message);
    expect(service.alarms).toEqual([]);
  });

  test.each<[string, unknown]>([['no topic', undefined], ['a topic ARN string', 'arn:aws:sns:eu-west-1:111111111111:alarms']])('%s', (_, topic) => {
    const { service } = newService();
    expect(validationErrorOf(() => service.addAlarms({ topic: topic as sns.ITopic })).message).toContain('addAlarms() got topic');
  });

  test('the limits themselves pass: one day of 5-minute periods, seven days of hours', () => {
    const { service, topic } = newService();
    expect(() => service.addAlarms({ topic, evaluationPeriods: 288 })).not.toThrow();
    const other = newService();
    expect(() => other.service.addAlarms({ topic: other.topic, period: Duration.hours(1), evaluationPeriods: 168 })).not.toThrow();
  });
});
