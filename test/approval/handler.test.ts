import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AttributeValue, DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { AcceptVpcEndpointConnectionsCommand, DescribeVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent, SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeEc2, endpointId } from './fake-ec2';
import { Dependencies } from '../../lambda/approval/approve';
import { Connection } from '../../lambda/approval/decide';
import { PERMISSION_RETRY_DELAYS_MS } from '../../lambda/approval/ec2';
import { handle } from '../../lambda/approval/index';
import { ApprovalStore, Generation } from '../../lambda/approval/store';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const OTHER_SERVICE = 'vpce-svc-0fedcba9876543210';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Provider/guid';
const APPROVAL_ID = `${STACK_ID}/Approval`;
const CONSUMER = '222222222222';
const STRANGER = '333333333333';

const ddb = mockClient(DynamoDBClient);
const cfn = mockClient(CloudFormationClient);
let ec2: FakeEc2;
let clock: number;
let logged: Array<Record<string, unknown>>;
let items: Map<string, Record<string, AttributeValue>>;
let stackStatus: string;
let requests = 0;

function deps(): Dependencies {
  return {
    ec2: new EC2Client({ region: 'eu-west-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
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
  acceptOnArrival?: boolean;
  serviceId?: string;
}

function properties(props: Props): any {
  // CloudFormation hands every scalar to the function as a string.
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework',
    ServiceId: props.serviceId ?? SERVICE,
    EndpointIds: props.ids,
    ...(props.owners ? { AllowedOwners: props.owners } : {}),
    RejectUnlisted: String(props.rejectUnlisted ?? false),
    OnRemoval: props.onRemoval ?? 'leave',
    WaitSeconds: String(props.waitSeconds ?? 0),
    AcceptOnArrival: String(props.acceptOnArrival ?? false),
  };
}

interface EventOptions {
  old?: Props;
  physicalId?: string;
  logicalId?: string;
  requestId?: string;
}

function cfnEvent(type: 'Create' | 'Update' | 'Delete', props: Props, options: EventOptions = {}): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'token',
    ResponseURL: 'https://example.invalid',
    StackId: STACK_ID,
    RequestId: options.requestId ?? `request-${++requests}`,
    LogicalResourceId: options.logicalId ?? 'Approval',
    ResourceType: 'Custom::VpcEndpointConnectionApproval',
    ResourceProperties: properties(props),
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  const PhysicalResourceId = options.physicalId ?? 'unknown';
  if (type === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId, OldResourceProperties: properties(options.old!) };
  return { ...common, RequestType: 'Delete', PhysicalResourceId };
}

async function run(event: CloudFormationCustomResourceEvent | SNSEvent, remainingMs = 900_000): Promise<string | undefined> {
  const response = await handle(event, deps(), () => remainingMs);
  return response ? response.PhysicalResourceId : undefined;
}

/** Creates the approval as CloudFormation would and returns its physical ID. */
async function create(props: Props): Promise<string> {
  stackStatus = 'CREATE_IN_PROGRESS';
  return (await run(cfnEvent('Create', props)))!;
}

function decisions(action?: string) {
  return logged.filter(l => l.event === 'decision' && (!action || l.action === action));
}

function storedGeneration(serviceId = SERVICE, approvalId = APPROVAL_ID): { current?: Generation; previous?: Generation; expiresAt?: string } {
  const item = items.get(`${serviceId}|${approvalId}`);
  if (!item) return {};
  return {
    current: JSON.parse(item.Current.S!),
    previous: item.Previous ? JSON.parse(item.Previous.S!) : undefined,
    expiresAt: item.ExpiresAt?.N,
  };
}

/** Puts an approval into the store as an earlier, successful run would have left it. */
function seed(props: Props, physicalId: string, logicalId = 'Approval'): void {
  const serviceId = props.serviceId ?? SERVICE;
  const current: Generation = {
    physicalId,
    policy: { serviceId, listed: props.ids, allowedOwners: props.owners, rejectUnlisted: props.rejectUnlisted ?? false },
    onRemoval: props.onRemoval ?? 'leave',
    acceptOnArrival: props.acceptOnArrival ?? false,
  };
  items.set(`${serviceId}|${STACK_ID}/${logicalId}`, {
    ServiceId: { S: serviceId }, ApprovalId: { S: `${STACK_ID}/${logicalId}` }, Current: { S: JSON.stringify(current) },
  });
}

beforeEach(() => {
  clock = 1_000_000_000;
  logged = [];
  items = new Map();
  stackStatus = 'UPDATE_IN_PROGRESS';
  jest.spyOn(console, 'info').mockImplementation((entry: Record<string, unknown>) => { logged.push(entry); });
  ddb.reset();
  ddb.on(PutItemCommand).callsFake(input => { items.set(`${input.Item.ServiceId.S}|${input.Item.ApprovalId.S}`, input.Item); return {}; });
  ddb.on(DeleteItemCommand).callsFake(input => { items.delete(`${input.Key.ServiceId.S}|${input.Key.ApprovalId.S}`); return {}; });
  ddb.on(QueryCommand).callsFake(input => {
    const service = input.ExpressionAttributeValues[':service'].S;
    return { Items: [...items].filter(([key]) => key.startsWith(`${service}|`)).map(([, item]) => item) };
  });
  cfn.reset();
  cfn.on(DescribeStacksCommand).callsFake(() => ({ Stacks: [{ StackName: 'Provider', StackStatus: stackStatus, CreationTime: new Date(0) }] }));
});

afterEach(() => {
  ec2?.restore();
  jest.restoreAllMocks();
});

describe('create', () => {
  test('accepts exactly the listed pending connections, in one call, and leaves the rest pending', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3)]);
    const physicalId = await create({ ids: [endpointId(1), endpointId(3)] });

    expect(physicalId).toMatch(new RegExp(`^${SERVICE}/request-\\d+$`));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1), endpointId(3)]]);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.state(endpointId(2))).toBe('pendingAcceptance');
    expect(ec2.describeCalls()[0].Filters).toEqual([{ Name: 'service-id', Values: [SERVICE] }]);
  });

  test('logs one JSON decision per listed ID and per unlisted pending request', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    await create({ ids: [endpointId(1)] });

    expect(decisions()).toEqual([
      expect.objectContaining({ serviceId: SERVICE, trigger: 'Create', endpointId: endpointId(1), action: 'accept', reason: 'listed and pending acceptance' }),
      expect.objectContaining({ endpointId: endpointId(2), action: 'leave', reason: 'not listed' }),
    ]);
    for (const line of decisions()) expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  test('reads every page of a service with many connections', async () => {
    ec2 = new FakeEc2(Array.from({ length: 2500 }, (_, i) => pending(i)));
    await create({ ids: [endpointId(2499), endpointId(7)] });

    const pages = ec2.describeCalls();
    expect(pages.map(p => p.NextToken)).toEqual([undefined, '1000', '2000']);
    expect(pages.every(p => p.MaxResults === 1000)).toBe(true);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(2499), endpointId(7)]]);
  });

  test('accepts more than 1,000 IDs in batches of 1,000', async () => {
    ec2 = new FakeEc2(Array.from({ length: 1500 }, (_, i) => pending(i)));
    await create({ ids: Array.from({ length: 1500 }, (_, i) => endpointId(i)) });
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand).map(batch => batch.length)).toEqual([1000, 500]);
    expect([...ec2.connections.values()].every(c => c.state === 'available')).toBe(true);
  });

  test('stores the list before reading EC2, unconfirmed until the run succeeds', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const atDescribe: Array<string | undefined> = [];
    ec2.beforeDescribe = () => atDescribe.push(storedGeneration().expiresAt);
    const physicalId = await create({ ids: [endpointId(1)], owners: [CONSUMER] });

    expect(atDescribe).toEqual([String(clock / 1000 + 16 * 60)]);
    expect(storedGeneration()).toEqual({
      current: {
        physicalId,
        policy: { serviceId: SERVICE, listed: [endpointId(1)], allowedOwners: [CONSUMER], rejectUnlisted: false },
        onRemoval: 'leave',
        acceptOnArrival: false,
      },
      previous: undefined,
      expiresAt: undefined,
    });
  });

  test('removes the stored list when the run fails', async () => {
    ec2 = new FakeEc2([]);
    await expect(create({ ids: [endpointId(9)] })).rejects.toThrow();
    expect(items.size).toBe(0);
  });

  test('fails on every Unsuccessful entry of Accept, naming the IDs and codes, and then rejects nothing', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3)]);
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: endpointId(2), Error: { Code: 'InvalidState', Message: 'busy' } }],
    });
    const promise = create({ ids: [endpointId(1), endpointId(2)], rejectUnlisted: true });

    await expect(promise).rejects.toThrow(`${endpointId(2)}: InvalidState (busy)`);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(items.size).toBe(0);
  });

  test('an Unsuccessful entry for a connection that the late-arrival path accepted meanwhile is no failure', async () => {
    ec2 = new FakeEc2([pending(1)]);
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(() => {
      ec2.add(pending(1, { state: 'available' }));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidState', Message: 'already accepted' } }] };
    });
    await expect(create({ ids: [endpointId(1)] })).resolves.toBeDefined();
  });

  test('retries Accept while IAM has not yet allowed it', async () => {
    ec2 = new FakeEc2([pending(1)]);
    let refusals = 2;
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(input => {
      if (refusals-- > 0) throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
      ec2.add(pending(1, { state: 'available' }));
      return { Unsuccessful: [], input };
    });
    const start = clock;
    await create({ ids: [endpointId(1)] });
    expect(ec2.state(endpointId(1))).toBe('available');
    expect(clock - start).toBe(PERMISSION_RETRY_DELAYS_MS[0] + PERMISSION_RETRY_DELAYS_MS[1]);
  });

  test.each(['rejected', 'expired', 'deleted', 'failed', 'deleting'])('fails for a listed connection that is %s, naming ID, state and service', async state => {
    ec2 = new FakeEc2([pending(1), pending(2, { state })]);
    const promise = create({ ids: [endpointId(1), endpointId(2)] });

    await expect(promise).rejects.toThrow(new RegExp(`${SERVICE}.*${endpointId(2)} \\(state ${state}\\)`));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('fails for a listed ID with no connection request, naming it and the service', async () => {
    ec2 = new FakeEc2([pending(1)]);
    await expect(create({ ids: [endpointId(1), endpointId(5)] }))
      .rejects.toThrow(`${SERVICE}: no connection request to this service from ${endpointId(5)} (state: not found)`);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('never accepts a listed ID whose connection belongs to another service, even if the API returns it', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    ec2.ignoreFilters = true;
    await expect(create({ ids: [endpointId(1)] })).rejects.toThrow('not found');
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.state(endpointId(1))).toBe('pendingAcceptance');
  });

  test('with an owner allowlist, fails for a listed endpoint of another account and accepts nothing', async () => {
    ec2 = new FakeEc2([pending(1), pending(2, { owner: STRANGER })]);
    await expect(create({ ids: [endpointId(1), endpointId(2)], owners: [CONSUMER] }))
      .rejects.toThrow(`owner ${STRANGER} is not an allowed owner`);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('with an owner allowlist, accepts listed endpoints of allowed accounts', async () => {
    ec2 = new FakeEc2([pending(1), pending(2, { owner: STRANGER })]);
    await create({ ids: [endpointId(1)], owners: [CONSUMER] });
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1)]]);
  });

  test('rejectUnlisted rejects unlisted pending requests only', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3, { state: 'available' }), pending(4, { serviceId: OTHER_SERVICE })]);
    await create({ ids: [endpointId(1)], rejectUnlisted: true });

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.state(endpointId(1))).toBe('available');
    expect(ec2.state(endpointId(3))).toBe('available');
    expect(ec2.state(endpointId(4))).toBe('pendingAcceptance');
  });

  test('fails with clear messages when resolved properties are bad', async () => {
    ec2 = new FakeEc2([]);
    await expect(create({ ids: ['vpce-ABC'] })).rejects.toThrow("Invalid VPC endpoint ID 'vpce-ABC'");
    await expect(create({ ids: [endpointId(1), endpointId(1)] })).rejects.toThrow('more than once');
    await expect(create({ ids: [], owners: ['12'] })).rejects.toThrow("Invalid allowed owner '12'");
    expect(ec2.describeCalls()).toEqual([]);
  });
});

