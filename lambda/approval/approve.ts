import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ACCEPTED_STATES, ApprovalPolicy, Plan, REJECTABLE_STATES, RemovalAction, decide } from './decide';
import { Failure, NO_RESOURCE_ID, acceptConnections, describeConnections, rejectConnections } from './ec2';
import { Trigger, logDecision, logEvent } from './log';

/** What the approval paths need from the outside world; tests pass fakes for time. */
export interface Dependencies {
  readonly ec2: EC2Client;
  readonly cloudformation: CloudFormationClient;
  /** The handler's own stack (from its configuration, never from an event): the only one it acts for. */
  readonly stackId: string;
  readonly now: () => number;
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** How often to look again for listed IDs that have not arrived. */
  readonly pollIntervalMs: number;
}

export interface DeployRequest {
  readonly trigger: 'Create' | 'Update';
  readonly policy: ApprovalPolicy;
  /** Removed IDs to decide on now: only with `onRemoval: 'leave'` (rejections wait for the cleanup). */
  readonly removed: readonly string[];
  readonly onRemoval: RemovalAction;
  readonly listedElsewhere: ReadonlySet<string>;
  /** Until when (epoch milliseconds) to wait for listed IDs that have no connection request yet. */
  readonly waitUntil: number;
  /** Listed IDs with no request are left for the late-arrival path instead of failing the run. */
  readonly acceptOnArrival: boolean;
  /** During a rollback nothing fails on listed IDs and nothing is rejected: the stack must get back. */
  readonly lenient?: boolean;
  /** Called before the first change (Accept or Reject), with whether the run waited; may throw to stop the run. */
  readonly beforeChanges?: (waited: boolean) => Promise<void>;
}

/**
 * The deploy-time path. Fails, before changing anything, when a listed ID cannot be accepted
 * or has not arrived by `waitUntil` (unless it may arrive later); then accepts, fails on any
 * `Unsuccessful` accept, and only then rejects.
 */
export async function approveAtDeploy(deps: Dependencies, request: DeployRequest): Promise<Plan> {
  const { policy } = request;
  const input = request.lenient ? { ...request, policy: { ...policy, rejectUnlisted: false }, removed: [] } : request;
  for (let waited = false; ; waited = true) {
    const connections = await describeConnections(deps.ec2, policy.serviceId);
    const full = decide({ ...input, connections });
    const plan = request.lenient ? { ...full, blockers: [], missing: [] } : full;
    if (plan.blockers.length > 0) {
      logAll(policy.serviceId, request.trigger, plan);
      const details = plan.blockers.map(b => `${b.endpointId} (state ${b.state}): ${b.reason}`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: ${details.join('; ')}.`);
    }
    const waiting = request.acceptOnArrival ? [] : plan.missing;
    const remaining = request.waitUntil - deps.now();
    if (waiting.length > 0 && remaining > 0) {
      logEvent('waiting', { serviceId: policy.serviceId, missing: waiting, remainingSeconds: Math.ceil(remaining / 1000) });
      await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
      continue;
    }
    if (waiting.length > 0) {
      logAll(policy.serviceId, request.trigger, plan);
      const details = waiting.map(id => `${id} (state: not found)`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: no connection request `
        + `to this service from ${details.join(', ')}. Check the IDs, or use MissingEndpoints.waitFor() or acceptOnArrival().`);
    }
    if (plan.missing.length > 0) logEvent('awaitingArrival', { serviceId: policy.serviceId, missing: plan.missing });
    await request.beforeChanges?.(waited);
    await carryOut(deps, request.trigger, policy.serviceId, plan);
    return plan;
  }
}

/**
 * Rejects the connections of `removed` IDs that can still carry traffic, except those listed
 * in `keep`. Never accepts anything, never fails on a connection that is already gone.
 */
export async function rejectRemoved(deps: Dependencies, serviceId: string, removed: readonly string[], keep: ReadonlySet<string>): Promise<void> {
  if (removed.length === 0) return;
  const connections = await describeConnections(deps.ec2, serviceId);
  const plan = decide({
    policy: { serviceId, listed: [], rejectUnlisted: false },
    connections,
    removed,
    onRemoval: 'reject',
    listedElsewhere: keep,
  });
  await carryOut(deps, 'Delete', serviceId, plan);
}

