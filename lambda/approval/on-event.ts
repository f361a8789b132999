import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Dependencies, approveAtDeploy, releaseAtDelete } from './approve';
import { logEvent } from './log';
import { ApprovalProperties, parseProperties } from './properties';
import { listedByOthers } from './store';

/** What the provider framework expects back from the user handler. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
}

/** Time kept back from the Lambda timeout to report the result. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * The CloudFormation side, called by aws-cdk-lib's custom resource provider framework, which
 * sends the response. Returns the physical ID; a thrown error fails the deployment.
 */
export async function onEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies, remainingMs: () => number): Promise<OnEventResponse> {
  const approvalId = `${event.StackId}/${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') {
    await onDelete(event.ResourceProperties, deps, approvalId);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  const props = parseProperties(event.ResourceProperties);
  const { policy } = props;
  const old = event.RequestType === 'Update' ? tryParse(event.OldResourceProperties) : undefined;
  const removed = old && old.policy.serviceId === policy.serviceId
    ? old.policy.listed.filter(id => !policy.listed.includes(id))
    : [];
  const stored = await deps.store.policiesOf(policy.serviceId);
  const waitMs = Math.min(props.waitSeconds * 1000, Math.max(0, remainingMs() - SAFETY_MARGIN_MS));
  // Stored before EC2 is read, so that a request arriving during the run is seen by one of
  // the two paths; put back as it was if the run fails.
  await deps.store.put(approvalId, policy);
  try {
    await approveAtDeploy(deps, {
      trigger: event.RequestType,
      policy,
      removed,
      onRemoval: props.onRemoval,
      listedElsewhere: listedByOthers(stored, approvalId),
      waitUntil: deps.now() + waitMs,
    });
  } catch (error) {
    const previous = stored.get(approvalId);
    await (previous ? deps.store.put(approvalId, previous) : deps.store.delete(policy.serviceId, approvalId));
    throw error;
  }
  // A new service ID gives a new physical ID, so CloudFormation deletes the old one's approval.
  return { PhysicalResourceId: `${policy.serviceId}/${event.LogicalResourceId}` };
}

async function onDelete(properties: Record<string, unknown>, deps: Dependencies, approvalId: string): Promise<void> {
  const props = tryParse(properties);
  if (!props) return;
  const { policy } = props;
  await deps.store.delete(policy.serviceId, approvalId);
  try {
    const others = await deps.store.policiesOf(policy.serviceId);
    await releaseAtDelete(deps, policy, props.onRemoval, listedByOthers(others, approvalId));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    logEvent('skipped', { serviceId: policy.serviceId, reason: `endpoint service is gone (${(error as Error).name})` });
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

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /NotFound/.test(error.name);
}
