import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Dependencies, approveAtDeploy, rejectRemoved } from './approve';
import { canonical, generationId, isGenerationOf } from './generation';
import { forService, logDecision, logEvent } from './log';
import { Phase, ResourceRequest, currentPhase, isInProgress, notCarriedOut } from './phase';
import { ApprovalProperties, parseProperties } from './properties';
import { StackReader } from './stack';
import { TemplateApproval, templateApproval, templateApprovals } from './template-approvals';
import { APPROVAL_RESOURCE_TYPE, DECISION_OUTCOME } from '../../src/approval/handler-contract';

/** What the provider framework expects back from the user handler. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
}

/** Time kept back from the Lambda timeout: the framework started before this function. */
const SAFETY_MARGIN_MS = 120_000;

type RequestEvent<T extends CloudFormationCustomResourceEvent['RequestType']> = CloudFormationCustomResourceEvent & { RequestType: T };

/**
 * The CloudFormation side, called by aws-cdk-lib's custom resource provider framework, which
 * sends the response. A thrown error fails the request.
 *
 * The event is only a claim: anyone who may invoke the function can send one. A request is
 * carried out only when it is for the handler's own stack, CloudFormation's stack events show
 * this very resource being created, updated or deleted now, and the properties are the ones the
 * stack's template holds (for a delete: the ones the deleted generation was created with).
 * Every successful create and update returns a new physical ID that binds its properties;
 * rejections of removed IDs happen when CloudFormation deletes the replaced generation in the
 * cleanup after a successful update. During a rollback nothing is changed and nothing fails.
 */
