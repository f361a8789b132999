import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { EndpointServiceAlarmsOptions } from './alarm-options';
import { alarmTiming, alarmTopic, describePeriods, notify, wholeNumber } from './alarm-timing';
import { EndpointServiceMetricOptions } from './metric-options';
import { describe, fail, propName } from '../validation';

/** The default width of the RstPacketsSent band, in standard deviations (aws-cdk-lib's default). */
export const DEFAULT_RST_PACKETS_SENT_BAND_WIDTH = 2;

/** What the alarms need of an endpoint service: the scope of the alarms and its metrics. */
export type MeteredEndpointService = Construct & {
  metricRstPacketsSent(props?: EndpointServiceMetricOptions): cloudwatch.Metric;
  metricEndpointsCount(props?: EndpointServiceMetricOptions): cloudwatch.Metric;
};

/**
 * The recommended alarms of an endpoint service, each notifying the topic:
 *
 * - `RstPacketsSentAlarm`: RstPacketsSent (Sum per period) above the upper edge of its anomaly
 *   detection band, `rstPacketsSentBandWidth` standard deviations wide, in `evaluationPeriods`
 *   periods in a row; no data (no resets) is not breaching.
 * - `EndpointsCountAlarm`, with `expectedEndpoints`: EndpointsCount (Minimum per period) below
 *   `expectedEndpoints` in `evaluationPeriods` periods in a row; no data is breaching, as AWS
 *   publishes no EndpointsCount data point while no endpoint is connected.
 */
export function createServiceAlarms(service: MeteredEndpointService, options: EndpointServiceAlarmsOptions): cloudwatch.Alarm[] {
  const topic = alarmTopic(service, options);
  const timing = alarmTiming(service, options.period, options.evaluationPeriods);
  const bandWidth = rstBandWidth(service, options.rstPacketsSentBandWidth);
  const path = service.node.path;
  const alarms: cloudwatch.Alarm[] = [new cloudwatch.AnomalyDetectionAlarm(service, 'RstPacketsSentAlarm', {
    metric: service.metricRstPacketsSent({ period: timing.period }),
    stdDevs: bandWidth,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: timing.evaluationPeriods,
    datapointsToAlarm: timing.evaluationPeriods,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `Endpoint service ${path} sent more TCP resets (RstPacketsSent, Sum) than its anomaly detection band of ${bandWidth} `
      + `standard deviations allows, in ${describePeriods(timing)}. Its load balancer resets consumers' connections, often because targets `
      + 'are unhealthy or no listener or target takes the port: check the target groups\' health, then RstPacketsSent by Az and '
      + 'Load Balancer Arn to see where.',
  })];
  if (options.expectedEndpoints !== undefined) {
    const expected = wholeNumber(service, 'expectedEndpoints', options.expectedEndpoints);
    alarms.push(new cloudwatch.Alarm(service, 'EndpointsCountAlarm', {
      metric: service.metricEndpointsCount({ period: timing.period, statistic: cloudwatch.Stats.MINIMUM }),
      threshold: expected,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: timing.evaluationPeriods,
      datapointsToAlarm: timing.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `Endpoint service ${path} had fewer than ${expected} connected endpoints (EndpointsCount, Minimum) in `
        + `${describePeriods(timing)}: a consumer's endpoint was deleted or rejected, or a new one is still pending acceptance. `
        + 'Compare its endpoint connections (DescribeVpcEndpointConnections) with the endpoints you approved, and ask the consumer.',
    }));
  }
  alarms.forEach(alarm => notify(alarm, topic));
  return alarms;
}

function rstBandWidth(scope: IConstruct, value: number | undefined): number {
  if (value === undefined) return DEFAULT_RST_PACKETS_SENT_BAND_WIDTH;
  if (typeof value !== 'number' || Token.isUnresolved(value) || !Number.isFinite(value) || value <= 0) {
    fail(scope, `${propName('rstPacketsSentBandWidth')} is ${typeof value === 'number' ? String(value) : describe(value)}: expected a number of standard deviations above 0, such as 2.`);
  }
  return value;
}
