import { DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { AcceptVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent, SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeEc2, endpointId } from './fake-ec2';
import { Dependencies } from '../../lambda/approval/approve';
import { ApprovalPolicy, Connection } from '../../lambda/approval/decide';
import { handle } from '../../lambda/approval/index';
import { ApprovalStore } from '../../lambda/approval/store';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const OTHER_SERVICE = 'vpce-svc-0fedcba9876543210';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Provider/guid';
const CONSUMER = '222222222222';
const STRANGER = '333333333333';

const ddb = mockClient(DynamoDBClient);
let ec2: FakeEc2;
let clock: number;
let logged: Array<Record<string, unknown>>;
let stored: Map<string, ApprovalPolicy>;

function deps(): Dependencies {
  return {
    ec2: new EC2Client({ region: 'eu-west-1' }),
    store: new ApprovalStore(new DynamoDBClient({ region: 'eu-west-1' }), 'Approvals'),
    now: () => clock,
    sleep: async ms => { clock += ms; },
    pollIntervalMs: 10_000,
  };
}

function pending(n: number, props: Partial<Connection> = {}): Connection {
  return { endpointId: endpointId(n), serviceId: SERVICE, state: 'pendingAcceptance', owner: CONSUMER, ...props };
}

interface Props {
  ids: string[];
  owners?: string[];
  rejectUnlisted?: boolean;
  onRemoval?: 'reject' | 'leave';
  waitSeconds?: number;
  serviceId?: string;
}

function properties(props: Props): Record<string, unknown> {
  // CloudFormation hands every scalar to the function as a string.
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework',
    ServiceId: props.serviceId ?? SERVICE,
    EndpointIds: props.ids,
    ...(props.owners ? { AllowedOwners: props.owners } : {}),
    RejectUnlisted: String(props.rejectUnlisted ?? false),
    OnRemoval: props.onRemoval ?? 'leave',
    WaitSeconds: String(props.waitSeconds ?? 0),
  };
}

function cfnEvent(type: 'Create' | 'Update' | 'Delete', props: Props, old?: Props, logicalId = 'Approval'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'token',
    ResponseURL: 'https://example.invalid',
    StackId: STACK_ID,
    RequestId: 'request',
    LogicalResourceId: logicalId,
    ResourceType: 'Custom::VpcEndpointConnectionApproval',
    ResourceProperties: properties(props) as any,
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId: `${SERVICE}/${logicalId}`, OldResourceProperties: properties(old!) as any };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: `${SERVICE}/${logicalId}` };
}

function run(event: CloudFormationCustomResourceEvent | SNSEvent, remainingMs = 900_000) {
  return handle(event, deps(), () => remainingMs);
}

function decisions(action?: string) {
  return logged.filter(l => l.event === 'decision' && (!action || l.action === action));
}

beforeEach(() => {
  clock = 1_000_000;
  logged = [];
  stored = new Map();
  jest.spyOn(console, 'info').mockImplementation((entry: Record<string, unknown>) => { logged.push(entry); });
  ddb.reset();
  ddb.on(PutItemCommand).callsFake(input => { stored.set(`${input.Item.ServiceId.S}|${input.Item.ApprovalId.S}`, JSON.parse(input.Item.Policy.S)); return {}; });
  ddb.on(DeleteItemCommand).callsFake(input => { stored.delete(`${input.Key.ServiceId.S}|${input.Key.ApprovalId.S}`); return {}; });
  ddb.on(QueryCommand).callsFake(input => {
    const service = input.ExpressionAttributeValues[':service'].S;
    const items = [...stored].filter(([key]) => key.startsWith(`${service}|`)).map(([key, policy]) => ({
      ServiceId: { S: service }, ApprovalId: { S: key.split('|')[1] }, Policy: { S: JSON.stringify(policy) },
    }));
    return { Items: items };
  });
});

afterEach(() => {
  ec2?.restore();
  jest.restoreAllMocks();
});

