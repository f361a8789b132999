import { logEvent } from './log';
import { StackReader } from './stack';

/**
 * What CloudFormation is doing with the stack, from its status (DescribeStacks `StackStatus`):
 * creating it, updating it, cleaning up after a successful update, deleting it, rolling back
 * (or cleaning up after a rollback), at rest, or anything else (a failed state, a review, an import).
 */
export type Phase = 'create' | 'update' | 'cleanup' | 'delete' | 'rollback' | 'settled' | 'other';

const PHASES: Record<string, Phase> = {
  CREATE_IN_PROGRESS: 'create',
  UPDATE_IN_PROGRESS: 'update',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'cleanup',
  DELETE_IN_PROGRESS: 'delete',
  ROLLBACK_IN_PROGRESS: 'rollback',
  UPDATE_ROLLBACK_IN_PROGRESS: 'rollback',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'rollback',
  IMPORT_ROLLBACK_IN_PROGRESS: 'rollback',
  CREATE_COMPLETE: 'settled',
  UPDATE_COMPLETE: 'settled',
  UPDATE_ROLLBACK_COMPLETE: 'settled',
  IMPORT_COMPLETE: 'settled',
  IMPORT_ROLLBACK_COMPLETE: 'settled',
};

export function phaseOf(status: string): Phase {
  return PHASES[status] ?? 'other';
}

/** The stack's phase now, with the status it comes from. */
export async function currentPhase(stack: StackReader, fresh = false): Promise<{ phase: Phase; status: string }> {
  const status = (await stack.describe(fresh)).StackStatus ?? '';
  return { phase: phaseOf(status), status };
}

/**
 * `settled` while the stack is at rest; otherwise logs why the run does nothing (`skipped`, with
 * the status and `details`) and returns `undefined`, without waiting.
 */
export async function restingPhase(stack: StackReader, details: Record<string, unknown>): Promise<'settled' | undefined> {
  const { phase, status } = await currentPhase(stack);
  if (phase === 'settled') return phase;
  logEvent('skipped', { ...details, stackStatus: status });
  return undefined;
}

/** Waits between reads of the stack, whose status and events may lag a moment behind CloudFormation's request. */
export const EVENT_RETRY_DELAYS_MS = [2_000, 5_000, 10_000];

export interface ResourceRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly logicalId: string;
  /** The physical ID being updated or deleted; none for a create. */
  readonly physicalId?: string;
}

/**
 * Whether CloudFormation is carrying out this request now: the stack's newest own event has
 * the status that DescribeStacks reports (the two agree), and the newest event of the resource
 * in that phase, whatever its physical ID, is `CREATE_IN_PROGRESS`, `UPDATE_IN_PROGRESS` or
 * `DELETE_IN_PROGRESS` to match the request, of the request's physical ID (for updates and
 * deletes). CloudFormation writes that event before it sends the request, and a later event of
 * the resource once it is done (for a replacement, under the new physical ID): a request invented
 * by someone else, or replayed after CloudFormation moved on, finds none, or a finished one.
 * Reads again a few times while the status and the events disagree or the event is not there yet.
 */
export async function isInProgress(stack: StackReader, request: ResourceRequest, sleep: (ms: number) => Promise<void>): Promise<boolean> {
  const expected = `${request.requestType.toUpperCase()}_IN_PROGRESS`;
  for (let attempt = 0; ; attempt++) {
    const status = (await stack.describe(attempt > 0)).StackStatus;
    const { phaseStatus, events } = await stack.currentPhaseEvents();
    const resource = events.find(event => event.LogicalResourceId === request.logicalId);
    const agrees = phaseStatus === status;
    if (agrees && resource?.ResourceStatus === expected
      && (request.physicalId === undefined || resource.PhysicalResourceId === request.physicalId)) return true;
    const settled = agrees && resource !== undefined;
    if (settled || attempt >= EVENT_RETRY_DELAYS_MS.length) return false;
    await sleep(EVENT_RETRY_DELAYS_MS[attempt]);
  }
}

/** The error for a request that CloudFormation is not carrying out: it names the request and why. */
export function notCarriedOut(request: ResourceRequest, why: string): Error {
  const target = request.physicalId ? `${request.logicalId} (${request.physicalId})` : request.logicalId;
  return new Error(`Refused a ${request.requestType} request for ${target}: CloudFormation is not carrying it out (${why}). `
    + 'Nothing was changed. The handler acts only on requests that CloudFormation is carrying out for its own stack.');
}
