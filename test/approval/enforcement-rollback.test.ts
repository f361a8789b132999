import { AcceptVpcEndpointConnectionsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { Outcome } from './cloudformation-simulator';
import { ApprovalSpec, OTHER_SERVICE, SERVICE } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { Harness, SCHEDULED_EVENT, acceptNotification, pending } from './handler-harness';

// README "Continuous enforcement": with UnlistedConnections.REJECT, "after a failed update has rolled
// back, IDs that only the failed template listed are no longer approved, so they are rejected too";
// with REPORT they are only reported. And README "Lifecycle" (a related gap): a service replaced under
// the same construct gets its old connections' cleanup rejection refused by IAM, so that delete fails.
let h: Harness;
afterEach(() => h?.restore());

const LISTED = endpointId(1);
/** Listed only by the update that fails and rolls back. */
const X = endpointId(2);
/** Listed by the failed update too, but EC2 does not accept it, which fails the approval's own update. */
const REFUSED = endpointId(3);

type Mode = 'report' | 'reject';

interface Change {
  readonly command: 'Accept' | 'Reject';
  readonly stackStatus: string;
  readonly serviceId?: string;
  readonly ids: readonly string[];
}

/**
 * Plays EC2's Accept and Reject as the fake does, and records the stack's status at each call.
 * EC2 reports `refused` as Unsuccessful (its connection stays pending).
 */
function recordChanges(refused?: string): Change[] {
  const changes: Change[] = [];
  h.ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(input => {
    const ids: string[] = input.VpcEndpointIds ?? [];
    changes.push({ command: 'Accept', stackStatus: h.cfn.status, serviceId: input.ServiceId, ids });
    const result = h.ec2.change(input.ServiceId, ids.filter(id => id !== refused), ['pendingAcceptance'], 'available');
    const unsuccessful = ids.includes(refused ?? '') ? [{ ResourceId: refused, Error: { Code: 'InvalidState', Message: 'not now' } }] : [];
    return { Unsuccessful: [...result.Unsuccessful, ...unsuccessful] };
  });
  h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(input => {
    changes.push({ command: 'Reject', stackStatus: h.cfn.status, serviceId: input.ServiceId, ids: input.VpcEndpointIds ?? [] });
    return h.ec2.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available'], 'rejected');
  });
  return changes;
}

/** Two ways an update that accepted X fails and rolls back. */
const FAILURES = [
  {
    name: 'another resource fails after the approval was updated',
    failed: { ids: [LISTED, X] },
    failAfter: true,
    refused: undefined,
    requests: [['Update', 'UPDATE_IN_PROGRESS', false], ['Delete', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', false]],
  },
  {
    name: 'the approval\'s own update fails after it accepted X (another listed ID Unsuccessful)',
    failed: { ids: [LISTED, X, REFUSED] },
    failAfter: false,
    refused: REFUSED,
    requests: [['Update', 'UPDATE_IN_PROGRESS', true], ['Update', 'UPDATE_ROLLBACK_IN_PROGRESS', false]],
  },
] as const;

/**
 * A stack at rest whose approval lists LISTED (accepted), with X (and REFUSED) requesting a connection;
 * then an update listing X accepts it and fails, and CloudFormation rolls back to the old list.
 */
async function rolledBack(mode: Mode, failure: typeof FAILURES[number]): Promise<{ outcome: Outcome; changes: Change[]; oldPhysicalId: string }> {
  const options: Partial<ApprovalSpec> = { onRemoval: 'reject', unlistedAccepted: mode };
  h = new Harness([pending(1), pending(2), pending(3)]);
  const oldPhysicalId = await h.deploy({ ids: [LISTED], ...options });
  const changes = recordChanges(failure.refused);
  h.logged.length = 0;
  const outcome = await h.simulator.deploy({ Approval: { ...failure.failed, ...options } }, { failAfter: failure.failAfter });
  return { outcome, changes, oldPhysicalId };
}

function outsideApproval() {
  return h.decisions().filter(line => line.outsideApproval === true);
}

describe.each(FAILURES)('a failed update that accepted X rolls back: $name', failure => {
  describe.each(['reject', 'report'] as const)('unlistedAccepted %s, onRemoval reject', mode => {
    test('the update accepts X; the rollback rejects nothing and leaves the old list deployed', async () => {
      const { outcome, changes, oldPhysicalId } = await rolledBack(mode, failure);

      expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      // Nothing is rejected, neither during the update nor during the rollback (X stays accepted).
      expect(changes.filter(c => c.command === 'Reject')).toEqual([]);
      expect(outcome.requests.map(r => [r.type, r.stackStatus, r.error !== undefined])).toEqual(failure.requests);
      expect(changes.filter(c => c.command === 'Accept').map(c => [c.stackStatus, c.serviceId, c.ids]))
        .toEqual([['UPDATE_IN_PROGRESS', SERVICE, failure.refused ? [X, REFUSED] : [X]]]);
      expect(h.decisions('accept')).toContainEqual(expect.objectContaining({ trigger: 'Update', endpointId: X, outcome: 'accepted' }));
      expect(h.logged).toContainEqual(expect.objectContaining({ event: 'skipped', reason: 'a rollback: nothing is accepted or rejected' }));
      expect([h.ec2.state(LISTED), h.ec2.state(X)]).toEqual(['available', 'available']);
      // At rest again: the template and the deployed generation are the old ones, without X.
      expect(h.cfn.approvalsInTemplate().Approval.EndpointIds).toEqual([LISTED]);
      expect(h.cfn.physicalIds.get('Approval')).toBe(oldPhysicalId);
    });
  });

  const triggers = [
    { trigger: 'Schedule', event: () => SCHEDULED_EVENT },
    { trigger: 'Notification', event: () => acceptNotification(X) },
  ] as const;

  describe.each(triggers)('then at rest, a run triggered by $trigger', ({ trigger, event }) => {
    test('with REJECT rejects X, and only X, logging it as rejected outside the approval', async () => {
      const { changes } = await rolledBack('reject', failure);
      changes.length = 0;
      h.logged.length = 0;

      await h.run(event());

      expect(changes).toEqual([{ command: 'Reject', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', serviceId: SERVICE, ids: [X] }]);
      expect(h.rejected()).toEqual([[X]]);
      expect(outsideApproval()).toEqual([expect.objectContaining({
        serviceId: SERVICE, trigger, endpointId: X, state: 'available', action: 'reject', outcome: 'rejected',
      })]);
      expect(h.ec2.state(X)).toBe('rejected');
      expect(h.ec2.state(LISTED)).toBe('available');
      // REFUSED never got accepted: a pending request is not rejected between deployments.
      expect(h.ec2.state(REFUSED)).toBe('pendingAcceptance');
    });

    test('with REPORT only reports X: no Reject call', async () => {
      const { changes } = await rolledBack('report', failure);
      changes.length = 0;
      h.logged.length = 0;

      await h.run(event());

      expect(changes).toEqual([]);
      expect(h.rejected()).toEqual([]);
      expect(outsideApproval()).toEqual([expect.objectContaining({
        serviceId: SERVICE, trigger, endpointId: X, state: 'available', action: 'report', outcome: 'acceptedOutsideApproval',
      })]);
      expect(h.ec2.state(X)).toBe('available');
    });
  });
});

describe('a service replaced under the same construct (README "Lifecycle": a related gap)', () => {
  const NEW_LISTED = endpointId(9);
  const unauthorized = () => Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' });

  /**
   * The approval of SERVICE (LISTED accepted, onRemoval reject) is updated to the replacement
   * OTHER_SERVICE. The handler's policy already names only the new service when CloudFormation
   * deletes the old generation in the cleanup, so IAM refuses Reject on the old one.
   */
  async function replaced(): Promise<{ outcome: Outcome; changes: Change[] }> {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.deploy({ ids: [LISTED], onRemoval: 'reject', unlistedAccepted: 'reject' });
    const changes = recordChanges();
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand, { ServiceId: SERVICE }).callsFake(input => {
      changes.push({ command: 'Reject', stackStatus: h.cfn.status, serviceId: input.ServiceId, ids: input.VpcEndpointIds ?? [] });
      throw unauthorized();
    });
    h.logged.length = 0;
    const outcome = await h.simulator.deploy({
      Approval: { ids: [NEW_LISTED], serviceId: OTHER_SERVICE, onRemoval: 'reject', unlistedAccepted: 'reject' },
    });
    return { outcome, changes };
  }

  test('the cleanup\'s rejection on the old service is refused, that delete fails, and nothing else is rejected', async () => {
    const { outcome, changes } = await replaced();

    // The update (accepting the new service's endpoint) succeeds; the old generation's delete fails.
    expect(outcome.status).toBe('UPDATE_COMPLETE');
    expect(outcome.requests.map(r => [r.type, r.stackStatus, r.error])).toEqual([
      ['Update', 'UPDATE_IN_PROGRESS', undefined],
      ['Delete', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'You are not authorized to perform this operation.'],
    ]);
    expect(h.cfn.events[1]).toEqual(expect.objectContaining({ LogicalResourceId: 'Approval', ResourceStatus: 'DELETE_FAILED' }));
    // The status reason is EC2's message as it is; the service is named by the handler's failed-run line.
    expect(h.logged).toContainEqual(expect.objectContaining({
      event: 'runFailed', serviceId: SERVICE, trigger: 'Delete', error: 'You are not authorized to perform this operation.',
    }));
    expect(h.decisions()).toContainEqual(expect.objectContaining({
      serviceId: SERVICE, trigger: 'Delete', endpointId: LISTED, outcome: 'notCarriedOut',
    }));
    // The refusal is taken for a policy still propagating: 4 more tries, then the delete fails.
    const rejects = changes.filter(c => c.command === 'Reject');
    expect(rejects).toEqual(Array(5).fill({ command: 'Reject', stackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', serviceId: SERVICE, ids: [LISTED] }));
    expect(changes.filter(c => c.command === 'Accept')).toEqual([
      { command: 'Accept', stackStatus: 'UPDATE_IN_PROGRESS', serviceId: OTHER_SERVICE, ids: [NEW_LISTED] },
    ]);
    expect([h.ec2.state(LISTED), h.ec2.state(NEW_LISTED)]).toEqual(['available', 'available']);
  });

  test('afterwards, enforcement looks only at the new service: the old service\'s connection stays accepted, not reported', async () => {
    await replaced();
    h.ec2.resetHistory();
    h.logged.length = 0;

    await h.run(SCHEDULED_EVENT);

    expect(h.ec2.describeCalls().map(call => call.Filters)).toEqual([[{ Name: 'service-id', Values: [OTHER_SERVICE] }]]);
    expect(h.rejected()).toEqual([]);
    expect(outsideApproval()).toEqual([]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });
});
