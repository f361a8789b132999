import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The metric as CloudWatch gets it: namespace, name, dimensions by name, statistic, period in seconds. */
export function rendered(stack: Stack, metric: cloudwatch.Metric) {
  const { metricStat } = stack.resolve(metric.toMetricConfig());
  return {
    namespace: metricStat.namespace,
    metricName: metricStat.metricName,
    dimensions: Object.fromEntries((metricStat.dimensions as { name: string; value: unknown }[]).map(d => [d.name, d.value])),
    statistic: metricStat.statistic,
    period: metric.period.toSeconds(),
  };
}
