import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { describe, fail, methodName, propName } from '../validation';

/**
 * A metric that AWS PrivateLink publishes, as the AWS PrivateLink guide ("CloudWatch metrics for
 * AWS PrivateLink") describes it: its name, the statistic the guide calls most useful (the first
 * it names), and the combinations of optional dimensions it is published with, besides the
 * dimensions every metric of the namespace has.
 */
export interface PublishedMetric {
  readonly metricName: string;
  readonly statistic: string;
  /** The optional dimension names of each published combination; `[]` is the combination without any. */
  readonly optionalDimensions: readonly (readonly string[])[];
}

/** One optional dimension of a metric method: its CloudWatch name, the option that sets it, and its value. */
export interface OptionalDimension {
  readonly name: string;
  readonly option: string;
  readonly value: string | undefined;
}

/** What a metric of a PrivateLink resource is made of. */
export interface PublishedMetricRequest {
  readonly namespace: string;
  readonly table: readonly PublishedMetric[];
  readonly metricName: string;
  /** The dimensions every metric of the resource has. */
  readonly fixed: Record<string, string>;
  /** The optional dimensions, as the options of the metric method give them (undefined ones are left out). */
  readonly optional: readonly OptionalDimension[];
  /** The rest of the metric options: statistic, period, label, ... */
  readonly props: cloudwatch.MetricOptions;
}

/** The longest dimension value CloudWatch accepts. */
const MAX_DIMENSION_VALUE = 1024;

/**
 * A metric exactly as AWS PrivateLink publishes it, with the statistic the guide calls most useful
 * unless `props` choose another. A name, or a combination of dimensions, that AWS does not publish
 * is refused at synthesis, naming what is published: CloudWatch would accept it and graph nothing.
 */
export function publishedMetric(scope: IConstruct, request: PublishedMetricRequest): cloudwatch.Metric {
  const names = request.table.map(m => m.metricName);
  const metric = request.table.find(m => m.metricName === request.metricName);
  if (!metric) {
    fail(scope, `${methodName('metric')} got the metric name ${describe(request.metricName)}, which ${request.namespace} does not publish: `
      + `expected one of ${names.join(', ')}.`);
  }
  if (request.props.dimensionsMap !== undefined) {
    fail(scope, `The ${request.metricName} metric got ${propName('dimensionsMap')} ${describe(request.props.dimensionsMap)}: the dimensions `
      + `are set by the options of the metric method (${request.optional.map(d => propName(d.option)).join(', ')}); expected no `
      + `${propName('dimensionsMap')}.`);
  }
  const given = request.optional.filter(dimension => dimension.value !== undefined && dimension.value !== null);
  given.forEach(dimension => checkDimensionValue(scope, request.metricName, dimension));
  const givenNames = given.map(dimension => dimension.name);
  const key = (combination: readonly string[]) => [...combination].sort().join('\n');
  if (!metric.optionalDimensions.some(combination => key(combination) === key(givenNames))) {
    const shown = (combination: readonly string[]) => `[${[...Object.keys(request.fixed), ...combination].map(n => `'${n}'`).join(', ')}]`;
    fail(scope, `${request.namespace} does not publish ${request.metricName} with the dimensions ${shown(givenNames)} `
      + `(from ${given.length === 0 ? 'no options' : given.map(d => propName(d.option)).join(' and ')}): expected one of `
      + `${metric.optionalDimensions.map(shown).join(', ')}.`);
  }
  return new cloudwatch.Metric({
    statistic: metric.statistic,
    ...request.props,
    namespace: request.namespace,
    metricName: metric.metricName,
    dimensionsMap: { ...request.fixed, ...Object.fromEntries(given.map(d => [d.name, d.value as string])) },
  });
}

/** A dimension value must be a string; a literal one must also be a value CloudWatch can store. */
function checkDimensionValue(scope: IConstruct, metricName: string, dimension: OptionalDimension): void {
  const value: unknown = dimension.value;
  const what = `${propName(dimension.option)} (dimension '${dimension.name}' of ${metricName})`;
  if (typeof value !== 'string') fail(scope, `${what} is ${describe(value)}: expected a string.`);
  if (Token.isUnresolved(value)) return;
  if (value.trim() === '' || value.length > MAX_DIMENSION_VALUE || !/^[\x20-\x7e]+$/.test(value)) {
    fail(scope, `${what} is ${describe(value)}: expected 1 to ${MAX_DIMENSION_VALUE} printable ASCII characters, not only spaces.`);
  }
}
