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

/** Waits between reads of the stack events, which may lag a moment behind CloudFormation's request. */
export const EVENT_RETRY_DELAYS_MS = [2_000, 5_000];

export interface ResourceRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly logicalId: string;
  /** The physical ID being updated or deleted; none for a create. */
  readonly physicalId?: string;
}

/**
 * Whether CloudFormation is carrying out this request now: the newest event of the resource
 * (of this physical ID, for updates and deletes) in the stack's current phase is
 * `CREATE_IN_PROGRESS`, `UPDATE_IN_PROGRESS` or `DELETE_IN_PROGRESS` to match the request.
 * CloudFormation writes that event before it sends the request, and a later event once the
 * resource is done; a request invented by someone else finds none, or a finished one.
 */
export async function isInProgress(stack: StackReader, request: ResourceRequest, sleep: (ms: number) => Promise<void>): Promise<boolean> {
  const expected = `${request.requestType.toUpperCase()}_IN_PROGRESS`;
  for (let attempt = 0; ; attempt++) {
    const status = await newestStatus(stack, request);
    if (status === expected) return true;
    if (status !== undefined || attempt >= EVENT_RETRY_DELAYS_MS.length) return false;
    await sleep(EVENT_RETRY_DELAYS_MS[attempt]);
  }
}

async function newestStatus(stack: StackReader, request: ResourceRequest): Promise<string | undefined> {
  for await (const event of stack.eventsOfCurrentPhase()) {
    if (event.LogicalResourceId !== request.logicalId) continue;
    if (request.physicalId !== undefined && event.PhysicalResourceId !== request.physicalId) continue;
    return event.ResourceStatus ?? '';
  }
  return undefined;
}
