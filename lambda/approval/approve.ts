import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ACCEPTED_STATES, ApprovalPolicy, Decision, Plan, REJECTABLE_STATES, RemovalAction, decide } from './decide';
import { Failure, NO_RESOURCE_ID, acceptConnections, describeConnections, rejectConnections } from './ec2';
import { Trigger, logDecision, logEvent } from './log';
import { ApprovalProperties } from './properties';
import { DECISION_OUTCOME } from '../../src/approval/handler-contract';

/** What the approval paths need from the outside world; tests pass fakes for time. */
export interface Dependencies {
  readonly ec2: EC2Client;
  readonly cloudformation: CloudFormationClient;
  /** The handler's own stack (from its configuration, never from an event): the only one it acts for. */
  readonly stackId: string;
  /** The topic of the `Accept` notifications (from the configuration), if the stack has one. */
  readonly enforcementTopicArn?: string;
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
      logNotCarriedOut(policy.serviceId, request.trigger, plan);
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
      logNotCarriedOut(policy.serviceId, request.trigger, plan);
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

/** A run between deployments for one service: late arrivals, and continuous enforcement. */
export interface WatchRequest {
  readonly trigger: 'Notification' | 'Schedule';
  readonly serviceId: string;
  /** The approvals of the service, their properties as the stack's deployed template holds them. */
  readonly approvals: readonly ApprovalProperties[];
  /** The endpoints a notification names; empty: every connection of the service. */
  readonly endpointIds: ReadonlySet<string>;
  /** Whether to look for accepted connections that the approval does not approve (never during a deployment). */
  readonly enforce: boolean;
  /** Called before the run changes anything; false stops it without changing anything. */
  readonly stillSettled: () => Promise<boolean>;
}

/**
 * The path between deployments, started by a notification or the schedule. Reads the
 * connections of the named endpoints (all of the service's when none are named) and applies
 * the same decision function to each approval of the service: listed requests pending acceptance
 * are accepted when the approval accepts late arrivals; with `enforce`, accepted connections that
 * the approval does not approve are reported or rejected, per its `unlistedAccepted`. Never
 * rejects a pending request: a new endpoint's ID may not have been handed over yet.
 */
export async function watchService(deps: Dependencies, request: WatchRequest): Promise<Plan> {
  const { serviceId, approvals, enforce } = request;
  const active = approvals.filter(approval => enforce || approval.acceptOnArrival);
  if (active.length === 0) return emptyPlan();
  const named = endpointsToRead(request, active);
  if (named?.length === 0) {
    logEvent('ignored', { serviceId, reason: 'the notification names no endpoint that an approval of this service lists' });
    return emptyPlan();
  }
  const connections = await describeConnections(deps.ec2, serviceId, named);
  const present = new Set(connections.map(c => c.endpointId));
  const plans = active.map(approval => decide({
    policy: { ...approval.policy, rejectUnlisted: false },
    connections,
    listedElsewhere: new Set(active.filter(other => other !== approval).flatMap(other => other.policy.listed)),
    unlistedAccepted: enforce ? approval.unlistedAccepted : undefined,
    acceptListed: approval.acceptOnArrival,
  }));
  const relevant = (d: Decision) => (named === undefined || present.has(d.endpointId))
    && (request.trigger === 'Notification' || d.outcome !== DECISION_OUTCOME.unchanged);
  const merged: Plan = {
    decisions: plans.flatMap(plan => plan.decisions).filter(relevant),
    accept: [...new Set(plans.flatMap(plan => plan.accept))],
    reject: [...new Set(plans.flatMap(plan => plan.reject))],
    blockers: plans.flatMap(plan => plan.blockers),
    missing: [],
  };
  if (merged.accept.length > 0 || merged.reject.length > 0) {
    let settled: boolean;
    try {
      settled = await request.stillSettled();
    } catch (error) {
      logNotCarriedOut(serviceId, request.trigger, merged);
      throw error;
    }
    if (!settled) {
      logNotCarriedOut(serviceId, request.trigger, merged);
      logEvent('skipped', { serviceId, reason: 'a deployment began during the run: nothing was changed; the next run decides again' });
      return emptyPlan();
    }
  }
  await carryOut(deps, request.trigger, serviceId, merged);
  if (enforce) {
    const outside = merged.decisions.filter(d => d.outsideApproval).length;
    logEvent('enforced', { serviceId, trigger: request.trigger, connections: connections.length, outsideApproval: outside });
  }
  return merged;
}

/**
 * A notification names the endpoints to read (those that an approval lists, when only late
 * arrivals are looked for); `undefined` reads every connection of the service: for the schedule,
 * and for a message naming more endpoints than a real notification does, so that the work is
 * bounded by the service's connections, not by the message.
 */
function endpointsToRead(request: WatchRequest, approvals: readonly ApprovalProperties[]): string[] | undefined {
  const named = [...request.endpointIds].sort();
  const listed = new Set(approvals.flatMap(approval => approval.policy.listed));
  if (!request.enforce) return (named.length > 0 ? named.filter(id => listed.has(id)) : [...listed].sort());
  return named.length > 0 && named.length <= MAX_NAMED_ENDPOINTS ? named : undefined;
}

/** More endpoints than a notification names (one): the message is not taken as the list of endpoints to read. */
export const MAX_NAMED_ENDPOINTS = 20;

function emptyPlan(): Plan {
  return { decisions: [], accept: [], reject: [], blockers: [], missing: [] };
}

/**
 * Accepts, then rejects, logging each change once EC2 answered. Every decision is logged once,
 * whatever fails: a change that a failure kept from being made is logged as not carried out.
 */
async function carryOut(deps: Dependencies, trigger: Trigger, serviceId: string, plan: Plan): Promise<void> {
  const changes = (action: 'accept' | 'reject') => plan.decisions.filter(d => d.action === action);
  logDecisions(serviceId, trigger, plan.decisions.filter(d => d.action !== 'accept' && d.action !== 'reject'));
  const acceptFailures = await orLogNotCarriedOut(serviceId, trigger, [...changes('accept'), ...changes('reject')],
    async () => unsettled(deps, serviceId, await acceptConnections(deps.ec2, serviceId, plan.accept, deps.sleep), isAccepted));
  logCarriedOut(serviceId, trigger, changes('accept'), acceptFailures);
  if (acceptFailures.length > 0) {
    logDecisions(serviceId, trigger, changes('reject').map(notCarriedOut));
    throw new Error(`EC2 did not accept every listed connection to endpoint service ${serviceId}: ${describeFailures(acceptFailures)}.`);
  }
  const rejectFailures = await orLogNotCarriedOut(serviceId, trigger, changes('reject'),
    async () => unsettled(deps, serviceId, await rejectConnections(deps.ec2, serviceId, plan.reject, deps.sleep), isGone));
  logCarriedOut(serviceId, trigger, changes('reject'), rejectFailures);
  if (rejectFailures.length > 0) throw new Error(`EC2 did not reject every connection to endpoint service ${serviceId}: ${describeFailures(rejectFailures)}.`);
}

/** Runs an EC2 change; when it throws, `pending` are logged as not carried out before the error goes on. */
async function orLogNotCarriedOut<T>(serviceId: string, trigger: Trigger, pending: Decision[], change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    logDecisions(serviceId, trigger, pending.map(notCarriedOut));
    throw error;
  }
}

