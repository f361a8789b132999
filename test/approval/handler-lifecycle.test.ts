import { RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { requestEvent } from './cloudformation-simulator';
import { OTHER_SERVICE, SERVICE } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { Harness, connectMessage, notification, pending } from './handler-harness';

let h: Harness;
afterEach(() => h.restore());

const ONE_TWO = [endpointId(1), endpointId(2)];

describe('update', () => {
  test('rerunning with accepted IDs calls neither Accept nor Reject, and gives a new physical ID', async () => {
    h = new Harness([pending(1)]);
    const first = await h.deploy({ ids: [endpointId(1)] });
    const second = await h.deploy({ ids: [endpointId(1)], waitSeconds: 5 });
    expect(second).not.toBe(first);
    expect(h.accepted()).toEqual([[endpointId(1)]]);
    expect(h.rejected()).toEqual([]);
  });

  test('accepts added IDs at once and rejects removed ones only when CloudFormation deletes the replaced generation', async () => {
    h = new Harness([pending(1), pending(2), pending(3)]);
    await h.deploy({ ids: ONE_TWO, onRemoval: 'reject' });
    const outcome = await h.simulator.deploy({ Approval: { ids: [endpointId(1), endpointId(3)], onRemoval: 'reject' } });

    expect(outcome.requests.map(r => [r.type, r.stackStatus, r.error])).toEqual([
      ['Update', 'UPDATE_IN_PROGRESS', undefined],
      ['Delete', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', undefined],
    ]);
    expect(h.accepted()).toEqual([ONE_TWO, [endpointId(3)]]);
    expect(h.rejected()).toEqual([[endpointId(2)]]);
    expect(h.ec2.state(endpointId(1))).toBe('available');
  });

  test('leaves removed IDs with onRemoval leave', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: ONE_TWO });
    await h.deploy({ ids: [endpointId(1)] });
    expect(h.rejected()).toEqual([]);
    expect(h.decisions('leave')).toContainEqual(expect.objectContaining({ endpointId: endpointId(2), reason: 'removed from the list; onRemoval is leave' }));
  });

  test('the onRemoval of the newer generation applies to what it removed', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: ONE_TWO, onRemoval: 'leave' });
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    expect(h.rejected()).toEqual([[endpointId(2)]]);
  });

  test('moving to another service rejects, with the old generation\'s REJECT, the old service\'s connections', async () => {
    h = new Harness([pending(1), pending(1, { serviceId: OTHER_SERVICE, endpointId: endpointId(9) })]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    await h.deploy({ ids: [endpointId(9)], serviceId: OTHER_SERVICE, onRemoval: 'leave' });
    expect(h.ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand).map(c => c.args[0].input))
      .toEqual([{ ServiceId: SERVICE, VpcEndpointIds: [endpointId(1)] }]);
    expect(h.ec2.state(endpointId(9))).toBe('available');
  });

  test('an approval removed from the template applies its own onRemoval in the cleanup', async () => {
    h = new Harness([pending(1)]);
    await h.simulator.deploy({ Approval: { ids: [endpointId(1)], onRemoval: 'reject' } });
    const outcome = await h.simulator.deploy({});
    expect(outcome.requests.map(r => [r.type, r.error])).toEqual([['Delete', undefined]]);
    expect(h.ec2.state(endpointId(1))).toBe('rejected');
  });

  test('a rename keeps the IDs that the new approval of the service lists', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.simulator.deploy({ Old: { ids: ONE_TWO, onRemoval: 'reject' } });
    const outcome = await h.simulator.deploy({ New: { ids: [endpointId(1)], onRemoval: 'reject' } });
    expect(outcome.requests.map(r => [r.type, r.logicalId, r.error])).toEqual([['Create', 'New', undefined], ['Delete', 'Old', undefined]]);
    expect(h.rejected()).toEqual([[endpointId(2)]]);
    expect(h.ec2.state(endpointId(1))).toBe('available');
  });
});

describe('rollbacks never reject and never fail', () => {
  test('an update that removed an ID is rolled back: nothing is rejected', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: ONE_TWO, onRemoval: 'reject' });
    const outcome = await h.simulator.deploy({ Approval: { ids: [endpointId(1)], onRemoval: 'reject' } }, { failAfter: true });
    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(outcome.requests.filter(r => r.error)).toEqual([]);
    expect(h.rejected()).toEqual([]);
    // The template is the old one again: a later deletion of the stack rejects both.
    await h.simulator.deleteStack();
    expect(h.rejected()).toEqual([ONE_TWO]);
  });

  test('an update that added an ID is rolled back: the added endpoint stays accepted (it was listed)', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    await h.simulator.deploy({ Approval: { ids: ONE_TWO, onRemoval: 'reject' } }, { failAfter: true });
    expect(h.ec2.state(endpointId(2))).toBe('available');
    expect(h.rejected()).toEqual([]);
  });

  test('a create that is rolled back rejects nothing', async () => {
    h = new Harness([pending(1)]);
    const outcome = await h.simulator.deploy({ Approval: { ids: [endpointId(1)], onRemoval: 'reject' } }, { failAfter: true });
    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(outcome.requests.map(r => [r.type, r.stackStatus, r.error])).toEqual([
      ['Create', 'CREATE_IN_PROGRESS', undefined],
      ['Delete', 'ROLLBACK_IN_PROGRESS', undefined],
    ]);
    expect(h.rejected()).toEqual([]);
  });

  test('an update of the approval that fails is put back without failing and without changes', async () => {
    h = new Harness([pending(1), pending(2, { state: 'rejected' })]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject', rejectUnlisted: true });
    h.ec2.resetHistory();
    const outcome = await h.simulator.deploy({ Approval: { ids: ONE_TWO, onRemoval: 'reject', rejectUnlisted: true } });
    expect(outcome.requests.map(r => [r.type, r.stackStatus, r.error === undefined])).toEqual([
      ['Update', 'UPDATE_IN_PROGRESS', false],
      ['Update', 'UPDATE_ROLLBACK_IN_PROGRESS', true],
    ]);
    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(h.ec2.stub.calls().filter(c => c.args[0].constructor.name !== 'DescribeVpcEndpointConnectionsCommand')).toEqual([]);
  });

  test('a rollback update succeeds and changes nothing, whatever its properties and the template say', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1)] });
    h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
    h.cfn.template = { Resources: { Approval: { Type: 'Custom::VpcEndpointConnectionApproval', Properties: { ServiceId: { 'Fn::If': [] } } } } };
    const generation = h.simulator.deployed.get('Approval')!;
    await expect(h.run(requestEvent('Update', 'Approval', { ids: ['garbage'] }, generation))).resolves.toEqual({ PhysicalResourceId: generation.physicalId });
  });
});

