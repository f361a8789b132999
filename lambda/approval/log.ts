import { Decision } from './decide';
import { LOG_EVENT } from '../../src/approval/handler-contract';

/** What started a run: a CloudFormation request, a connection notification or the schedule. */
export type Trigger = 'Create' | 'Update' | 'Delete' | 'Notification' | 'Schedule';

/**
 * Writes one decision as one log line. With Lambda's JSON log format, an object logged alone
 * becomes the `message` of one JSON record, beside the timestamp, level and request ID; the
 * approval's metric filters count these lines.
 */
export function logDecision(serviceId: string, trigger: Trigger, decision: Decision): void {
  console.info({ event: LOG_EVENT.decision, serviceId, trigger, ...decision });
}

/** Writes one structured line about the run itself (waiting, skipping, finishing). */
export function logEvent(event: string, details: Record<string, unknown>): void {
  console.info({ event, ...details });
}

const LOGGED = new WeakSet<object>();

/**
 * Writes the line of a run that failed, for the service it failed for: only a service the run
 * confirmed (from the stack's template), never one an event merely claims; `unknown` otherwise.
 */
export function logRunFailed(trigger: Trigger, serviceId: string | undefined, error: unknown): void {
  logEvent(LOG_EVENT.runFailed, { serviceId: serviceId ?? 'unknown', trigger, error: (error as Error)?.message ?? String(error) });
  if (error !== null && typeof error === 'object') LOGGED.add(error);
}

/** Marks a failure whose lines were written already (one per service). */
export function markLogged(error: Error): Error {
  LOGGED.add(error);
  return error;
}

/** Whether the failure's line was written already. */
export function isLogged(error: unknown): boolean {
  return error !== null && typeof error === 'object' && LOGGED.has(error);
}

/** Runs `work` for a confirmed service: a failure is logged for that service, then thrown on. */
export async function forService<T>(trigger: Trigger, serviceId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isLogged(error)) logRunFailed(trigger, serviceId, error);
    throw error;
  }
}