export async function onEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies, remainingMs: () => number): Promise<OnEventResponse> {
  if (event.StackId !== deps.stackId) {
    throw new Error(`Refused a ${event.RequestType} request for stack ${event.StackId}: this approval handler acts only for its own `
      + `stack ${deps.stackId}. Nothing was changed.`);
  }
  if (event.ResourceType !== APPROVAL_RESOURCE_TYPE) {
    throw new Error(`Refused a ${event.RequestType} request for ${event.LogicalResourceId} of type ${event.ResourceType}: `
      + `expected ${APPROVAL_RESOURCE_TYPE}. Nothing was changed.`);
  }
  if (isPutBack(event, deps.stackId)) return rollBack(event, 'an update to the properties the physical ID was issued for');
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const { phase, status } = await currentPhase(stack);
  if (phase === 'rollback') return rollBack(event, status);
  if (event.RequestType === 'Delete') {
    await onDelete(event, deps, stack, phase, status);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  return deploy(event, deps, stack, phase, status, remainingMs);
}

/**
 * During a rollback CloudFormation puts the previous generation back (an update with the old
 * properties, when this resource's own update failed) or deletes the new one: the previous
 * generation's IDs were accepted when it was deployed, and nothing is rejected during a
 * rollback. So nothing is changed, and nothing can fail.
 */
function rollBack(event: CloudFormationCustomResourceEvent, because: string): OnEventResponse {
  logEvent('skipped', {
    logicalId: event.LogicalResourceId,
    requestType: event.RequestType,
    because,
    reason: 'a rollback: nothing is accepted or rejected',
  });
  return { PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : `rolled-back/${event.RequestId}` };
}

/**
 * An update with exactly the properties its physical ID was issued for: what CloudFormation sends
 * to put a resource back in a rollback. Carrying it out would change nothing, so it is recognised
 * without reading the stack, and cannot fail.
 */
function isPutBack(event: CloudFormationCustomResourceEvent, stackId: string): boolean {
  if (event.RequestType !== 'Update') return false;
  const props = tryParse(event.ResourceProperties);
  return props !== undefined && isGenerationOf(event.PhysicalResourceId, stackId, event.LogicalResourceId, props);
}

async function deploy(event: RequestEvent<'Create' | 'Update'>, deps: Dependencies, stack: StackReader, phase: Phase, status: string,
  remainingMs: () => number): Promise<OnEventResponse> {
  const request: ResourceRequest = {
    requestType: event.RequestType,
    logicalId: event.LogicalResourceId,
    physicalId: event.RequestType === 'Update' ? event.PhysicalResourceId : undefined,
  };
  const phases: Phase[] = event.RequestType === 'Create' ? ['create', 'update'] : ['update'];
  if (!phases.includes(phase)) throw notCarriedOut(request, `the stack is ${status}`);
  await confirmInProgress(stack, request, deps);
  const approval = await confirmedProperties(event, stack);
  const { policy } = approval.properties;
  return forService(event.RequestType, policy.serviceId, async () => {
    await refuseSecondApproval(stack, approval);
    logRemovals(event, approval.properties);

    const waitMs = Math.min(approval.properties.waitSeconds * 1000, Math.max(0, remainingMs() - SAFETY_MARGIN_MS));
    await approveAtDeploy(deps, {
      trigger: event.RequestType,
      policy,
      removed: [],
      onRemoval: 'leave',
      listedElsewhere: new Set(),
      waitUntil: deps.now() + waitMs,
      acceptOnArrival: approval.properties.acceptOnArrival,
      // A run that CloudFormation cancelled while it waited (another resource failed) changes nothing.
      beforeChanges: async (waited) => {
        if (!waited) return;
        const now = await currentPhase(stack, true);
        if (!phases.includes(now.phase) || !await isInProgress(stack, request, deps.sleep)) {
          throw new Error(`CloudFormation is no longer carrying out this ${event.RequestType} of ${event.LogicalResourceId} `
            + `(the stack is ${now.status}); nothing was changed.`);
        }
      },
    });
    return { PhysicalResourceId: generationId(deps.stackId, event.LogicalResourceId, event.RequestId, approval.properties) };
  });
}

/** The event's properties, if they are exactly those of the stack's template, resolved. */
async function confirmedProperties(event: RequestEvent<'Create' | 'Update'>, stack: StackReader): Promise<TemplateApproval> {
  const claimed = parseProperties(event.ResourceProperties);
  let held: TemplateApproval;
  try {
    held = await templateApproval(stack, event.LogicalResourceId);
  } catch (error) {
    throw new Error(`Cannot confirm the properties of this ${event.RequestType} of ${event.LogicalResourceId} with the stack's `
      + `template: ${(error as Error).message} Nothing was changed.`);
  }
  if (canonical(claimed) !== canonical(held.properties)) {
    throw new Error(`The properties of this ${event.RequestType} of ${event.LogicalResourceId} are not the ones the stack's template `
      + `holds (request: ${canonical(claimed)}; template: ${canonical(held.properties)}). Nothing was changed. If CloudFormation sent `
      + 'this request, GetTemplate returned another template than the one being deployed: retry the deployment.');
  }
  return held;
}

/** Two approvals of one service would reject each other's IDs: refused, naming both. */
async function refuseSecondApproval(stack: StackReader, approval: TemplateApproval): Promise<void> {
  const serviceId = approval.properties.policy.serviceId;
  const all = await templateApprovals(stack, { serviceIds: new Set([serviceId]), strict: true });
  const others = all.filter(other => other.logicalId !== approval.logicalId).map(other => other.logicalId);
  if (others.length > 0) {
    throw new Error(`Endpoint service ${serviceId} has more than one connection approval in stack ${stack.stackId}: `
      + `${[approval.logicalId, ...others].join(', ')}. Expected one approval per service; nothing was changed.`);
  }
}

function logRemovals(event: RequestEvent<'Create' | 'Update'>, properties: ApprovalProperties): void {
  if (event.RequestType !== 'Update' || properties.onRemoval !== 'reject') return;
  const old = tryParse(event.OldResourceProperties);
  if (!old || old.policy.serviceId !== properties.policy.serviceId) return;
  for (const endpointId of old.policy.listed.filter(id => !properties.policy.listed.includes(id))) {
    logDecision(properties.policy.serviceId, 'Update', {
      endpointId,
      action: 'leave',
      outcome: DECISION_OUTCOME.deferred,
      reason: 'removed from the list; onRemoval is reject: rejected when CloudFormation cleans up after the update',
    });
  }
}

/**
 * A generation is deleted in the cleanup after a successful update (replaced, or removed from
 * the template), or with the stack. What counts as removed comes from comparing the deleted
 * generation with the stack's current template: its IDs that no approval of the service in the
 * template lists any more. The newer generation's `onRemoval` applies when the approval still
 * exists for the same service; otherwise the deleted generation's own. A stack deletion applies
 * the approval's `onRemoval` to all its IDs.
 */
async function onDelete(event: RequestEvent<'Delete'>, deps: Dependencies, stack: StackReader, phase: Phase, status: string): Promise<void> {
  const request: ResourceRequest = { requestType: 'Delete', logicalId: event.LogicalResourceId, physicalId: event.PhysicalResourceId };
  if (phase !== 'cleanup' && phase !== 'delete') throw notCarriedOut(request, `the stack is ${status}`);
  await confirmInProgress(stack, request, deps);
  const deleted = await deletedGeneration(event, stack, phase);
  const serviceId = deleted.policy.serviceId;
  await forService('Delete', serviceId, async () => {
    const current = phase === 'cleanup' ? await templateApprovals(stack, { serviceIds: new Set([serviceId]), strict: true, deployedOnly: true }) : [];
    const successor = current.find(approval => approval.logicalId === event.LogicalResourceId);
    const onRemoval = successor ? successor.properties.onRemoval : deleted.onRemoval;
    const keep = new Set(current.flatMap(approval => approval.properties.policy.listed));
    const removed = deleted.policy.listed.filter(id => !keep.has(id));

    if (onRemoval === 'leave' || removed.length === 0) {
      removed.forEach(endpointId => logDecision(serviceId, 'Delete', {
        endpointId, action: 'leave', outcome: DECISION_OUTCOME.leftRemoved, reason: 'removed from the list; onRemoval is leave',
      }));
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await rejectRemoved(deps, serviceId, removed, keep);
        return;
      } catch (error) {
        const name = (error as Error).name;
        if (/NotFound/.test(name)) {
          logEvent('skipped', { serviceId, reason: `endpoint service is gone (${name})` });
          return;
        }
        // CloudFormation does not retry a failed delete in the cleanup: throttling is waited out here.
        if (!THROTTLING_ERRORS.has(name) || attempt >= REJECTION_RETRY_DELAYS_MS.length) throw error;
        logEvent('retrying', { serviceId, reason: `${name}: rejections retried in ${REJECTION_RETRY_DELAYS_MS[attempt] / 1000} s` });
        await deps.sleep(REJECTION_RETRY_DELAYS_MS[attempt]);
      }
    }
  });
}