describe('listed endpoints that have not connected', () => {
  test('a deployment that waits accepts an endpoint that connects meanwhile', async () => {
    ec2 = new FakeEc2([pending(1)]);
    let polls = 0;
    const base = deps();
    await handle(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)], waitSeconds: 60 }), {
      ...base,
      sleep: async ms => { polls++; if (polls === 2) ec2.add(pending(2)); await base.sleep(ms); },
    }, () => 900_000);

    expect(polls).toBe(2);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(1), endpointId(2)]]);
    expect(logged.filter(l => l.event === 'waiting')).toHaveLength(2);
  });

  test('the wait ends in a failure, without accepting anything', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const start = clock;
    await expect(create({ ids: [endpointId(1), endpointId(2)], waitSeconds: 30 })).rejects.toThrow(`${endpointId(2)} (state: not found)`);
    expect(clock - start).toBe(30_000);
    expect(ec2.describeCalls()).toHaveLength(4);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('never waits past the time Lambda has left', async () => {
    ec2 = new FakeEc2([]);
    const start = clock;
    await expect(run(cfnEvent('Create', { ids: [endpointId(2)], waitSeconds: 600 }), 150_000)).rejects.toThrow('not found');
    expect(clock - start).toBe(30_000);
  });

  test('with acceptOnArrival, the deployment succeeds and the endpoint is accepted when it connects', async () => {
    ec2 = new FakeEc2([pending(1)]);
    await create({ ids: [endpointId(1), endpointId(2)], acceptOnArrival: true });
    expect(ec2.state(endpointId(1))).toBe('available');
    expect(logged).toContainEqual(expect.objectContaining({ event: 'awaitingArrival', missing: [endpointId(2)] }));

    ec2.add(pending(2));
    await run(notification(connectMessage(endpointId(2))));
    expect(ec2.state(endpointId(2))).toBe('available');
  });
});

