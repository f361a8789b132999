import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointConnectionsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { ApprovalSpec, OTHER_SERVICE, SERVICE } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { CONSUMER, Harness, SCHEDULED_EVENT, STRANGER, acceptNotification, connectMessage, notification, pending } from './handler-harness';

let h: Harness;
afterEach(() => h.restore());

const LISTED = endpointId(1);
const BY_HAND = endpointId(5);

/** A deployed stack whose approval lists endpoint 1 (accepted), and a connection 5 accepted by hand afterwards. */
async function deployed(spec: Partial<ApprovalSpec> = {}): Promise<void> {
  h = new Harness([pending(1)]);
  await h.deploy({ ids: [LISTED], ...spec });
  h.ec2.add(pending(5, { state: 'available' }));
  h.ec2.resetHistory();
  h.cfn.stub.resetHistory();
  h.logged.length = 0;
}

function outsideLines() {
  return h.logged.filter(line => line.event === 'decision' && line.outsideApproval === true);
}

describe('continuous enforcement: REPORT (the default)', () => {
  test('a scheduled run reports a connection accepted by hand as one decision line, and rejects nothing', async () => {
    await deployed();
    await h.run(SCHEDULED_EVENT);
    expect(outsideLines()).toEqual([expect.objectContaining({
      serviceId: SERVICE, trigger: 'Schedule', endpointId: BY_HAND, action: 'report', outcome: 'acceptedOutsideApproval', state: 'available',
    })]);
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(BY_HAND)).toBe('available');
    expect(h.ec2.state(LISTED)).toBe('available');
  });

  test('an Accept notification of the hand-accepted endpoint reports it, reading only that endpoint', async () => {
    await deployed();
    await h.run(acceptNotification(BY_HAND));
    expect(outsideLines()).toEqual([expect.objectContaining({ trigger: 'Notification', endpointId: BY_HAND, action: 'report' })]);
    expect(h.ec2.describeCalls()[0].Filters).toEqual([
      { Name: 'service-id', Values: [SERVICE] },
      { Name: 'vpc-endpoint-id', Values: [BY_HAND] },
    ]);
  });

  test('a listed connection owned outside allowedOwners, accepted by hand, is reported', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED, endpointId(2)], owners: [CONSUMER], acceptOnArrival: true });
    h.ec2.add(pending(2, { owner: STRANGER, state: 'available' }));
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(outsideLines()).toEqual([expect.objectContaining({ endpointId: endpointId(2), owner: STRANGER, action: 'report' })]);
    expect(h.rejected()).toEqual([]);
  });

  test('a pending unlisted request is never rejected by enforcement, even with rejectUnlisted', async () => {
    await deployed({ rejectUnlisted: true, onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.ec2.add(pending(7));
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([[BY_HAND]]);
    expect(h.ec2.state(endpointId(7))).toBe('pendingAcceptance');
  });
});

describe('continuous enforcement: REJECT', () => {
  test('a scheduled run rejects the connection accepted by hand and never touches the listed one', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([[BY_HAND]]);
    expect(h.ec2.state(BY_HAND)).toBe('rejected');
    expect(h.ec2.state(LISTED)).toBe('available');
    expect(outsideLines()).toEqual([expect.objectContaining({ endpointId: BY_HAND, action: 'reject', outcome: 'rejected' })]);
  });

  test('a listed connection owned outside allowedOwners is rejected; the allowed owner\'s is not', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED, endpointId(2)], owners: [CONSUMER], acceptOnArrival: true, onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.ec2.add(pending(2, { owner: STRANGER, state: 'available' }));
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([[endpointId(2)]]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });

  test('a lost Accept notification is caught by the next scheduled run', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    // No notification reached the handler; only the schedule runs.
    await h.run(SCHEDULED_EVENT);
    expect(h.ec2.state(BY_HAND)).toBe('rejected');
  });

  test('the mode comes from the template: a forged scheduled event asking for rejection only reports', async () => {
    await deployed();
    await h.run({ ...SCHEDULED_EVENT, detail: { unlistedAccepted: 'reject' }, UnlistedAccepted: 'reject' } as typeof SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([]);
    expect(outsideLines()).toHaveLength(1);
  });

  test('a template changed to REJECT outside CloudFormation (physical ID issued for REPORT) rejects nothing', async () => {
    await deployed({ onRemoval: 'reject' });
    h.cfn.setApprovals({ Approval: { ids: [LISTED], onRemoval: 'reject', unlistedAccepted: 'reject' } });
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/Cannot enforce the approval Approval/);
    expect(h.rejected()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'approvalUnreadable', logicalId: 'Approval' }));
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'runFailed', serviceId: SERVICE, trigger: 'Schedule' }));
  });

  test('a template that drops the listed ID without a deployment does not get the listed connection rejected', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.cfn.setApprovals({ Approval: { ids: [], onRemoval: 'reject', unlistedAccepted: 'reject' } });
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/Cannot enforce/);
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });
});