/** Errors after which the SDK's own retries gave up on a throttled call. */
const THROTTLING_ERRORS = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
/** Waits before trying the rejections of a cleanup again: about 6 minutes in all, within Lambda's 15. */
const REJECTION_RETRY_DELAYS_MS = [15_000, 30_000, 60_000, 120_000, 120_000];

/**
 * The properties of the generation CloudFormation deletes: those of the event when they hash to
 * its physical ID (which the handler issued only for confirmed properties); in a stack deletion,
 * otherwise, those of the template, which still holds the resource.
 */
async function deletedGeneration(event: RequestEvent<'Delete'>, stack: StackReader, phase: Phase): Promise<ApprovalProperties> {
  const claimed = tryParse(event.ResourceProperties);
  if (claimed && isGenerationOf(event.PhysicalResourceId, stack.stackId, event.LogicalResourceId, claimed)) return claimed;
  if (phase === 'delete') {
    try {
      return (await templateApproval(stack, event.LogicalResourceId)).properties;
    } catch (error) {
      throw new Error(`Cannot confirm what ${event.PhysicalResourceId} listed: ${(error as Error).message} Nothing was rejected.`);
    }
  }
  throw new Error(`Cannot confirm what the deleted generation ${event.PhysicalResourceId} of ${event.LogicalResourceId} listed: `
    + 'its properties do not match its physical ID (it was created by an earlier version of the handler, or the request is '
    + 'not CloudFormation\'s). Nothing was rejected; if its onRemoval was reject, reject the connections it listed yourself.');
}

async function confirmInProgress(stack: StackReader, request: ResourceRequest, deps: Dependencies): Promise<void> {
  if (!await isInProgress(stack, request, deps.sleep)) {
    throw notCarriedOut(request, 'the stack\'s events show no such operation in progress for this resource');
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
