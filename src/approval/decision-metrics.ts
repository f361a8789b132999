import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DECISION_OUTCOME, LOG_EVENT } from './handler-contract';

/** The namespace of the approval's metrics, which metric filters derive from the handler's decision lines. */
export const DECISION_METRICS_NAMESPACE = 'CdkPrivateLink/ConnectionApproval';
/** The one dimension of the approval's metrics: the endpoint service's ID. */
export const SERVICE_ID_DIMENSION = 'ServiceId';

const F = logs.FilterPattern;
const isDecision = F.stringValue('$.message.event', '=', LOG_EVENT.decision);
const outcomeIs = (...outcomes: string[]) => F.all(isDecision, F.any(...outcomes.map(o => F.stringValue('$.message.outcome', '=', o))));

/** One metric of the approval: its name and the log lines it counts. */
export interface DecisionMetric {
  readonly metricName: string;
  readonly pattern: logs.IFilterPattern;
}

/** Every metric of the approval, by what it counts. */
export const DECISION_METRICS = {
  accepted: { metricName: 'ConnectionsAccepted', pattern: outcomeIs(DECISION_OUTCOME.accepted) },
  rejected: { metricName: 'ConnectionsRejected', pattern: outcomeIs(DECISION_OUTCOME.rejected) },
  leftPending: { metricName: 'RequestsLeftPending', pattern: outcomeIs(DECISION_OUTCOME.leftPending) },
  blocked: { metricName: 'ListedEndpointsBlocked', pattern: outcomeIs(DECISION_OUTCOME.blocked) },
  listedNotAccepted: {
    metricName: 'ListedEndpointsNotAccepted',
    pattern: outcomeIs(DECISION_OUTCOME.blocked, DECISION_OUTCOME.missing, DECISION_OUTCOME.awaitingAcceptance),
  },
  acceptedOutsideApproval: {
    metricName: 'ConnectionsAcceptedOutsideApproval',
    pattern: F.all(isDecision, F.booleanValue('$.message.outsideApproval', true)),
  },
  failedRuns: { metricName: 'FailedRuns', pattern: F.stringValue('$.message.event', '=', LOG_EVENT.runFailed) },
} as const satisfies Record<string, DecisionMetric>;

/**
 * One metric filter per metric on the handler's log group: each matching line counts 1, under the
 * service ID the line names. With Lambda's JSON log format the logged object is the record's `message`.
 */
export function addDecisionMetricFilters(scope: Construct, logGroup: logs.ILogGroup): void {
  for (const { metricName, pattern } of Object.values(DECISION_METRICS)) {
    new logs.MetricFilter(scope, `${metricName}Filter`, {
      logGroup,
      filterPattern: pattern,
      metricNamespace: DECISION_METRICS_NAMESPACE,
      metricName,
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
      dimensions: { [SERVICE_ID_DIMENSION]: '$.message.serviceId' },
    });
  }
}

/** A metric of the approval of one service: the sum over 5 minutes unless `props` say otherwise. */
export function decisionMetric(metric: DecisionMetric, serviceId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    statistic: cloudwatch.Stats.SUM,
    ...props,
    namespace: DECISION_METRICS_NAMESPACE,
    metricName: metric.metricName,
    dimensionsMap: { [SERVICE_ID_DIMENSION]: serviceId },
  });
}