describe('update', () => {
  test('rerunning with accepted IDs calls neither Accept nor Reject, and gives a new physical ID', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    const props = { ids: [endpointId(1)], onRemoval: 'reject' as const };
    const first = await create(props);
    ec2.resetHistory();
    const second = await run(cfnEvent('Update', props, { old: props, physicalId: first }));

    expect(second).not.toBe(first);
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(decisions('none')).toEqual([expect.objectContaining({ endpointId: endpointId(1), reason: 'listed and already accepted' })]);

    // CloudFormation then deletes the replaced generation: nothing was removed, nothing is rejected.
    stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', props, { physicalId: first }));
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(storedGeneration().current?.physicalId).toBe(second);
  });

  test('accepts added IDs at once and rejects removed ones only when CloudFormation deletes the replaced generation', async () => {
    ec2 = new FakeEc2([pending(1), pending(2), pending(3)]);
    const v1 = { ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' as const };
    const v2 = { ids: [endpointId(1), endpointId(3)], onRemoval: 'reject' as const };
    const first = await create(v1);
    const second = await run(cfnEvent('Update', v2, { old: v1, physicalId: first }));
    expect(ec2.state(endpointId(3))).toBe('available');
    expect(ec2.state(endpointId(2))).toBe('available');
    expect(decisions('leave')).toContainEqual(expect.objectContaining({ endpointId: endpointId(2), reason: 'removed from the list; onRemoval is reject: rejected when CloudFormation cleans up after the update' }));

    stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', v1, { physicalId: first }));
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.state(endpointId(1))).toBe('available');
    expect(storedGeneration().current?.physicalId).toBe(second);
    expect(storedGeneration().previous).toBeUndefined();
  });

  test('leaves removed IDs with onRemoval leave', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    const v1 = { ids: [endpointId(1), endpointId(2)] };
    const first = await create(v1);
    await run(cfnEvent('Update', { ids: [endpointId(1)] }, { old: v1, physicalId: first }));
    stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', v1, { physicalId: first }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(decisions('leave')).toContainEqual(expect.objectContaining({ endpointId: endpointId(2), reason: 'removed from the list; onRemoval is leave' }));
  });

  test('a failed update puts the previous generation back', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const first = await create({ ids: [endpointId(1)] });
    const before = items.get(`${SERVICE}|${APPROVAL_ID}`);
    await expect(run(cfnEvent('Update', { ids: [endpointId(1), endpointId(9)] }, { old: { ids: [endpointId(1)] }, physicalId: first }))).rejects.toThrow(endpointId(9));
    expect(items.get(`${SERVICE}|${APPROVAL_ID}`)).toEqual(before);
  });

  test('moving to another service leaves the old one to the delete of the old generation', async () => {
    ec2 = new FakeEc2([pending(1), pending(5, { serviceId: OTHER_SERVICE })]);
    const v1 = { ids: [endpointId(1)], onRemoval: 'reject' as const };
    const v2 = { ids: [endpointId(5)], serviceId: OTHER_SERVICE, onRemoval: 'reject' as const };
    const first = await create(v1);
    const second = await run(cfnEvent('Update', v2, { old: v1, physicalId: first }));
    expect(second).toMatch(new RegExp(`^${OTHER_SERVICE}/`));
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);

    stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', v1, { physicalId: first }));
    expect(ec2.state(endpointId(1))).toBe('rejected');
    expect(ec2.state(endpointId(5))).toBe('available');
    expect(storedGeneration().current).toBeUndefined();
    expect(storedGeneration(OTHER_SERVICE).current?.physicalId).toBe(second);
  });
});