describe('unknown state fails closed', () => {
  test('an update fails, changing nothing, when the stack status cannot be read', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [endpointId(1)] });
    h.cfn.describeStacksError = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    await expect(h.deploy({ ids: ONE_TWO, rejectUnlisted: true })).rejects.toThrow('denied');
    expect(h.accepted()).toEqual([[endpointId(1)]]);
    expect(h.rejected()).toEqual([]);
  });

  test('a cleanup delete that cannot confirm what the other approvals list rejects nothing and fails', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: ONE_TWO, onRemoval: 'reject' });
    const outcome = await h.simulator.deploy({ Approval: { ids: [endpointId(1)], onRemoval: 'reject' } }, {
      beforeCleanup: () => {
        const template = h.cfn.template;
        const other = { Type: 'Custom::VpcEndpointConnectionApproval', Properties: { ServiceId: { 'Fn::If': ['c', 'a', 'b'] } } };
        h.cfn.template = { ...template, Resources: { ...template.Resources, Other: other } };
      },
    });
    expect(outcome.requests.find(r => r.type === 'Delete')?.error).toMatch(/Fn::If/);
    expect(h.rejected()).toEqual([]);
  });
});

describe('delete', () => {
  test('with onRemoval leave, makes no EC2 call', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1)] });
    h.ec2.resetHistory();
    const outcome = await h.simulator.deleteStack();
    expect(outcome.status).toBe('DELETE_COMPLETE');
    expect(h.ec2.stub.calls()).toHaveLength(0);
  });

  test('with onRemoval reject, rejects the listed connections that are still active', async () => {
    h = new Harness([pending(1), pending(2), pending(3)]);
    await h.deploy({ ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' });
    h.ec2.add(pending(2, { state: 'deleted' }));
    await h.simulator.deleteStack();
    expect(h.rejected()).toEqual([[endpointId(1)]]);
    expect(h.ec2.state(endpointId(3))).toBe('pendingAcceptance');
  });

  test('never fails because a connection is already gone when Reject runs', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(() => {
      h.ec2.connections.delete(endpointId(1));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'gone' } }] };
    });
    expect((await h.simulator.deleteStack()).status).toBe('DELETE_COMPLETE');
  });

  test('fails when Reject leaves a connection active', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidState', Message: 'busy' } }] });
    const outcome = await h.simulator.deleteStack();
    expect(outcome.status).toBe('DELETE_FAILED');
    expect(outcome.requests[0].error).toContain(`${endpointId(1)}: InvalidState (busy)`);
  });

  test('succeeds when EC2 answers that the service is not found', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1)], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).rejects(Object.assign(new Error('no service'), { name: 'InvalidVpcEndpointServiceId.NotFound' }));
    expect((await h.simulator.deleteStack()).status).toBe('DELETE_COMPLETE');
  });
});

describe('late arrivals read the template at the time of the notification', () => {
  test('after an update, only the new list is accepted on arrival', async () => {
    h = new Harness([]);
    await h.deploy({ ids: ONE_TWO, acceptOnArrival: true });
    await h.deploy({ ids: [endpointId(1), endpointId(3)], acceptOnArrival: true });
    h.ec2.add(pending(2));
    h.ec2.add(pending(3));
    await h.run(notification(connectMessage(endpointId(2)), connectMessage(endpointId(3))));
    expect(h.accepted()).toEqual([[endpointId(3)]]);
    expect(h.ec2.state(endpointId(2))).toBe('pendingAcceptance');
  });

  test('after a rolled-back update, the old list applies again', async () => {
    h = new Harness([]);
    await h.deploy({ ids: [endpointId(1)], acceptOnArrival: true });
    await h.simulator.deploy({ Approval: { ids: [endpointId(1), endpointId(2)], acceptOnArrival: true } }, { failAfter: true });
    h.ec2.add(pending(2));
    await h.run(notification(connectMessage(endpointId(2))));
    expect(h.accepted()).toEqual([]);
  });
});
