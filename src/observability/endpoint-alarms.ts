import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { InterfaceEndpointAlarmsOptions } from './alarm-options';
import { AlarmTiming, alarmTiming, alarmTopic, describePeriods, notify } from './alarm-timing';
import { InterfaceEndpointMetricOptions } from './metric-options';

/** What the alarms need of an interface endpoint: the scope of the alarms and its metrics. */
export type MeteredInterfaceEndpoint = Construct & {
  metricPacketsDropped(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric;
  metricRstPacketsReceived(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric;
};

/**
 * The recommended alarms of an interface endpoint, each notifying the topic: `PacketsDroppedAlarm`
 * and `RstPacketsReceivedAlarm`, the metric's Sum above 0 in `evaluationPeriods` periods in a row;
 * no data is not breaching (AWS publishes these metrics only while the endpoint has traffic).
 */
export function createEndpointAlarms(endpoint: MeteredInterfaceEndpoint, options: InterfaceEndpointAlarmsOptions): cloudwatch.Alarm[] {
  const topic = alarmTopic(endpoint, options);
  const timing = alarmTiming(endpoint, options.period, options.evaluationPeriods);
  const path = endpoint.node.path;
  const alarms = [
    aboveZero(endpoint, 'PacketsDroppedAlarm', endpoint.metricPacketsDropped({ period: timing.period }), timing,
      `Interface endpoint ${path} dropped packets (PacketsDropped, Sum > 0) in ${describePeriods(timing)}. Packets larger than 8500 `
      + 'bytes are dropped: check the clients\' MTU, then the endpoint\'s security groups and network ACLs and the service\'s health; '
      + 'PacketsDropped by Subnet Id shows which Availability Zone.'),
    aboveZero(endpoint, 'RstPacketsReceivedAlarm', endpoint.metricRstPacketsReceived({ period: timing.period }), timing,
      `Interface endpoint ${path} received TCP resets from its service (RstPacketsReceived, Sum > 0) in ${describePeriods(timing)}: `
      + 'the service, or the targets behind its load balancer, refuse or drop connections. Check the service\'s health (for a partner '
      + 'or private service, with its provider) and the clients\' idle timeouts.'),
  ];
  alarms.forEach(alarm => notify(alarm, topic));
  return alarms;
}

function aboveZero(scope: Construct, id: string, metric: cloudwatch.IMetric, timing: AlarmTiming, alarmDescription: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: timing.evaluationPeriods,
    datapointsToAlarm: timing.evaluationPeriods,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription,
  });
}
