import { DECISION_OUTCOME, DecisionOutcome, UNLISTED_ACCEPTED_ACTIONS } from '../../src/approval/handler-contract';

/** One connection request to an endpoint service, as DescribeVpcEndpointConnections reports it. */
export interface Connection {
  readonly endpointId: string;
  readonly serviceId: string;
  /** `pendingAcceptance`, `pending`, `available`, `deleting`, `deleted`, `rejected`, `failed`, `expired`, `partial`. */
  readonly state: string;
  readonly owner?: string;
}

/** What to do with listed and removed IDs of one endpoint service. */
export interface ApprovalPolicy {
  readonly serviceId: string;
  /** The endpoint IDs handed over on a trusted channel: the only ones that may be accepted. */
  readonly listed: readonly string[];
  /** When given, a listed connection is accepted only if its owner is one of these accounts. */
  readonly allowedOwners?: readonly string[];
  /** Reject pending requests from endpoints that are not listed. */
  readonly rejectUnlisted: boolean;
}

export type RemovalAction = 'reject' | 'leave';

/** What continuous enforcement does with a connection accepted outside the approval. */
export type UnlistedAcceptedAction = typeof UNLISTED_ACCEPTED_ACTIONS[number];

export interface DecisionInput {
  readonly policy: ApprovalPolicy;
  /** Whatever the API returned; connections of other services are ignored. */
  readonly connections: readonly Connection[];
  /** IDs that were listed before and are not any more. */
  readonly removed?: readonly string[];
  readonly onRemoval?: RemovalAction;
  /** IDs that another approval of the same service still lists: never rejected here. */
  readonly listedElsewhere?: ReadonlySet<string>;
  /**
   * Continuous enforcement: an accepted connection that the approval does not approve (not
   * listed, or owned outside `allowedOwners`) is reported, or rejected. Without it, accepted
   * connections that are not listed are not looked at.
   */
  readonly unlistedAccepted?: UnlistedAcceptedAction;
  /** Whether a listed request pending acceptance is accepted now. */
  readonly acceptListed?: boolean;
}

export type Action = 'accept' | 'reject' | 'leave' | 'none' | 'report';

/** One decision, logged as one line. */
export interface Decision {
  readonly endpointId: string;
  readonly action: Action;
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  readonly state?: string;
  readonly owner?: string;
  /** A connection accepted although the approval does not approve it. */
  readonly outsideApproval?: true;
}

/** A listed ID that cannot be accepted: the deployment must fail. */
export interface Blocker {
  readonly endpointId: string;
  readonly state: string;
  readonly reason: string;
}

export interface Plan {
  readonly decisions: Decision[];
  readonly accept: string[];
  readonly reject: string[];
  /** Listed IDs that exist but cannot be accepted. */
  readonly blockers: Blocker[];
  /** Listed IDs with no connection request to this service (yet). */
  readonly missing: string[];
}

export const PENDING_ACCEPTANCE = 'pendingAcceptance';
/** States in which a connection carries, or is about to carry, traffic. */
export const ACCEPTED_STATES: ReadonlySet<string> = new Set(['pending', 'available', 'partial']);
/** States a rejection can still change. */
export const REJECTABLE_STATES: ReadonlySet<string> = new Set([PENDING_ACCEPTANCE, ...ACCEPTED_STATES]);

/**
 * Decides, without any I/O, what to do with the connections of one endpoint service.
 * Accepts only listed IDs whose connection to this service is pending acceptance (and whose
 * owner is allowed); rejects only removed IDs (with `onRemoval: 'reject'`), with
 * `rejectUnlisted` unlisted pending requests, and with `unlistedAccepted: 'reject'` accepted
 * connections that the approval does not approve. A listed connection of an allowed owner is
 * never rejected.
 */
