import * as fc from 'fast-check';
import { Connection, DecisionInput, PENDING_ACCEPTANCE, REJECTABLE_STATES, decide } from '../../lambda/approval/decide';
import { endpointIdProblem } from '../../src/validation/formats';

const RUNS = 1000;
const SERVICES = ['vpce-svc-0123456789abcdef0', 'vpce-svc-0fedcba9876543210', 'vpce-svc-00000000'];
const STATES = ['pendingAcceptance', 'pending', 'available', 'deleting', 'deleted', 'rejected', 'failed', 'expired', 'partial'];
const OWNERS = ['111111111111', '222222222222', '333333333333'];

// A small pool, so that listed IDs, connections and removed IDs overlap often.
const endpointId = fc.integer({ min: 0, max: 40 }).map(n => `vpce-${n.toString(16).padStart(17, '0')}`);
const connection: fc.Arbitrary<Connection> = fc.record({
  endpointId,
  serviceId: fc.constantFrom(...SERVICES),
  state: fc.constantFrom(...STATES),
  owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
});
const input: fc.Arbitrary<DecisionInput> = fc.record({
  policy: fc.record({
    serviceId: fc.constantFrom(...SERVICES),
    listed: fc.uniqueArray(endpointId, { maxLength: 15 }),
    allowedOwners: fc.option(fc.subarray(OWNERS), { nil: undefined }),
    rejectUnlisted: fc.boolean(),
  }),
  connections: fc.array(connection, { maxLength: 40 }),
  removed: fc.uniqueArray(endpointId, { maxLength: 10 }),
  onRemoval: fc.constantFrom('reject' as const, 'leave' as const),
  listedElsewhere: fc.uniqueArray(endpointId, { maxLength: 5 }).map(ids => new Set(ids)),
});

/** The connection the decision function sees for an ID: the last one of the service. */
function connectionOf(i: DecisionInput, id: string): Connection | undefined {
  return [...i.connections].reverse().find(c => c.endpointId === id && c.serviceId === i.policy.serviceId);
}

describe('the approval decision (property-based)', () => {
  test('accepted is a subset of listed ∩ pending for this service ∩ allowed owners', () => {
    fc.assert(fc.property(input, i => {
      const plan = decide(i);
      for (const id of plan.accept) {
        expect(i.policy.listed).toContain(id);
        const c = connectionOf(i, id);
        expect(c?.state).toBe(PENDING_ACCEPTANCE);
        if (i.policy.allowedOwners) expect(i.policy.allowedOwners).toContain(c?.owner);
      }
    }), { numRuns: RUNS });
  });

  test('nothing is rejected unless rejectUnlisted is set or it was removed with onRemoval reject; listed IDs never', () => {
    fc.assert(fc.property(input, i => {
      const plan = decide(i);
      for (const id of plan.reject) {
        expect(i.policy.listed).not.toContain(id);
        expect(i.listedElsewhere?.has(id)).toBe(false);
        const c = connectionOf(i, id)!;
        const removedAndRejectable = i.onRemoval === 'reject' && i.removed!.includes(id) && REJECTABLE_STATES.has(c.state);
        const unlistedPending = i.policy.rejectUnlisted && c.state === PENDING_ACCEPTANCE;
        expect(removedAndRejectable || unlistedPending).toBe(true);
      }
      if (!i.policy.rejectUnlisted && i.onRemoval === 'leave') expect(plan.reject).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('every listed ID is accepted, already accepted, blocked or missing, and nothing is decided twice', () => {
    fc.assert(fc.property(input, i => {
      const plan = decide(i);
      const settled = new Set([...plan.accept, ...plan.blockers.map(b => b.endpointId), ...plan.missing,
        ...plan.decisions.filter(d => d.action === 'none').map(d => d.endpointId)]);
      expect([...settled].sort()).toEqual([...i.policy.listed].sort());
      expect(new Set(plan.accept).size).toBe(plan.accept.length);
      expect(plan.accept.filter(id => plan.reject.includes(id))).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('a random string is an endpoint ID exactly when it matches the documented format', () => {
    const candidate = fc.oneof(
      endpointId,
      fc.string({ maxLength: 25 }),
      fc.stringMatching(/^vpce-[0-9a-fA-F ]{6,19}$/),
    );
    fc.assert(fc.property(candidate, value => {
      expect(endpointIdProblem(value) === undefined).toBe(/^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value));
    }), { numRuns: RUNS });
  });
});

describe('continuous enforcement in the decision (property-based)', () => {
  const enforcing: fc.Arbitrary<DecisionInput> = fc.record({
    policy: input.map(i => i.policy),
    connections: fc.array(connection, { maxLength: 40 }),
    listedElsewhere: fc.uniqueArray(endpointId, { maxLength: 5 }).map(ids => new Set(ids)),
    unlistedAccepted: fc.constantFrom('report' as const, 'reject' as const),
    acceptListed: fc.boolean(),
  });
  const approved = (i: DecisionInput, c: Connection) =>
    i.policy.listed.includes(c.endpointId) && (!i.policy.allowedOwners || i.policy.allowedOwners.includes(c.owner ?? ''));

  test('a listed connection of an allowed owner is never rejected, whatever the mode and the connections', () => {
    fc.assert(fc.property(fc.oneof(input, enforcing), i => {
      const plan = decide(i);
      for (const id of plan.reject) {
        const c = connectionOf(i, id)!;
        expect(approved(i, c)).toBe(false);
      }
    }), { numRuns: RUNS });
  });

  test('enforcement rejects only accepted connections the approval does not approve, and only with REJECT; never pending ones', () => {
    fc.assert(fc.property(enforcing, i => {
      const plan = decide({ ...i, policy: { ...i.policy, rejectUnlisted: false } });
      if (i.unlistedAccepted === 'report') expect(plan.reject).toEqual([]);
      for (const id of plan.reject) {
        const c = connectionOf(i, id)!;
        expect(['pending', 'available', 'partial']).toContain(c.state);
        expect(i.listedElsewhere?.has(id) && !i.policy.listed.includes(id)).toBe(false);
      }
    }), { numRuns: RUNS });
  });

  test('every accepted connection of the service that the approval does not approve gets exactly one outside-approval decision', () => {
    fc.assert(fc.property(enforcing, i => {
      const plan = decide(i);
      const ids = new Set(i.connections.filter(c => c.serviceId === i.policy.serviceId).map(c => c.endpointId));
      for (const id of ids) {
        const c = connectionOf(i, id)!;
        const outside = ['pending', 'available', 'partial'].includes(c.state) && !approved(i, c)
          && !(i.listedElsewhere!.has(id) && !i.policy.listed.includes(id));
        const lines = plan.decisions.filter(d => d.endpointId === id && d.outsideApproval);
        expect(lines).toHaveLength(outside ? 1 : 0);
      }
    }), { numRuns: RUNS });
  });

  test('without late arrivals, enforcement accepts nothing', () => {
    fc.assert(fc.property(enforcing, i => {
      expect(decide({ ...i, acceptListed: false }).accept).toEqual([]);
    }), { numRuns: RUNS });
  });
});
