import { EC2Client } from '@aws-sdk/client-ec2';
import { ACCEPTED_STATES, ApprovalPolicy, Plan, REJECTABLE_STATES, RemovalAction, decide } from './decide';
import { Failure, acceptConnections, describeConnections, rejectConnections } from './ec2';
import { Trigger, logDecision, logEvent } from './log';
import { ApprovalStore, listedByOthers } from './store';

/** What the approval paths need from the outside world; tests pass fakes for time. */
export interface Dependencies {
  readonly ec2: EC2Client;
  readonly store: ApprovalStore;
  readonly now: () => number;
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** How often to look again for listed IDs that have not arrived. */
  readonly pollIntervalMs: number;
}

export interface DeployRequest {
  readonly trigger: 'Create' | 'Update';
  readonly policy: ApprovalPolicy;
  readonly removed: readonly string[];
  readonly onRemoval: RemovalAction;
  readonly listedElsewhere: ReadonlySet<string>;
  /** Until when (epoch milliseconds) to wait for listed IDs that have no connection request yet. */
  readonly waitUntil: number;
}

/**
 * The deploy-time path. Fails, before changing anything, when a listed ID cannot be accepted
 * or has not arrived by `waitUntil`; then accepts, rejects, and fails on any `Unsuccessful`.
 */
export async function approveAtDeploy(deps: Dependencies, request: DeployRequest): Promise<Plan> {
  const { policy } = request;
  for (;;) {
    const connections = await describeConnections(deps.ec2, policy.serviceId);
    const plan = decide({ ...request, connections });
    if (plan.blockers.length > 0) {
      logAll(policy.serviceId, request.trigger, plan);
      const details = plan.blockers.map(b => `${b.endpointId} (state ${b.state}): ${b.reason}`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: ${details.join('; ')}.`);
    }
    const remaining = request.waitUntil - deps.now();
    if (plan.missing.length > 0 && remaining > 0) {
      logEvent('waiting', { serviceId: policy.serviceId, missing: plan.missing, remainingSeconds: Math.ceil(remaining / 1000) });
      await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
      continue;
    }
    if (plan.missing.length > 0) {
      logAll(policy.serviceId, request.trigger, plan);
      const details = plan.missing.map(id => `${id} (state: not found)`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: no connection request `
        + `to this service from ${details.join(', ')}. Check the IDs, or wait for them with waitForEndpoints.`);
    }
    await carryOut(deps, request.trigger, policy.serviceId, plan);
    return plan;
  }
}

/** The delete-time path: rejects the listed IDs with `onRemoval: 'reject'`, never fails on a connection already gone. */
export async function releaseAtDelete(
  deps: Dependencies, policy: ApprovalPolicy, onRemoval: RemovalAction, listedElsewhere: ReadonlySet<string>,
): Promise<void> {
  if (onRemoval === 'leave') {
    for (const endpointId of policy.listed) {
      logDecision(policy.serviceId, 'Delete', { endpointId, action: 'leave', reason: 'approval deleted; onRemoval is leave' });
    }
    return;
  }
  const connections = await describeConnections(deps.ec2, policy.serviceId);
  const plan = decide({
    policy: { ...policy, listed: [], rejectUnlisted: false },
    connections,
    removed: policy.listed,
    onRemoval,
    listedElsewhere,
  });
  await carryOut(deps, 'Delete', policy.serviceId, plan);
}

/**
 * The late-arrival path, started by a `Connect` notification. Reads every approval of the
 * service from the store and applies the same decision function to the reported endpoints
 * (all of the service's connections when the message names none).
 */
export async function approveLateArrivals(deps: Dependencies, serviceId: string, endpointIds: readonly string[] | undefined): Promise<Plan[]> {
  const policies = await deps.store.policiesOf(serviceId);
  if (policies.size === 0) {
    logEvent('ignored', { serviceId, reason: 'no approval of this service is stored' });
    return [];
  }
  const connections = await describeConnections(deps.ec2, serviceId, endpointIds);
  const present = new Set(connections.map(c => c.endpointId));
  const plans = [...policies].map(([approvalId, policy]) =>
    decide({ policy, connections, listedElsewhere: listedByOthers(policies, approvalId) }));

  const accept = new Set(plans.flatMap(plan => plan.accept));
  const merged: Plan = {
    decisions: plans.flatMap(plan => plan.decisions).filter(d => present.has(d.endpointId)),
    accept: [...accept],
    reject: [...new Set(plans.flatMap(plan => plan.reject))].filter(id => !accept.has(id)),
    blockers: plans.flatMap(plan => plan.blockers),
    missing: [],
  };
  await carryOut(deps, 'Notification', serviceId, merged);
  return plans;
}

async function carryOut(deps: Dependencies, trigger: Trigger, serviceId: string, plan: Plan): Promise<void> {
  logAll(serviceId, trigger, plan);
  const acceptFailures = await unsettled(deps, serviceId, await acceptConnections(deps.ec2, serviceId, plan.accept), isAccepted);
  const rejectFailures = await unsettled(deps, serviceId, await rejectConnections(deps.ec2, serviceId, plan.reject), isGone);
  const failures = [...acceptFailures, ...rejectFailures];
  if (failures.length === 0) return;
  const details = failures.map(f => `${f.endpointId}: ${f.code}${f.message ? ` (${f.message})` : ''}`);
  throw new Error(`EC2 did not ${acceptFailures.length > 0 ? 'accept' : 'reject'} every connection to endpoint service ${serviceId}: ${details.join('; ')}.`);
}

/**
 * The failures whose connection is still not in one of the `settled` states. A connection that
 * the other path accepted meanwhile, or that is gone before its rejection, is no failure.
 */
async function unsettled(
  deps: Dependencies, serviceId: string, failures: Failure[], settled: (state: string | undefined) => boolean,
): Promise<Failure[]> {
  if (failures.length === 0) return [];
  const now = await describeConnections(deps.ec2, serviceId, failures.map(f => f.endpointId));
  const states = new Map(now.filter(c => c.serviceId === serviceId).map(c => [c.endpointId, c.state]));
  return failures.filter(f => !settled(states.get(f.endpointId)));
}

function isAccepted(state: string | undefined): boolean {
  return state !== undefined && ACCEPTED_STATES.has(state);
}

function isGone(state: string | undefined): boolean {
  return state === undefined || !REJECTABLE_STATES.has(state);
}

function logAll(serviceId: string, trigger: Trigger, plan: Plan): void {
  for (const decision of plan.decisions) logDecision(serviceId, trigger, decision);
}
