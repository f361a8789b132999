import { DescribeVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { OTHER_SERVICE, SERVICE } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { CONSUMER, Harness, STRANGER, connectMessage, notification, pending } from './handler-harness';

let h: Harness;
afterEach(() => h.restore());

/** A stack whose approval lists 1 and 2, owned by the consumer, accepting late arrivals. */
async function deployed(): Promise<void> {
  h = new Harness([]);
  await h.deploy({ ids: [endpointId(1), endpointId(2)], owners: [CONSUMER], acceptOnArrival: true, rejectUnlisted: true });
  h.ec2.resetHistory();
}

test('accepts a listed endpoint that connects after the deployment, reading only that endpoint', async () => {
  await deployed();
  h.ec2.add(pending(1, { state: 'available' }));
  h.ec2.add(pending(2));
  await h.run(notification(connectMessage(endpointId(2))));
  expect(h.accepted()).toEqual([[endpointId(2)]]);
  expect(h.ec2.describeCalls()[0].Filters).toEqual([
    { Name: 'service-id', Values: [SERVICE] },
    { Name: 'vpc-endpoint-id', Values: [endpointId(2)] },
  ]);
  expect(h.decisions()).toContainEqual(expect.objectContaining({ trigger: 'Notification', endpointId: endpointId(2), action: 'accept' }));
});

test('never rejects a new unlisted endpoint, even with rejectUnlisted: its ID may not be handed over yet', async () => {
  await deployed();
  h.ec2.add(pending(3));
  await h.run(notification(connectMessage(endpointId(3))));
  await h.run(notification(JSON.stringify({ serviceId: SERVICE })));
  expect(h.rejected()).toEqual([]);
  expect(h.ec2.state(endpointId(3))).toBe('pendingAcceptance');
});

test('the owners come from the template: a listed endpoint of a stranger stays pending', async () => {
  await deployed();
  h.ec2.add(pending(2, { owner: STRANGER }));
  await h.run(notification(connectMessage(endpointId(2))));
  expect(h.ec2.state(endpointId(2))).toBe('pendingAcceptance');
});

test('ignores a service that no approval of the stack accepts late arrivals for, without calling EC2', async () => {
  await deployed();
  h.ec2.add(pending(1, { serviceId: OTHER_SERVICE }));
  await h.run(notification(connectMessage(endpointId(1), OTHER_SERVICE)));
  expect(h.ec2.stub.calls()).toHaveLength(0);
});

test('decides from EC2, not from the message: a pending listed ID of another service is not accepted', async () => {
  await deployed();
  h.ec2.add(pending(1, { serviceId: OTHER_SERVICE }));
  await h.run(notification(connectMessage(endpointId(1))));
  expect(h.accepted()).toEqual([]);
});

test('a message that names no endpoint service does nothing', async () => {
  await deployed();
  h.cfn.stub.resetHistory();
  await h.run(notification('something else'));
  expect(h.ec2.stub.calls()).toHaveLength(0);
  expect(h.cfn.stub.calls()).toHaveLength(0);
  expect(h.logged).toContainEqual(expect.objectContaining({ event: 'ignored' }));
});

test('waits while the stack is being updated, then reads the settled template', async () => {
  await deployed();
  h.ec2.add(pending(2));
  h.cfn.phase('UPDATE_IN_PROGRESS');
  let polls = 0;
  h.onSleep = () => { if (++polls === 3) h.cfn.phase('UPDATE_COMPLETE'); };
  await h.run(notification(connectMessage(endpointId(2))));
  expect(polls).toBe(3);
  expect(h.accepted()).toEqual([[endpointId(2)]]);
});

test('fails, accepting nothing, when the stack does not settle in time (Lambda retries, then the dead-letter queue)', async () => {
  await deployed();
  h.ec2.add(pending(2));
  h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
  await expect(h.run(notification(connectMessage(endpointId(2))))).rejects.toThrow('dead-letter queue');
  expect(h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(0);
});

test.each(['UPDATE_ROLLBACK_FAILED', 'DELETE_IN_PROGRESS'])('accepts nothing while the stack is %s', async status => {
  await deployed();
  h.ec2.add(pending(2));
  h.cfn.phase(status);
  await h.run(notification(connectMessage(endpointId(2)))).catch(() => undefined);
  expect(h.ec2.stub.calls()).toHaveLength(0);
});
