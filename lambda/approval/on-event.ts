import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Dependencies, approveAtDeploy, rejectRemoved } from './approve';
import { logDecision, logEvent } from './log';
import { ApprovalProperties, parseProperties } from './properties';
import { isRollingBack } from './stack-status';
import { Generation, StoredApproval, listedByOthers } from './store';

/** What the provider framework expects back from the user handler. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
}

/** Time kept back from the Lambda timeout to report the result. */
const SAFETY_MARGIN_MS = 60_000;
/** How long an unconfirmed stored list counts, in case the run dies without cleaning up. */
const UNCONFIRMED_SECONDS = 16 * 60;

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

  const props = parseProperties(event.ResourceProperties);
  const { policy } = props;
  const rollingBack = event.RequestType === 'Update' && await isRollingBack(deps.cloudformation, event.StackId);
  const physicalId = rollingBack ? event.PhysicalResourceId : `${policy.serviceId}/${event.RequestId}`;
  const stored = await deps.store.approvalsOf(policy.serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const generation: Generation = { physicalId, policy, onRemoval: props.onRemoval, acceptOnArrival: props.acceptOnArrival };
  const confirmed: StoredApproval = { current: generation, previous: rollingBack ? undefined : mine?.current };

  const old = event.RequestType === 'Update' ? tryParse(event.OldResourceProperties) : undefined;
  const removed = old && old.policy.serviceId === policy.serviceId ? old.policy.listed.filter(id => !policy.listed.includes(id)) : [];
  if (props.onRemoval === 'reject' && !rollingBack) {
    for (const endpointId of removed) {
      logDecision(policy.serviceId, event.RequestType, { endpointId, action: 'leave', reason: 'removed from the list; rejected once the update is complete' });
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
      lenient: rollingBack,
    });
  } catch (error) {
    await (mine ? deps.store.put(approvalId, mine) : deps.store.delete(policy.serviceId, approvalId));
    throw error;
  }
  await deps.store.put(approvalId, confirmed);
  return { PhysicalResourceId: physicalId };
}

/**
 * Three kinds of delete: of a generation that a newer one replaced (reject what the newer one
 * no longer lists), of the approval itself (reject everything it lists), and of anything during
 * a rollback (reject nothing, put the previous generation back). `onRemoval: 'leave'` never rejects.
 */
async function onDelete(
  event: CloudFormationCustomResourceEvent & { PhysicalResourceId: string }, deps: Dependencies, approvalId: string,
): Promise<void> {
  const props = tryParse(event.ResourceProperties);
  if (!props) return;
  const serviceId = props.policy.serviceId;
  const rollingBack = await isRollingBack(deps.cloudformation, event.StackId);
  const stored = await deps.store.approvalsOf(serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const replaced = mine !== undefined && mine.current.physicalId !== event.PhysicalResourceId;

  if (rollingBack) {
    if (replaced) return;
    await (mine?.previous ? deps.store.put(approvalId, { current: mine.previous }) : deps.store.delete(serviceId, approvalId));
    logEvent('skipped', { serviceId, reason: 'the stack is rolling back: nothing is rejected' });
    return;
  }

  const keep = listedByOthers(stored, approvalId);
  let removed = props.policy.listed;
  let onRemoval = props.onRemoval;
  if (replaced) {
    await deps.store.put(approvalId, { current: mine.current });
    mine.current.policy.listed.forEach(id => keep.add(id));
    onRemoval = mine.current.onRemoval;
  } else {
    await deps.store.delete(serviceId, approvalId);
  }
  removed = removed.filter(id => !keep.has(id));
  if (onRemoval === 'leave') {
    if (!replaced) removed.forEach(endpointId => logDecision(serviceId, 'Delete', { endpointId, action: 'leave', reason: 'approval deleted; onRemoval is leave' }));
    return;
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
