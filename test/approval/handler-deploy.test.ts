import { AcceptVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { requestEvent } from './cloudformation-simulator';
import { OTHER_SERVICE, SERVICE } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { CONSUMER, Harness, STRANGER, connectMessage, notification, pending } from './handler-harness';
import { PERMISSION_RETRY_DELAYS_MS } from '../../lambda/approval/ec2';

let h: Harness;
afterEach(() => h.restore());

describe('create', () => {
  test('accepts exactly the listed pending connections, in one call, and leaves the rest pending', async () => {
    h = new Harness([pending(1), pending(2), pending(3)]);
    const physicalId = await h.deploy({ ids: [endpointId(1), endpointId(3)] });

    expect(physicalId).toMatch(new RegExp(`^${SERVICE}/[0-9a-f-]+/[0-9a-f]{64}$`));
    expect(h.accepted()).toEqual([[endpointId(1), endpointId(3)]]);
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(endpointId(2))).toBe('pendingAcceptance');
    expect(h.ec2.describeCalls()[0].Filters).toEqual([{ Name: 'service-id', Values: [SERVICE] }]);
  });

  test('logs one JSON decision per listed ID and per unlisted pending request, each change once EC2 carried it out', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [endpointId(1)] });

    expect(h.decisions()).toEqual([
      expect.objectContaining({ endpointId: endpointId(2), action: 'leave', outcome: 'leftPending', reason: 'not listed' }),
      expect.objectContaining({
        serviceId: SERVICE, trigger: 'Create', endpointId: endpointId(1), action: 'accept', outcome: 'accepted', reason: 'listed and pending acceptance',
      }),
    ]);
    for (const line of h.decisions()) expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  test('reads every page of a service with many connections', async () => {
    h = new Harness(Array.from({ length: 2500 }, (_, i) => pending(i)));
    await h.deploy({ ids: [endpointId(2499), endpointId(7)] });

    const pages = h.ec2.describeCalls();
    expect(pages.map(p => p.NextToken)).toEqual([undefined, '1000', '2000']);
    expect(pages.every(p => p.MaxResults === 1000)).toBe(true);
    expect(h.accepted()).toEqual([[endpointId(2499), endpointId(7)]]);
  });

  test('accepts more than 1,000 IDs in batches of 1,000', async () => {
    h = new Harness(Array.from({ length: 1500 }, (_, i) => pending(i)));
    await h.deploy({ ids: Array.from({ length: 1500 }, (_, i) => endpointId(i)) });
    expect(h.accepted().map(batch => batch.length)).toEqual([1000, 500]);
    expect([...h.ec2.connections.values()].every(c => c.state === 'available')).toBe(true);
  });

  test('fails on every Unsuccessful entry of Accept, naming the IDs and codes, and then rejects nothing', async () => {
    h = new Harness([pending(1), pending(2), pending(3)]);
    h.ec2.stub.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: endpointId(2), Error: { Code: 'InvalidState', Message: 'busy' } }],
    });
    await expect(h.deploy({ ids: [endpointId(1), endpointId(2)], rejectUnlisted: true })).rejects.toThrow(`${endpointId(2)}: InvalidState (busy)`);
    expect(h.rejected()).toEqual([]);
  });

  test('an Unsuccessful entry for a connection that the late-arrival path accepted meanwhile is no failure', async () => {
    h = new Harness([pending(1)]);
    h.ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(() => {
      h.ec2.add(pending(1, { state: 'available' }));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidState', Message: 'already accepted' } }] };
    });
    await expect(h.deploy({ ids: [endpointId(1)] })).resolves.toBeDefined();
  });

  test('retries Accept while IAM has not yet allowed it', async () => {
    h = new Harness([pending(1)]);
    let refusals = 2;
    h.ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(() => {
      if (refusals-- > 0) throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
      h.ec2.add(pending(1, { state: 'available' }));
      return { Unsuccessful: [] };
    });
    const start = h.clock;
    await h.deploy({ ids: [endpointId(1)] });
    expect(h.ec2.state(endpointId(1))).toBe('available');
    expect(h.clock - start).toBe(PERMISSION_RETRY_DELAYS_MS[0] + PERMISSION_RETRY_DELAYS_MS[1]);
  });

  test.each(['rejected', 'expired', 'deleted', 'failed', 'deleting'])('fails for a listed connection that is %s, naming ID, state and service', async state => {
    h = new Harness([pending(1), pending(2, { state })]);
    await expect(h.deploy({ ids: [endpointId(1), endpointId(2)] })).rejects.toThrow(new RegExp(`${SERVICE}.*${endpointId(2)} \\(state ${state}\\)`));
    expect(h.accepted()).toEqual([]);
  });

  test('fails for a listed ID with no connection request, naming it and the service', async () => {
    h = new Harness([pending(1)]);
    await expect(h.deploy({ ids: [endpointId(1), endpointId(5)] }))
      .rejects.toThrow(`${SERVICE}: no connection request to this service from ${endpointId(5)} (state: not found)`);
    expect(h.accepted()).toEqual([]);
  });

  test('never accepts a listed ID whose connection belongs to another service, even if the API returns it', async () => {
    h = new Harness([pending(1, { serviceId: OTHER_SERVICE })]);
    h.ec2.ignoreFilters = true;
    await expect(h.deploy({ ids: [endpointId(1)] })).rejects.toThrow('not found');
    expect(h.accepted()).toEqual([]);
  });

  test('with an owner allowlist, fails for a listed endpoint of another account and accepts nothing', async () => {
    h = new Harness([pending(1), pending(2, { owner: STRANGER })]);
    await expect(h.deploy({ ids: [endpointId(1), endpointId(2)], owners: [CONSUMER] })).rejects.toThrow(`owner ${STRANGER} is not an allowed owner`);
    expect(h.accepted()).toEqual([]);
  });

  test('with an owner allowlist, accepts listed endpoints of allowed accounts', async () => {
    h = new Harness([pending(1), pending(2, { owner: STRANGER })]);
    await h.deploy({ ids: [endpointId(1)], owners: [CONSUMER] });
    expect(h.accepted()).toEqual([[endpointId(1)]]);
  });

  test('rejectUnlisted rejects unlisted pending requests only', async () => {
    h = new Harness([pending(1), pending(2), pending(3, { state: 'available' }), pending(4, { serviceId: OTHER_SERVICE })]);
    await h.deploy({ ids: [endpointId(1)], rejectUnlisted: true });
    expect(h.rejected()).toEqual([[endpointId(2)]]);
    expect(h.ec2.state(endpointId(3))).toBe('available');
    expect(h.ec2.state(endpointId(4))).toBe('pendingAcceptance');
  });

  test.each([
    [{ ids: ['vpce-ABC'] }, "Invalid VPC endpoint ID 'vpce-ABC'"],
    [{ ids: [endpointId(1), endpointId(1)] }, 'more than once'],
    [{ ids: [], owners: ['12'] }, "Invalid allowed owner '12'"],
  ])('fails with a clear message when resolved properties are bad: %j', async (spec, message) => {
    h = new Harness([]);
    await expect(h.deploy(spec)).rejects.toThrow(message);
    expect(h.ec2.describeCalls()).toEqual([]);
  });
});

