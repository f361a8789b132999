import { Decision } from './decide';

/** What started a run: a CloudFormation request or a connection notification. */
export type Trigger = 'Create' | 'Update' | 'Delete' | 'Notification';

/**
 * Writes one decision as one log line. With Lambda's JSON log format, an object logged alone
 * becomes the `message` of one JSON record, beside the timestamp, level and request ID.
 */
export function logDecision(serviceId: string, trigger: Trigger, decision: Decision): void {
  console.info({ event: 'decision', serviceId, trigger, ...decision });
}

/** Writes one structured line about the run itself (waiting, skipping, finishing). */
export function logEvent(event: string, details: Record<string, unknown>): void {
  console.info({ event, ...details });
}