/** Logs the changes after EC2 answered: what it did not carry out has the outcome `failed`, with its error code. */
function logCarriedOut(serviceId: string, trigger: Trigger, decisions: Decision[], failures: Failure[]): void {
  const failed = new Map(failures.map(f => [f.endpointId, f]));
  for (const decision of decisions) {
    const failure = failed.get(decision.endpointId);
    logDecision(serviceId, trigger, failure
      ? { ...decision, outcome: DECISION_OUTCOME.failed, reason: `${decision.reason}; EC2 did not carry it out: ${failure.code}` }
      : decision);
  }
}

function notCarriedOut(decision: Decision): Decision {
  return { ...decision, action: 'leave', outcome: DECISION_OUTCOME.notCarriedOut, reason: `${decision.reason}; not carried out: the run failed first` };
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

function logDecisions(serviceId: string, trigger: Trigger, decisions: readonly Decision[]): void {
  for (const decision of decisions) logDecision(serviceId, trigger, decision);
}

/** Logs a plan that is not carried out: its changes as not carried out. */
function logNotCarriedOut(serviceId: string, trigger: Trigger, plan: Plan): void {
  logDecisions(serviceId, trigger, plan.decisions.map(d => d.action === 'accept' || d.action === 'reject' ? notCarriedOut(d) : d));
}