/**
 * The late-arrival path, started by a notification, for the approvals of one service that
 * accept late arrivals (their properties as the stack's template holds them). Reads only the
 * listed endpoints' connections (of those the message names, when it names any) and applies the
 * same decision function to each approval. Never rejects: a new endpoint's ID may not have been
 * handed over yet.
 */
export async function approveLateArrivals(
  deps: Dependencies, serviceId: string, policies: readonly ApprovalPolicy[], notified: ReadonlySet<string>,
): Promise<Plan> {
  const listed = new Set(policies.flatMap(policy => policy.listed));
  const wanted = [...listed].filter(id => notified.size === 0 || notified.has(id)).sort();
  if (wanted.length === 0) {
    logEvent('ignored', { serviceId, reason: 'the notification names no endpoint that an approval of this service lists' });
    return { decisions: [], accept: [], reject: [], blockers: [], missing: [] };
  }
  const wantedSet = new Set(wanted);
  const connections = await describeConnections(deps.ec2, serviceId, wanted);
  const present = new Set(connections.map(c => c.endpointId));
  const plans = policies.map(policy => decide({
    policy: { ...policy, listed: policy.listed.filter(id => wantedSet.has(id)), rejectUnlisted: false },
    connections,
  }));
  const merged: Plan = {
    decisions: plans.flatMap(plan => plan.decisions).filter(d => present.has(d.endpointId)),
    accept: [...new Set(plans.flatMap(plan => plan.accept))],
    reject: [],
    blockers: plans.flatMap(plan => plan.blockers),
    missing: [],
  };
  await carryOut(deps, 'Notification', serviceId, merged);
  return merged;
}

async function carryOut(deps: Dependencies, trigger: Trigger, serviceId: string, plan: Plan): Promise<void> {
  logAll(serviceId, trigger, plan);
  const acceptFailures = await unsettled(deps, serviceId, await acceptConnections(deps.ec2, serviceId, plan.accept, deps.sleep), isAccepted);
  if (acceptFailures.length > 0) throw new Error(`EC2 did not accept every listed connection to endpoint service ${serviceId}: ${describeFailures(acceptFailures)}.`);
  const rejectFailures = await unsettled(deps, serviceId, await rejectConnections(deps.ec2, serviceId, plan.reject, deps.sleep), isGone);
  if (rejectFailures.length > 0) throw new Error(`EC2 did not reject every connection to endpoint service ${serviceId}: ${describeFailures(rejectFailures)}.`);
}

/**
 * The failures whose connection is still not in a `settled` state. A connection that the other
 * path accepted meanwhile, or that is gone before its rejection, is no failure; an entry that
 * names no endpoint always is.
 */
async function unsettled(
  deps: Dependencies, serviceId: string, failures: Failure[], settled: (state: string | undefined) => boolean,
): Promise<Failure[]> {
  const named = failures.filter(f => f.endpointId !== NO_RESOURCE_ID);
  if (named.length === 0) return failures;
  const now = await describeConnections(deps.ec2, serviceId, named.map(f => f.endpointId));
  const states = new Map(now.filter(c => c.serviceId === serviceId).map(c => [c.endpointId, c.state]));
  return failures.filter(f => f.endpointId === NO_RESOURCE_ID || !settled(states.get(f.endpointId)));
}

function isAccepted(state: string | undefined): boolean {
  return state !== undefined && ACCEPTED_STATES.has(state);
}

function isGone(state: string | undefined): boolean {
  return state === undefined || !REJECTABLE_STATES.has(state);
}

function describeFailures(failures: Failure[]): string {
  return failures.map(f => `${f.endpointId}: ${f.code}${f.message ? ` (${f.message})` : ''}`).join('; ');
}

function logAll(serviceId: string, trigger: Trigger, plan: Plan): void {
  for (const decision of plan.decisions) logDecision(serviceId, trigger, decision);
}