describe('create', () => {
  test('accepts exactly the listed pending connections, in one call, and leaves the rest pending', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3)]);
    const result = await run(cfnEvent('Create', { ids: [endpointId(1), endpointId(3)] }));

    expect(result).toEqual({ PhysicalResourceId: `${SERVICE}/Approval` });
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1), endpointId(3)]]);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.state(endpointId(2))).toBe('pendingAcceptance');
    expect(ec2.describeCalls()[0].Filters).toEqual([{ Name: 'service-id', Values: [SERVICE] }]);
  });

  test('logs one JSON decision per listed ID and per unlisted pending request', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    await run(cfnEvent('Create', { ids: [endpointId(1)] }));

    expect(decisions()).toEqual([
      expect.objectContaining({ serviceId: SERVICE, trigger: 'Create', endpointId: endpointId(1), action: 'accept', reason: 'listed and pending acceptance' }),
      expect.objectContaining({ endpointId: endpointId(2), action: 'leave', reason: 'not listed' }),
    ]);
    for (const line of decisions()) expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  test('reads every page of a service with many connections', async () => {
    ec2 = new FakeEc2(Array.from({ length: 2500 }, (_, i) => pending(i)));
    await run(cfnEvent('Create', { ids: [endpointId(2499), endpointId(7)] }));

    const pages = ec2.describeCalls();
    expect(pages.map(p => p.NextToken)).toEqual([undefined, '1000', '2000']);
    expect(pages.every(p => p.MaxResults === 1000)).toBe(true);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(2499), endpointId(7)]]);
  });

  test('stores the approved list for late arrivals before reading EC2, and keeps it only when the run succeeds', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const storedAtDescribe: number[] = [];
    ec2.beforeDescribe = () => storedAtDescribe.push(stored.size);
    await run(cfnEvent('Create', { ids: [endpointId(1)], owners: [CONSUMER] }));
    expect(storedAtDescribe).toEqual([1]);
    expect([...stored.values()]).toEqual([{ serviceId: SERVICE, listed: [endpointId(1)], allowedOwners: [CONSUMER], rejectUnlisted: false }]);

    await expect(run(cfnEvent('Create', { ids: [endpointId(9)] }, undefined, 'Failing'))).rejects.toThrow();
    expect([...stored.keys()]).toEqual([`${SERVICE}|${STACK_ID}/Approval`]);
  });

  test('a failed update puts the previous list back', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    const previous = { serviceId: SERVICE, listed: [endpointId(1)], rejectUnlisted: false };
    stored.set(`${SERVICE}|${STACK_ID}/Approval`, previous);
    await expect(run(cfnEvent('Update', { ids: [endpointId(1), endpointId(9)] }, { ids: [endpointId(1)] }))).rejects.toThrow(endpointId(9));
    expect([...stored.values()]).toEqual([previous]);
  });

  test('an Unsuccessful entry for a connection that the late-arrival path accepted meanwhile is no failure', async () => {
    ec2 = new FakeEc2([pending(1)]);
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(() => {
      ec2.add(pending(1, { state: 'available' }));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidState', Message: 'already accepted' } }] };
    });
    await expect(run(cfnEvent('Create', { ids: [endpointId(1)] }))).resolves.toBeDefined();
  });

  test('fails on every Unsuccessful entry of Accept, naming the IDs and codes', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: endpointId(2), Error: { Code: 'InvalidState', Message: 'busy' } }],
    });
    const promise = run(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)] }));

    await expect(promise).rejects.toThrow(`${endpointId(2)}: InvalidState (busy)`);
    expect(stored.size).toBe(0);
  });

  test.each(['rejected', 'expired', 'deleted', 'failed', 'deleting'])('fails for a listed connection that is %s, naming ID, state and service', async state => {
    ec2 = new FakeEc2([pending(1), pending(2, { state })]);
    const promise = run(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)] }));

    await expect(promise).rejects.toThrow(new RegExp(`${SERVICE}.*${endpointId(2)} \\(state ${state}\\)`));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('fails for a listed ID with no connection request, naming it and the service', async () => {
    ec2 = new FakeEc2([pending(1)]);
    await expect(run(cfnEvent('Create', { ids: [endpointId(1), endpointId(5)] })))
      .rejects.toThrow(`${SERVICE}: no connection request to this service from ${endpointId(5)} (state: not found)`);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('never accepts a listed ID whose connection belongs to another service, even if the API returns it', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    ec2.ignoreFilters = true;
    await expect(run(cfnEvent('Create', { ids: [endpointId(1)] }))).rejects.toThrow('not found');
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.state(endpointId(1))).toBe('pendingAcceptance');
  });

  test('with an owner allowlist, fails for a listed endpoint of another account and accepts nothing', async () => {
    ec2 = new FakeEc2([pending(1), pending(2, { owner: STRANGER })]);
    await expect(run(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)], owners: [CONSUMER] })))
      .rejects.toThrow(`owner ${STRANGER} is not an allowed owner`);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('with an owner allowlist, accepts listed endpoints of allowed accounts', async () => {
    ec2 = new FakeEc2([pending(1), pending(2, { owner: STRANGER })]);
    await run(cfnEvent('Create', { ids: [endpointId(1)], owners: [CONSUMER] }));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1)]]);
  });

  test('rejectUnlisted rejects unlisted pending requests only', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3, { state: 'available' }), pending(4, { serviceId: OTHER_SERVICE })]);
    await run(cfnEvent('Create', { ids: [endpointId(1)], rejectUnlisted: true }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.state(endpointId(1))).toBe('available');
    expect(ec2.state(endpointId(3))).toBe('available');
    expect(ec2.state(endpointId(4))).toBe('pendingAcceptance');
  });

  test('fails with clear messages when resolved properties are bad', async () => {
    ec2 = new FakeEc2([]);
    await expect(run(cfnEvent('Create', { ids: ['vpce-ABC'] }))).rejects.toThrow("Invalid VPC endpoint ID 'vpce-ABC'");
    await expect(run(cfnEvent('Create', { ids: [endpointId(1), endpointId(1)] }))).rejects.toThrow('more than once');
    await expect(run(cfnEvent('Create', { ids: [], owners: ['12'] }))).rejects.toThrow("Invalid allowed owner '12'");
    expect(ec2.describeCalls()).toEqual([]);
  });
});

