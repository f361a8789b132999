import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { describe, fail, methodName, propName } from '../validation';

/** The period and the periods in a row of a set of alarms, checked. */
export interface AlarmTiming {
  readonly period: Duration;
  readonly evaluationPeriods: number;
}

/** The default period of the alarms: the period of aws-cdk-lib's metrics. */
export const DEFAULT_ALARM_PERIOD = Duration.minutes(5);
/** The default number of periods in a row an alarm must breach. */
export const DEFAULT_EVALUATION_PERIODS = 3;

const ONE_HOUR = 3600;
const ONE_DAY = 86400;
const SEVEN_DAYS = 7 * ONE_DAY;

/**
 * The timing options, checked: a fixed period of whole minutes (PrivateLink publishes one-minute
 * data points), a whole number of periods, and no longer in all than CloudWatch evaluates: one day
 * for periods under an hour, seven days otherwise.
 */
export function alarmTiming(scope: IConstruct, period: Duration | undefined, evaluationPeriods: number | undefined): AlarmTiming {
  const chosen = period ?? DEFAULT_ALARM_PERIOD;
  const fixed = chosen instanceof Duration && !Token.isUnresolved(chosen.toString());
  const seconds = fixed ? chosen.toSeconds({ integral: false }) : NaN;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0) {
    fail(scope, `${propName('period')} is ${fixed ? chosen.toHumanString() : describe(chosen)}: expected a fixed Duration of whole minutes, `
      + '1 minute or more (AWS PrivateLink publishes one-minute data points).');
  }
  const periods = wholeNumber(scope, 'evaluationPeriods', evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS);
  const limit = seconds < ONE_HOUR ? ONE_DAY : SEVEN_DAYS;
  if (periods * seconds > limit) {
    fail(scope, `${propName('evaluationPeriods')} ${periods} of ${chosen.toHumanString()} is ${Duration.seconds(periods * seconds).toHumanString()}: `
      + `expected at most ${limit === ONE_DAY ? 'one day for periods under an hour' : 'seven days'}, the longest CloudWatch evaluates.`);
  }
  return { period: chosen, evaluationPeriods: periods };
}

/** A whole number, 1 or more, not a token. */
export function wholeNumber(scope: IConstruct, prop: string, value: number): number {
  if (typeof value !== 'number' || Token.isUnresolved(value) || !Number.isInteger(value) || value < 1) {
    fail(scope, `${propName(prop)} is ${typeof value === 'number' && !Token.isUnresolved(value) ? String(value) : describe(value)}: expected a whole number, 1 or more.`);
  }
  return value;
}

/** The topic of the alarms' options, checked: JavaScript callers can pass anything, or nothing. */
export function alarmTopic(scope: IConstruct, options: { readonly topic?: sns.ITopic } | undefined): sns.ITopic {
  const topic: unknown = options?.topic;
  if (typeof (topic as Partial<sns.ITopic> | null | undefined)?.topicArn !== 'string') {
    fail(scope, `${methodName('addAlarms')} got ${propName('topic')} ${describe(topic)}: expected an SNS topic (sns.ITopic) for the alarms to notify.`);
  }
  return topic as sns.ITopic;
}

/** Refuses a second set of alarms: two would notify twice, under the same construct IDs. */
export function refuseSecondCall(scope: IConstruct, existing: readonly cloudwatch.Alarm[]): void {
  if (existing.length > 0) {
    fail(scope, `${methodName('addAlarms')} was called before on ${scope.node.path}: expected one call; to notify more topics, `
      + 'add actions to the alarms it returned (alarm.addAlarmAction()).');
  }
}

/** Sends the alarm's ALARM state to the topic. */
export function notify(alarm: cloudwatch.Alarm, topic: sns.ITopic): cloudwatch.Alarm {
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

/** "3 periods of 5 minutes in a row", for an alarm description. */
export function describePeriods(timing: AlarmTiming): string {
  return `${timing.evaluationPeriods} period${timing.evaluationPeriods === 1 ? '' : 's'} of ${timing.period.toHumanString()} in a row`;
}
