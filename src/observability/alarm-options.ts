import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Options of `PrivateEndpointService.addAlarms()`. The alarms, each in `evaluationPeriods` periods
 * of `period` in a row:
 *
 * - RstPacketsSent (Sum) above the upper edge of its anomaly detection band, `rstPacketsSentBandWidth`
 *   standard deviations wide; no data (no resets) is not breaching.
 * - With `expectedEndpoints`: EndpointsCount (Minimum) below `expectedEndpoints`; no data is breaching.
 */
export interface EndpointServiceAlarmsOptions {
  /** The SNS topic every alarm notifies when it goes into ALARM. */
  readonly topic: sns.ITopic;

  /**
   * Alarm when fewer endpoints than this are connected to the service: EndpointsCount, Minimum per
   * period, less than `expectedEndpoints` in `evaluationPeriods` periods in a row. Minimum is the
   * lowest count in the period, so an endpoint that is gone for part of a period counts; needing
   * `evaluationPeriods` such periods in a row keeps one reconnection from alarming. A period
   * without data counts as breaching, as a service without connected endpoints may publish no
   * data point at all. A whole number, 1 or more, such as the number of endpoint IDs you approved.
   * @default - no EndpointsCount alarm
   */
  readonly expectedEndpoints?: number;

  /**
   * The width of the anomaly detection band of RstPacketsSent (Sum per period), in standard
   * deviations: the alarm goes off when the resets the service's load balancer sends to consumers
   * rise above the band's upper edge (a fall below the band does not alarm). The band comes from a
   * model CloudWatch trains on the metric's own history, so it settles once the service has some
   * traffic history; a wider band alarms on larger rises only. A number above 0.
   * @default 2
   */
  readonly rstPacketsSentBandWidth?: number;

  /**
   * The number of periods in a row every alarm must breach before it goes into ALARM (the
   * evaluation periods and the data points to alarm). A whole number, 1 or more; with `period`, at
   * most one day in all for periods under an hour, seven days otherwise.
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * The period of each data point the alarms evaluate: a fixed Duration of whole minutes, 1 minute
   * or more (AWS PrivateLink publishes one-minute data points).
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * Options of `InterfaceEndpoint.addAlarms()`. Two alarms, each when its metric's Sum is above 0
 * in `evaluationPeriods` periods of `period` in a row; no data is not breaching:
 * PacketsDropped (packets the endpoint dropped) and RstPacketsReceived (TCP resets from the service).
 */
export interface InterfaceEndpointAlarmsOptions {
  /** The SNS topic every alarm notifies when it goes into ALARM. */
  readonly topic: sns.ITopic;

  /**
   * The number of periods in a row in which PacketsDropped or RstPacketsReceived (Sum) must be
   * above 0 (the threshold) before its alarm goes into ALARM. A whole number, 1 or more; with
   * `period`, at most one day in all for periods under an hour, seven days otherwise.
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * The period of each data point the alarms evaluate: a fixed Duration of whole minutes, 1 minute
   * or more (AWS PrivateLink publishes one-minute data points).
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}