describe('never during a deployment', () => {
  for (const status of ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'CREATE_IN_PROGRESS']) {
    test(`a scheduled run while the stack is ${status} reads nothing more than the stack's status and changes nothing`, async () => {
      await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
      h.cfn.phase(status);
      h.cfn.stub.resetHistory();
      await h.run(SCHEDULED_EVENT);
      expect(h.ec2.stub.calls()).toHaveLength(0);
      expect(h.cfn.callCounts()).toEqual({ DescribeStacks: 1 });
      expect(h.logged).toContainEqual(expect.objectContaining({ event: 'skipped', stackStatus: status }));
    });
  }

  test('an Accept notification during an update returns at once, without waiting for the stack', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.cfn.phase('UPDATE_IN_PROGRESS');
    const start = h.clock;
    await h.run(acceptNotification(BY_HAND));
    expect(h.clock).toBe(start);
    expect(h.ec2.stub.calls()).toHaveLength(0);
    expect(h.ec2.state(BY_HAND)).toBe('available');
  });

  test('a Connect notification during a cleanup still accepts a late arrival, and enforces nothing', async () => {
    await deployed({ acceptOnArrival: true, ids: [LISTED, endpointId(2)], onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.cfn.phase('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    h.ec2.add(pending(2));
    await h.run(notification(connectMessage(endpointId(2)), connectMessage(BY_HAND)));
    expect(h.accepted()).toEqual([[endpointId(2)]]);
    expect(h.rejected()).toEqual([]);
  });

  test('a deployment that starts while the run reads connections stops it before any rejection', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.ec2.beforeDescribe = () => h.cfn.phase('UPDATE_IN_PROGRESS');
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'skipped', serviceId: SERVICE }));
  });

  test('an update that starts and completes while the run reads connections stops it too (LastUpdatedTime moved)', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    h.ec2.beforeDescribe = () => {
      h.cfn.phase('UPDATE_IN_PROGRESS');
      h.cfn.phase('UPDATE_COMPLETE');
    };
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([]);
  });
});

describe('bounded work and API calls', () => {
  test('a scheduled run reads the stack once and each approved service\'s connections once', async () => {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.simulator.deploy({ A: { ids: [LISTED] }, B: { ids: [endpointId(9)], serviceId: OTHER_SERVICE } });
    h.ec2.resetHistory();
    h.cfn.stub.resetHistory();
    await h.run(SCHEDULED_EVENT);
    expect(h.ec2.describeCalls().map(call => call.Filters)).toEqual([
      [{ Name: 'service-id', Values: [SERVICE] }],
      [{ Name: 'service-id', Values: [OTHER_SERVICE] }],
    ]);
    expect(h.cfn.callCounts()).toEqual({ DescribeStacks: 1, GetTemplate: 1, ListStackResources: 1 });
  });

  test('a rejection costs one more DescribeStacks (the stack is read again just before it)', async () => {
    await deployed({ onRemoval: 'reject', unlistedAccepted: 'reject' });
    await h.run(SCHEDULED_EVENT);
    expect(h.cfn.stub.commandCalls(DescribeStacksCommand)).toHaveLength(2);
    expect(h.cfn.stub.commandCalls(GetTemplateCommand)).toHaveLength(1);
    expect(h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
  });

  test('the scheduled run does not log a line for each listed connection that is fine, only a summary', async () => {
    h = new Harness(Array.from({ length: 50 }, (_, i) => pending(i)));
    await h.deploy({ ids: Array.from({ length: 50 }, (_, i) => endpointId(i)) });
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(h.decisions()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'enforced', serviceId: SERVICE, connections: 50, outsideApproval: 0 }));
  });
});

describe('listed IDs not accepted, and failed runs', () => {
  test('each scheduled run logs a listed ID with no request as missing, and an unlisted request as left pending', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED, endpointId(2)], acceptOnArrival: true });
    h.ec2.add(pending(3, { state: 'rejected' }));
    h.ec2.add(pending(4));
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(h.decisions()).toEqual([
      expect.objectContaining({ endpointId: endpointId(2), outcome: 'missing', action: 'leave' }),
      expect.objectContaining({ endpointId: endpointId(4), outcome: 'leftPending', action: 'leave' }),
    ]);
  });

  test('a listed ID pending acceptance, with no late arrivals, is awaitingAcceptance and is not accepted by the schedule', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED] });
    // The connection of a listed ID back in pendingAcceptance after the deployment (as EC2 might report it).
    h.ec2.add(pending(1, { state: 'pendingAcceptance' }));
    h.ec2.resetHistory();
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(h.accepted()).toEqual([]);
    expect(h.decisions()).toEqual([expect.objectContaining({ endpointId: LISTED, outcome: 'awaitingAcceptance', action: 'leave' })]);
  });

  test('with late arrivals, the schedule accepts a listed request whose Connect notification was lost', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED, endpointId(2)], acceptOnArrival: true });
    h.ec2.add(pending(2));
    h.ec2.resetHistory();
    await h.run(SCHEDULED_EVENT);
    expect(h.accepted()).toEqual([[endpointId(2)]]);
  });

  test('a failing service is logged as a failed run for that service, and the other services are still looked at', async () => {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.simulator.deploy({
      A: { ids: [LISTED], onRemoval: 'reject', unlistedAccepted: 'reject' },
      B: { ids: [endpointId(9)], serviceId: OTHER_SERVICE, onRemoval: 'reject', unlistedAccepted: 'reject' },
    });
    h.ec2.add(pending(5, { state: 'available' }));
    h.ec2.add(pending(6, { state: 'available', serviceId: OTHER_SERVICE }));
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand, { ServiceId: SERVICE })
      .resolves({ Unsuccessful: [{ ResourceId: BY_HAND, Error: { Code: 'OperationNotPermitted', Message: 'no' } }] });
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/schedule run failed for vpce-svc-0123456789abcdef0/);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'runFailed', serviceId: SERVICE, trigger: 'Schedule' }));
    expect(h.logged.filter(line => line.event === 'runFailed')).toHaveLength(1);
    expect(h.ec2.state(endpointId(6))).toBe('rejected');
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'decision', endpointId: BY_HAND, outcome: 'failed' }));
  });
});
