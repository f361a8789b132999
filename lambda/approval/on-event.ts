import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Dependencies, approveAtDeploy, rejectRemoved } from './approve';
import { logDecision, logEvent } from './log';
import { ApprovalProperties, parseProperties } from './properties';
import { StackDirection, stackDirection } from './stack-status';
import { Generation, StoredApproval, listedByOthers } from './store';

/** What the provider framework expects back from the user handler. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
}

/** Time kept back from the Lambda timeout: the framework started before this function. */
const SAFETY_MARGIN_MS = 120_000;
/** How long an unconfirmed stored list counts, in case the run dies without cleaning up. */
const UNCONFIRMED_SECONDS = 16 * 60;

type DeleteEvent = CloudFormationCustomResourceEvent & { RequestType: 'Delete' };
type UpdateEvent = CloudFormationCustomResourceEvent & { RequestType: 'Update' };

/**
 * The CloudFormation side, called by aws-cdk-lib's custom resource provider framework, which
 * sends the response. A thrown error fails the deployment.
 *
 * Every successful Create and Update returns a new physical ID. CloudFormation then deletes
 * the replaced generation only once the whole stack update has succeeded (or, after a
 * rollback, deletes the new one): rejections of removed IDs happen in those deletes, so a
 * rollback never leaves an endpoint rejected.
 */