describe('waiting for endpoints', () => {
  test('accepts a listed endpoint that connects while the deployment waits', async () => {
    ec2 = new FakeEc2([pending(1)]);
    let polls = 0;
    const realSleep = deps().sleep;
    const waiting = handle(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)], waitSeconds: 60 }), {
      ...deps(),
      sleep: async ms => { polls++; if (polls === 2) ec2.add(pending(2)); await realSleep(ms); },
    }, () => 900_000);

    await waiting;
    expect(polls).toBe(2);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1), endpointId(2)]]);
    expect(logged.filter(l => l.event === 'waiting')).toHaveLength(2);
  });

  test('fails once the wait is over, without accepting anything', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const start = clock;
    await expect(run(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)], waitSeconds: 30 }))).rejects.toThrow(`${endpointId(2)} (state: not found)`);
    expect(clock - start).toBe(30_000);
    expect(ec2.describeCalls()).toHaveLength(4);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('never waits past the time Lambda has left', async () => {
    ec2 = new FakeEc2([]);
    const start = clock;
    await expect(run(cfnEvent('Create', { ids: [endpointId(2)], waitSeconds: 600 }), 90_000)).rejects.toThrow('not found');
    expect(clock - start).toBe(30_000);
  });
});

describe('update', () => {
  test('rerunning with accepted IDs calls neither Accept nor Reject', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    await run(cfnEvent('Create', { ids: [endpointId(1)] }));
    ec2.stub.resetHistory();
    await run(cfnEvent('Update', { ids: [endpointId(1)] }, { ids: [endpointId(1)] }));

    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(decisions('none')).toEqual([expect.objectContaining({ endpointId: endpointId(1), reason: 'listed and already accepted' })]);
  });

  test('accepts added IDs and rejects removed ones with onRemoval reject', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2, { state: 'available' }), pending(3)]);
    await run(cfnEvent('Update', { ids: [endpointId(1), endpointId(3)], onRemoval: 'reject' }, { ids: [endpointId(1), endpointId(2)] }));

    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(3)]]);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.state(endpointId(2))).toBe('rejected');
  });

  test('leaves removed IDs with onRemoval leave', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2, { state: 'available' })]);
    await run(cfnEvent('Update', { ids: [endpointId(1)], onRemoval: 'leave' }, { ids: [endpointId(1), endpointId(2)] }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(decisions('leave')).toEqual([expect.objectContaining({ endpointId: endpointId(2), reason: 'removed from the list; onRemoval is leave' })]);
  });

  test('does not reject a removed ID that another approval of the service lists', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2, { state: 'available' })]);
    stored.set(`${SERVICE}|${STACK_ID}/Renamed`, { serviceId: SERVICE, listed: [endpointId(2)], rejectUnlisted: false });
    await run(cfnEvent('Update', { ids: [endpointId(1)], onRemoval: 'reject' }, { ids: [endpointId(1), endpointId(2)] }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('a new service ID gives a new physical ID, so the old approval is deleted by CloudFormation', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    const result = await run(cfnEvent('Update', { ids: [endpointId(1)], serviceId: OTHER_SERVICE, onRemoval: 'reject' }, { ids: [endpointId(9)] }));
    expect(result).toEqual({ PhysicalResourceId: `${OTHER_SERVICE}/Approval` });
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
  });
});

