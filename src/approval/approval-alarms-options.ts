import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

/** Options of `ConnectionApproval.addAlarms()`. */
export interface ApprovalAlarmsOptions {
  /** The topic every alarm notifies when it goes into ALARM. */
  readonly topic: sns.ITopic;

  /**
   * How long a listed ID may stay not accepted (blocked, with no connection request, or pending
   * a deployment) before its alarm goes off, as seen by the hourly runs: whole hours, 1 to 167.
   * @default Duration.hours(6)
   */
  readonly listedNotAcceptedFor?: Duration;
}