export function decide(input: DecisionInput): Plan {
  const { policy } = input;
  const listed = new Set(policy.listed);
  const removed = new Set(input.removed ?? []);
  const elsewhere = input.listedElsewhere ?? new Set<string>();
  const owners = policy.allowedOwners ? new Set(policy.allowedOwners) : undefined;
  const byId = new Map<string, Connection>();
  for (const connection of input.connections) {
    if (connection.serviceId === policy.serviceId) byId.set(connection.endpointId, connection);
  }

  const plan: Plan = { decisions: [], accept: [], reject: [], blockers: [], missing: [] };
  const record = (decision: Decision) => {
    plan.decisions.push(decision);
    if (decision.action === 'accept') plan.accept.push(decision.endpointId);
    if (decision.action === 'reject') plan.reject.push(decision.endpointId);
  };
  const block = (connection: Connection, reason: string) => {
    plan.blockers.push({ endpointId: connection.endpointId, state: connection.state, reason });
    record({ ...describe(connection), action: 'leave', outcome: DECISION_OUTCOME.blocked, reason });
  };
  const outside = (connection: Connection, why: string, rejectable = true) => {
    const reason = `accepted outside the approval: ${why}`;
    if (input.unlistedAccepted === 'reject' && rejectable) {
      record({ ...describe(connection), action: 'reject', outcome: DECISION_OUTCOME.rejected, outsideApproval: true, reason: `${reason}; unlistedAccepted is reject` });
    } else {
      record({ ...describe(connection), action: 'report', outcome: DECISION_OUTCOME.acceptedOutsideApproval, outsideApproval: true, reason });
    }
  };

  for (const endpointId of listed) {
    const connection = byId.get(endpointId);
    if (!connection) {
      plan.missing.push(endpointId);
      record({ endpointId, action: 'leave', outcome: DECISION_OUTCOME.missing, reason: 'listed, but no connection request from this endpoint to the service' });
    } else if (owners && !owners.has(connection.owner ?? '')) {
      const why = `listed, but its owner ${connection.owner ?? '(unknown)'} is not an allowed owner`;
      // A rejection is final: never made on an owner that EC2 did not report.
      if (input.unlistedAccepted && ACCEPTED_STATES.has(connection.state)) outside(connection, why, connection.owner !== undefined);
      else block(connection, why);
    } else if (connection.state === PENDING_ACCEPTANCE) {
      if (input.acceptListed === false) {
        record({ ...describe(connection), action: 'leave', outcome: DECISION_OUTCOME.awaitingAcceptance, reason: 'listed and pending acceptance; accepted only by a deployment (no late arrivals)' });
      } else {
        record({ ...describe(connection), action: 'accept', outcome: DECISION_OUTCOME.accepted, reason: 'listed and pending acceptance' });
      }
    } else if (ACCEPTED_STATES.has(connection.state)) {
      record({ ...describe(connection), action: 'none', outcome: DECISION_OUTCOME.unchanged, reason: 'listed and already accepted' });
    } else {
      block(connection, `listed, but its connection is ${connection.state} and cannot be accepted`);
    }
  }

  for (const connection of [...byId.values()].sort(byEndpointId)) {
    const { endpointId, state } = connection;
    if (listed.has(endpointId)) continue;
    const protectedHere = elsewhere.has(endpointId);
    const rejectUnlisted = () => record({ ...describe(connection), action: 'reject', outcome: DECISION_OUTCOME.rejected, reason: 'not listed; rejectUnlisted is set' });
    if (removed.has(endpointId) && REJECTABLE_STATES.has(state)) {
      if (protectedHere) {
        record({ ...describe(connection), action: 'leave', outcome: DECISION_OUTCOME.unchanged, reason: 'removed from this list, but another approval of the service lists it' });
      } else if (input.onRemoval === 'reject') {
        record({ ...describe(connection), action: 'reject', outcome: DECISION_OUTCOME.rejected, reason: 'removed from the list; onRemoval is reject' });
      } else if (state === PENDING_ACCEPTANCE && policy.rejectUnlisted) {
        rejectUnlisted();
      } else {
        record({ ...describe(connection), action: 'leave', outcome: DECISION_OUTCOME.leftRemoved, reason: 'removed from the list; onRemoval is leave' });
      }
    } else if (state === PENDING_ACCEPTANCE) {
      if (policy.rejectUnlisted && !protectedHere) {
        rejectUnlisted();
      } else {
        record({ ...describe(connection), action: 'leave', outcome: DECISION_OUTCOME.leftPending, reason: 'not listed' });
      }
    } else if (input.unlistedAccepted && ACCEPTED_STATES.has(state) && !protectedHere) {
      outside(connection, 'not listed');
    }
  }
  return plan;
}

function describe(connection: Connection): Pick<Decision, 'endpointId' | 'state' | 'owner'> {
  return { endpointId: connection.endpointId, state: connection.state, owner: connection.owner };
}

function byEndpointId(a: Connection, b: Connection): number {
  return a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0;
}