describe('delete', () => {
  test('with onRemoval leave, makes no EC2 call and removes the stored list', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    stored.set(`${SERVICE}|${STACK_ID}/Approval`, { serviceId: SERVICE, listed: [endpointId(1)], rejectUnlisted: false });
    const result = await run(cfnEvent('Delete', { ids: [endpointId(1)] }));

    expect(result).toEqual({ PhysicalResourceId: `${SERVICE}/Approval` });
    expect(ec2.stub.calls()).toHaveLength(0);
    expect(stored.size).toBe(0);
  });

  test('with onRemoval reject, rejects the listed connections that are still active', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2, { state: 'deleted' }), pending(4)]);
    await run(cfnEvent('Delete', { ids: [endpointId(1), endpointId(2), endpointId(3)], onRemoval: 'reject' }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(1)]]);
    expect(ec2.state(endpointId(4))).toBe('pendingAcceptance');
  });

  test('never fails because a connection is already gone when Reject runs', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(() => {
      ec2.add(pending(1, { state: 'deleted' }));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'gone' } }] };
    });
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }))).resolves.toBeDefined();
  });

  test('fails when Reject leaves a connection active', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    ec2.stub.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'UnauthorizedOperation', Message: 'denied' } }],
    });
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }))).rejects.toThrow(`${endpointId(1)}: UnauthorizedOperation`);
  });

  test('succeeds when the service itself is gone', async () => {
    ec2 = new FakeEc2([]);
    ec2.stub.rejects(Object.assign(new Error('no such service'), { name: 'InvalidVpcEndpointServiceId.NotFound' }));
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }))).resolves.toBeDefined();
  });
});

describe('late arrivals', () => {
  function notification(message: string): SNSEvent {
    return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn', Sns: { Message: message } as any }] };
  }
  const message = (id: string, service = SERVICE) => JSON.stringify({ serviceId: service, endpointId: id, endpointState: 'pendingAcceptance', notificationType: 'Connect' });

  beforeEach(() => {
    stored.set(`${SERVICE}|${STACK_ID}/Approval`, { serviceId: SERVICE, listed: [endpointId(1), endpointId(2)], allowedOwners: [CONSUMER], rejectUnlisted: false });
  });

  test('accepts a listed endpoint that connects after the deployment', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2)]);
    await run(notification(message(endpointId(2))));

    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.describeCalls()[0].Filters).toEqual([
      { Name: 'service-id', Values: [SERVICE] },
      { Name: 'vpc-endpoint-id', Values: [endpointId(2)] },
    ]);
    expect(decisions()).toEqual([expect.objectContaining({ trigger: 'Notification', endpointId: endpointId(2), action: 'accept' })]);
  });

  test('leaves an unlisted endpoint, and one of a stranger, pending', async () => {
    ec2 = new FakeEc2([pending(3), pending(2, { owner: STRANGER })]);
    await run(notification(message(endpointId(3))));
    await run(notification(message(endpointId(2))));

    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.state(endpointId(3))).toBe('pendingAcceptance');
    expect(ec2.state(endpointId(2))).toBe('pendingAcceptance');
  });

  test('ignores a notification for a service with no stored approval, without calling EC2', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    await run(notification(message(endpointId(1), OTHER_SERVICE)));
    expect(ec2.stub.calls()).toHaveLength(0);
  });

  test('decides from EC2, not from the message: a message claiming a pending listed ID of another service accepts nothing', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    await run(notification(message(endpointId(1))));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });
});