export async function onEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies, remainingMs: () => number): Promise<OnEventResponse> {
  const approvalId = `${event.StackId}/${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') {
    await onDelete(event, deps, approvalId);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (event.RequestType === 'Update') {
    const direction = await stackDirection(deps.cloudformation, event.StackId);
    if (direction === 'unknown') {
      throw new Error('Cannot read the status of the stack (cloudformation:DescribeStacks), so it is unknown whether this '
        + 'update is a rollback; nothing was changed. Check the permissions of the approval handler and retry.');
    }
    if (direction === 'rollback') return rollBack(event, deps, approvalId);
  }
  return deploy(event, deps, approvalId, remainingMs);
}

async function deploy(event: CloudFormationCustomResourceEvent & { RequestType: 'Create' | 'Update' }, deps: Dependencies, approvalId: string,
  remainingMs: () => number): Promise<OnEventResponse> {
  const props = parseProperties(event.ResourceProperties);
  const { policy } = props;
  const physicalId = `${policy.serviceId}/${event.RequestId}`;
  const stored = await deps.store.approvalsOf(policy.serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const generation: Generation = { physicalId, policy, onRemoval: props.onRemoval, acceptOnArrival: props.acceptOnArrival };
  // A retried request (same request ID) keeps the generation it replaces.
  const previous = mine?.current.physicalId === physicalId ? mine.previous : mine?.current;
  const confirmed: StoredApproval = { current: generation, previous };

  const old = event.RequestType === 'Update' ? tryParse(event.OldResourceProperties) : undefined;
  const removed = old && old.policy.serviceId === policy.serviceId ? old.policy.listed.filter(id => !policy.listed.includes(id)) : [];
  if (props.onRemoval === 'reject') {
    for (const endpointId of removed) {
      logDecision(policy.serviceId, event.RequestType, {
        endpointId, action: 'leave', reason: 'removed from the list; onRemoval is reject: rejected when CloudFormation cleans up after the update',
      });
    }
  }

  // Stored before EC2 is read, so that a request arriving during the run is seen by one of the
  // two paths; unconfirmed until the run succeeds, and put back as it was if it fails.
  await deps.store.put(approvalId, { ...confirmed, expiresAt: seconds(deps.now()) + UNCONFIRMED_SECONDS });
  try {
    const waitMs = Math.min(props.waitSeconds * 1000, Math.max(0, remainingMs() - SAFETY_MARGIN_MS));
    await approveAtDeploy(deps, {
      trigger: event.RequestType,
      policy,
      removed: props.onRemoval === 'leave' ? removed : [],
      onRemoval: 'leave',
      listedElsewhere: listedByOthers(stored, approvalId),
      waitUntil: deps.now() + waitMs,
      acceptOnArrival: props.acceptOnArrival,
      // A run that CloudFormation cancelled (another resource failed) must not change anything.
      beforeChanges: async (waited) => {
        if (event.RequestType === 'Create' && !waited) return;
        const direction = await stackDirection(deps.cloudformation, event.StackId);
        if (direction !== 'forward') throw new Error(`The stack is no longer going forward (${direction}); nothing was changed.`);
      },
    });
    await deps.store.put(approvalId, confirmed);
  } catch (error) {
    await (mine ? deps.store.put(approvalId, mine) : deps.store.delete(policy.serviceId, approvalId));
    throw error;
  }
  return { PhysicalResourceId: physicalId };
}

/**
 * An update that CloudFormation sends to roll back this resource after its own update failed:
 * the old properties, the same physical ID. It must not fail, so it restores the stored list,
 * accepts what it can, and rejects nothing.
 */
async function rollBack(event: UpdateEvent, deps: Dependencies, approvalId: string): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId;
  try {
    const props = parseProperties(event.ResourceProperties);
    const generation: Generation = { physicalId, policy: props.policy, onRemoval: props.onRemoval, acceptOnArrival: props.acceptOnArrival };
    await deps.store.put(approvalId, { current: generation });
    await approveAtDeploy(deps, {
      trigger: 'Update',
      policy: props.policy,
      removed: [],
      onRemoval: 'leave',
      listedElsewhere: new Set(),
      waitUntil: 0,
      acceptOnArrival: true,
      lenient: true,
    });
  } catch (error) {
    logEvent('rollbackIncomplete', { physicalId, reason: (error as Error).message });
  }
  return { PhysicalResourceId: physicalId };
}

/**
 * What the store holds tells the deletes apart: the generation a newer one replaced (forward
 * cleanup: reject what the newer one no longer lists), the current generation with a previous
 * one (a rollback: put the previous one back), and the current generation alone (the approval
 * is deleted, or its creation rolled back: the stack status decides). `onRemoval: 'leave'`
 * never rejects; an unknown stack status never rejects.
 */
async function onDelete(event: DeleteEvent, deps: Dependencies, approvalId: string): Promise<void> {
  const props = tryParse(event.ResourceProperties);
  if (!props) return;
  const serviceId = props.policy.serviceId;
  const stored = await deps.store.approvalsOf(serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const keep = listedByOthers(stored, approvalId);

  if (!mine) {
    logEvent('skipped', { serviceId, reason: 'no stored list for this approval: nothing is rejected' });
    return;
  }
  if (mine.current.physicalId !== event.PhysicalResourceId) {
    // Forward cleanup after a successful update: the newer generation's choice applies.
    mine.current.policy.listed.forEach(id => keep.add(id));
    await reject(deps, event, serviceId, props.policy.listed.filter(id => !keep.has(id)), keep, mine.current.onRemoval);
    await deps.store.put(approvalId, { current: mine.current });
    return;
  }
  if (mine.previous) {
    await deps.store.put(approvalId, { current: mine.previous });
    logEvent('skipped', { serviceId, reason: 'rolled back to the previous list: nothing is rejected' });
    return;
  }
  await reject(deps, event, serviceId, props.policy.listed.filter(id => !keep.has(id)), keep, props.onRemoval);
  await deps.store.delete(serviceId, approvalId);
}

async function reject(deps: Dependencies, event: DeleteEvent, serviceId: string, removed: string[], keep: ReadonlySet<string>,
  onRemoval: ApprovalProperties['onRemoval']): Promise<void> {
  if (onRemoval === 'leave' || removed.length === 0) {
    removed.forEach(endpointId => logDecision(serviceId, 'Delete', { endpointId, action: 'leave', reason: 'removed from the list; onRemoval is leave' }));
    return;
  }
  const direction: StackDirection = await stackDirection(deps.cloudformation, event.StackId);
  if (direction !== 'forward') {
    if (direction === 'rollback') {
      logEvent('skipped', { serviceId, reason: 'the stack is rolling back: nothing is rejected' });
      return;
    }
    throw new Error(`Cannot read the status of the stack (cloudformation:DescribeStacks), so the connections of ${removed.join(', ')} `
      + `to ${serviceId} were not rejected. Check the permissions of the approval handler and retry, or reject them yourself.`);
  }
  try {
    await rejectRemoved(deps, serviceId, removed, keep);
  } catch (error) {
    if (!/NotFound/.test((error as Error).name)) throw error;
    logEvent('skipped', { serviceId, reason: `endpoint service is gone (${(error as Error).name})` });
  }
}

function tryParse(raw: Record<string, unknown> | undefined): ApprovalProperties | undefined {
  try {
    return parseProperties(raw);
  } catch (error) {
    logEvent('skipped', { reason: `unreadable properties: ${(error as Error).message}` });
    return undefined;
  }
}

function seconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