describe('rollbacks never reject and never get stuck', () => {
  test('an update that removed an ID is rolled back: nothing is rejected and the old list is stored again', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    const v1 = { ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' as const };
    const v2 = { ids: [endpointId(1)], onRemoval: 'reject' as const };
    const first = await create(v1);
    const second = await run(cfnEvent('Update', v2, { old: v1, physicalId: first }));

    stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', v2, { physicalId: second }));
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(storedGeneration().current?.physicalId).toBe(first);
    expect(storedGeneration().current?.policy.listed).toEqual(v1.ids);
  });

  test('an update that added an ID is rolled back: the added endpoint is not rejected', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    const v1 = { ids: [endpointId(1)], onRemoval: 'reject' as const };
    const v2 = { ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' as const };
    const first = await create(v1);
    const second = await run(cfnEvent('Update', v2, { old: v1, physicalId: first }));
    stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', v2, { physicalId: second }));

    expect(ec2.state(endpointId(2))).toBe('available');
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('a create that is rolled back rejects nothing and forgets the list', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const props = { ids: [endpointId(1)], onRemoval: 'reject' as const };
    const physicalId = await create(props);
    stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    await run(cfnEvent('Delete', props, { physicalId }));

    expect(ec2.state(endpointId(1))).toBe('available');
    expect(items.size).toBe(0);
  });

  test('a rollback update succeeds even when a listed endpoint is gone, keeps the physical ID and stores the old list', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'deleted' }), pending(2)]);
    seed({ ids: [endpointId(1), endpointId(2), endpointId(3)] }, `${SERVICE}/p1`);
    stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    const v1 = { ids: [endpointId(1), endpointId(2)], rejectUnlisted: true };
    const result = await run(cfnEvent('Update', v1, { old: { ids: [endpointId(3)] }, physicalId: `${SERVICE}/p1` }));

    expect(result).toBe(`${SERVICE}/p1`);
    expect(ec2.state(endpointId(2))).toBe('available');
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(storedGeneration().current?.policy.listed).toEqual(v1.ids);
  });

  test('a rollback update never fails: not on Unsuccessful accepts, throttling, or unreadable old properties', async () => {
    ec2 = new FakeEc2([pending(1)]);
    stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    ec2.stub.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidState', Message: 'x' } }] });
    await expect(run(cfnEvent('Update', { ids: [endpointId(1)] }, { old: { ids: [] }, physicalId: `${SERVICE}/p1` }))).resolves.toBe(`${SERVICE}/p1`);
    ec2.stub.on(DescribeVpcEndpointConnectionsCommand).rejects(Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' }));
    await expect(run(cfnEvent('Update', { ids: [endpointId(1)] }, { old: { ids: [] }, physicalId: `${SERVICE}/p1` }))).resolves.toBe(`${SERVICE}/p1`);
    await expect(run(cfnEvent('Update', { ids: ['vpce-BAD'] }, { old: { ids: [] }, physicalId: `${SERVICE}/p1` }))).resolves.toBe(`${SERVICE}/p1`);
    expect(logged.filter(l => l.event === 'rollbackIncomplete')).toHaveLength(3);
  });

  test('an update fails, changing nothing, when the stack status cannot be read', async () => {
    ec2 = new FakeEc2([pending(1)]);
    seed({ ids: [] }, `${SERVICE}/p1`);
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(run(cfnEvent('Update', { ids: [endpointId(1)] }, { old: { ids: [] }, physicalId: `${SERVICE}/p1` })))
      .rejects.toThrow('Cannot read the status of the stack');
    expect(ec2.state(endpointId(1))).toBe('pendingAcceptance');
    expect(storedGeneration().current?.physicalId).toBe(`${SERVICE}/p1`);
  });

  test('a delete that would reject fails, rejecting nothing, when the stack status cannot be read', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` })))
      .rejects.toThrow('were not rejected');
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('a run that CloudFormation cancelled while it waited changes nothing', async () => {
    ec2 = new FakeEc2([pending(1)]);
    const base = deps();
    const promise = handle(cfnEvent('Create', { ids: [endpointId(1), endpointId(2)], waitSeconds: 60 }), {
      ...base,
      sleep: async ms => { ec2.add(pending(2)); stackStatus = 'ROLLBACK_IN_PROGRESS'; await base.sleep(ms); },
    }, () => 900_000);

    await expect(promise).rejects.toThrow('no longer going forward (rollback)');
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
    expect(items.size).toBe(0);
  });

  test('a retried update (same request ID) keeps the generation it replaced', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    const v1 = { ids: [endpointId(1)] };
    const v2 = { ids: [endpointId(1), endpointId(2)] };
    const first = await create(v1);
    const update = cfnEvent('Update', v2, { old: v1, physicalId: first, requestId: 'retried' });
    const second = await run(update);
    expect(await run(update)).toBe(second);
    expect(storedGeneration().previous?.physicalId).toBe(first);
  });
});

describe('delete', () => {
  beforeEach(() => { stackStatus = 'DELETE_IN_PROGRESS'; });

  test('rejects nothing when the store has no list for the approval', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    await run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` }));
    expect(ec2.stub.calls()).toHaveLength(0);
  });

  test('with onRemoval leave, makes no EC2 call and removes the stored list', async () => {
    ec2 = new FakeEc2([pending(1)]);
    stackStatus = 'CREATE_IN_PROGRESS';
    const physicalId = (await run(cfnEvent('Create', { ids: [endpointId(1)] })))!;
    ec2.resetHistory();
    stackStatus = 'DELETE_IN_PROGRESS';
    const result = await run(cfnEvent('Delete', { ids: [endpointId(1)] }, { physicalId }));

    expect(result).toBe(physicalId);
    expect(ec2.stub.calls()).toHaveLength(0);
    expect(items.size).toBe(0);
    expect(ec2.state(endpointId(1))).toBe('available');
  });

  test('with onRemoval reject, rejects the listed connections that are still active', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2, { state: 'deleted' }), pending(4)]);
    seed({ ids: [endpointId(1), endpointId(2), endpointId(3)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    await run(cfnEvent('Delete', { ids: [endpointId(1), endpointId(2), endpointId(3)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(1)]]);
    expect(ec2.state(endpointId(4))).toBe('pendingAcceptance');
  });

  test('does not reject an ID that another approval of the service in the stack lists (a rename)', async () => {
    ec2 = new FakeEc2([pending(1), pending(2)]);
    seed({ ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' }, `${SERVICE}/old`);
    stackStatus = 'UPDATE_IN_PROGRESS';
    await run(cfnEvent('Create', { ids: [endpointId(2)] }, { logicalId: 'Renamed' }));
    stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    await run(cfnEvent('Delete', { ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/old` }));

    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([[endpointId(1)]]);
    expect(ec2.state(endpointId(2))).toBe('available');
  });

  test('never fails because a connection is already gone when Reject runs', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(() => {
      ec2.add(pending(1, { state: 'deleted' }));
      return { Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'gone' } }] };
    });
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` }))).resolves.toBeDefined();
  });

  test('fails when Reject leaves a connection active', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    ec2.stub.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: endpointId(1), Error: { Code: 'UnauthorizedOperation', Message: 'denied' } }],
    });
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` })))
      .rejects.toThrow(`${endpointId(1)}: UnauthorizedOperation`);
  });

  test('fails on an Unsuccessful entry that names no endpoint', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' })]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    ec2.stub.on(RejectVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [{ Error: { Code: 'InternalError', Message: 'oops' } }] });
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` })))
      .rejects.toThrow('(no resource ID): InternalError');
  });

  test('succeeds when the service is gone (no connections are listed for it)', async () => {
    ec2 = new FakeEc2([]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` }))).resolves.toBeDefined();
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('succeeds when EC2 answers that the service is not found', async () => {
    ec2 = new FakeEc2([]);
    seed({ ids: [endpointId(1)], onRemoval: 'reject' }, `${SERVICE}/p1`);
    ec2.stub.rejects(Object.assign(new Error('no such service'), { name: 'InvalidVpcEndpointServiceId.NotFound' }));
    await expect(run(cfnEvent('Delete', { ids: [endpointId(1)], onRemoval: 'reject' }, { physicalId: `${SERVICE}/p1` }))).resolves.toBeDefined();
  });
});

function notification(message: string): SNSEvent {
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn', Sns: { Message: message } as any }] };
}

function connectMessage(id: string, service = SERVICE): string {
  return JSON.stringify({ serviceId: service, endpointId: id, endpointState: 'pendingAcceptance', notificationType: 'Connect' });
}

describe('late arrivals', () => {
  beforeEach(async () => {
    ec2 = new FakeEc2([]);
    await create({ ids: [endpointId(1), endpointId(2)], owners: [CONSUMER], acceptOnArrival: true, rejectUnlisted: true });
    ec2.restore();
  });

  test('accepts a listed endpoint that connects after the deployment', async () => {
    ec2 = new FakeEc2([pending(1, { state: 'available' }), pending(2)]);
    await run(notification(connectMessage(endpointId(2))));

    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([[endpointId(2)]]);
    expect(ec2.describeCalls()[0].Filters).toEqual([
      { Name: 'service-id', Values: [SERVICE] },
      { Name: 'vpc-endpoint-id', Values: [endpointId(2)] },
    ]);
    expect(decisions()).toContainEqual(expect.objectContaining({ trigger: 'Notification', endpointId: endpointId(2), action: 'accept' }));
  });

  test('never rejects a new unlisted endpoint, even with rejectUnlisted: its ID may not be handed over yet', async () => {
    ec2 = new FakeEc2([pending(3)]);
    await run(notification(connectMessage(endpointId(3))));
    await run(notification(JSON.stringify({ serviceId: SERVICE })));
    expect(ec2.calls(RejectVpcEndpointConnectionsCommand)).toEqual([]);
    expect(decisions('reject')).toEqual([]);
    expect(ec2.state(endpointId(3))).toBe('pendingAcceptance');
  });

  test('leaves a listed endpoint of a stranger pending', async () => {
    ec2 = new FakeEc2([pending(2, { owner: STRANGER })]);
    await run(notification(connectMessage(endpointId(2))));
    expect(ec2.state(endpointId(2))).toBe('pendingAcceptance');
  });

  test('ignores a service whose approval does not accept late arrivals, or that has none, without calling EC2', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    await run(notification(connectMessage(endpointId(1), OTHER_SERVICE)));
    expect(ec2.stub.calls()).toHaveLength(0);
  });

  test('ignores a stored list that was never confirmed and has expired', async () => {
    ec2 = new FakeEc2([pending(2)]);
    const item = items.get(`${SERVICE}|${APPROVAL_ID}`)!;
    items.set(`${SERVICE}|${APPROVAL_ID}`, { ...item, ExpiresAt: { N: String(clock / 1000 - 1) } });
    await run(notification(connectMessage(endpointId(2))));
    expect(ec2.stub.calls()).toHaveLength(0);
  });

  test('decides from EC2, not from the message: a message about a pending listed ID of another service accepts nothing', async () => {
    ec2 = new FakeEc2([pending(1, { serviceId: OTHER_SERVICE })]);
    await run(notification(connectMessage(endpointId(1))));
    expect(ec2.calls(AcceptVpcEndpointConnectionsCommand)).toEqual([]);
  });

  test('logs a message that names no endpoint service and does nothing', async () => {
    ec2 = new FakeEc2([pending(2)]);
    await run(notification('something else'));
    expect(ec2.stub.calls()).toHaveLength(0);
    expect(logged).toContainEqual(expect.objectContaining({ event: 'ignored' }));
  });
});