describe('listed endpoints that have not connected', () => {
  test('a deployment that waits accepts an endpoint that connects meanwhile', async () => {
    h = new Harness([pending(1)]);
    let polls = 0;
    h.onSleep = () => { if (++polls === 2) h.ec2.add(pending(2)); };
    await h.deploy({ ids: [endpointId(1), endpointId(2)], waitSeconds: 60 });
    expect(h.accepted()).toEqual([[endpointId(1), endpointId(2)]]);
    expect(h.logged.filter(l => l.event === 'waiting')).toHaveLength(2);
  });

  test('the wait ends in a failure, without accepting anything', async () => {
    h = new Harness([pending(1)]);
    const start = h.clock;
    await expect(h.deploy({ ids: [endpointId(1), endpointId(2)], waitSeconds: 30 })).rejects.toThrow(`${endpointId(2)} (state: not found)`);
    expect(h.clock - start).toBe(30_000);
    expect(h.ec2.describeCalls()).toHaveLength(4);
    expect(h.accepted()).toEqual([]);
  });

  test('never waits past the time Lambda has left', async () => {
    h = new Harness([]);
    h.remainingMs = 150_000;
    const start = h.clock;
    await expect(h.deploy({ ids: [endpointId(2)], waitSeconds: 600 })).rejects.toThrow('not found');
    expect(h.clock - start).toBe(30_000);
  });

  test('a run that CloudFormation cancelled while it waited changes nothing', async () => {
    h = new Harness([pending(1)]);
    h.onSleep = () => {
      h.ec2.add(pending(2));
      h.cfn.phase('ROLLBACK_IN_PROGRESS');
    };
    await expect(h.deploy({ ids: [endpointId(1), endpointId(2)], waitSeconds: 60, rejectUnlisted: true }))
      .rejects.toThrow('no longer carrying out this Create');
    expect(h.accepted()).toEqual([]);
    expect(h.rejected()).toEqual([]);
  });

  test('with acceptOnArrival, the deployment succeeds and the endpoint is accepted when it connects', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [endpointId(1), endpointId(2)], acceptOnArrival: true });
    expect(h.ec2.state(endpointId(1))).toBe('available');
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'awaitingArrival', missing: [endpointId(2)] }));

    h.ec2.add(pending(2));
    await h.run(notification(connectMessage(endpointId(2))));
    expect(h.ec2.state(endpointId(2))).toBe('available');
  });
});

test('a create for an approval that the template lists, sent while the stack is being created, is carried out once', async () => {
  h = new Harness([pending(1)]);
  await h.deploy({ ids: [endpointId(1)] });
  // The same request again, later: CloudFormation has finished with the resource.
  await expect(h.run(requestEvent('Create', 'Approval', { ids: [endpointId(1)] }))).rejects.toThrow('CloudFormation is not carrying it out');
  expect(h.accepted()).toHaveLength(1);
});
