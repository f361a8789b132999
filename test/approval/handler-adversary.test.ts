import { DescribeStackEventsCommand, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointConnectionsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { requestEvent } from './cloudformation-simulator';
import { APPROVAL_TYPE, ApprovalSpec, OTHER_SERVICE, SERVICE, STACK_ID, eventProperties, templateProperties } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { CONSUMER, Harness, STRANGER, connectMessage, notification, pending } from './handler-harness';
import { generationId } from '../../lambda/approval/generation';
import { parseProperties } from '../../lambda/approval/properties';

// Adversarial review of the "trusts only CloudFormation" handler, as regression tests. FIXED: the
// attack, or the failure halfway, worked against the first version and is now refused; DEFEATED:
// it never worked; OPEN (test.failing): it still works, see README.
let h: Harness;
afterEach(() => h?.restore());

const LISTED = endpointId(1);
const SECOND = endpointId(2);
const UNLISTED = endpointId(7);
const LATE = endpointId(8);

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });

/** Plays the first half of an update by hand: the stack's and the approval's UPDATE_IN_PROGRESS, the new template. */
function startUpdate(spec: ApprovalSpec, logicalId = 'Approval') {
  const before = h.simulator.deployed.get(logicalId)!;
  h.cfn.phase('UPDATE_IN_PROGRESS');
  h.cfn.setApprovals({ [logicalId]: spec });
  h.cfn.resourceEvent(logicalId, 'UPDATE_IN_PROGRESS', before.physicalId);
  return { before, event: requestEvent('Update', logicalId, spec, before) };
}

describe('replays and stack events', () => {
  test('FIXED: a replay of a genuine Update, after CloudFormation finished it, is carried out again later in the same update', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED] });
    // An update that turns on rejectUnlisted; CloudFormation updates the approval first, then other resources.
    const { before, event } = startUpdate({ ids: [LISTED], rejectUnlisted: true });
    const response = await h.run(event) as { PhysicalResourceId: string };
    h.cfn.resourceEvent('Approval', 'UPDATE_COMPLETE', response.PhysicalResourceId);
    h.cfn.physicalIds.set('Approval', response.PhysicalResourceId);
    // Minutes later, still UPDATE_IN_PROGRESS (a slow resource): a new consumer asks to connect,
    // and whoever may invoke the function replays the logged-looking Update.
    h.ec2.add(pending(8));
    await expect(h.run(requestEvent('Update', 'Approval', { ids: [LISTED], rejectUnlisted: true }, before)))
      .rejects.toThrow('not carrying it out');
    // The update then fails and rolls back to a template without rejectUnlisted: the rejection was never asked for.
    expect(h.ec2.state(LATE)).toBe('pendingAcceptance');
  });

  test('FIXED: stack events that lag behind DescribeStacks at the start of the cleanup make the genuine Delete fail, and the rejection is skipped', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [LISTED, SECOND], onRemoval: 'reject' });
    const outcome = await h.simulator.deploy({ Approval: { ids: [LISTED], onRemoval: 'reject' } }, {
      beforeCleanup: () => {
        // DescribeStacks already says UPDATE_COMPLETE_CLEANUP_IN_PROGRESS; for two seconds
        // DescribeStackEvents does not yet show the cleanup's stack event nor the DELETE_IN_PROGRESS.
        const visibleFrom = h.clock + 2_000;
        const hidden = 2;
        h.cfn.stub.on(DescribeStackEventsCommand).callsFake(input => {
          const events = h.clock < visibleFrom ? h.cfn.events.slice(hidden) : h.cfn.events;
          const start = Number(input.NextToken ?? 0);
          return { StackEvents: events.slice(start, start + 4), NextToken: start + 4 < events.length ? String(start + 4) : undefined };
        });
      },
    });
    expect(outcome.status).toBe('UPDATE_COMPLETE');
    expect(outcome.requests.find(r => r.type === 'Delete')?.error).toBeUndefined();
    expect(h.ec2.state(SECOND)).toBe('rejected');
  });

  test('FIXED: DescribeStacks that lags behind at the start of a rollback makes the put-back Update fail (UPDATE_ROLLBACK_FAILED)', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED] });
    const old = h.simulator.deployed.get('Approval')!;
    // The update of the approval fails (SECOND has no connection request).
    const { event } = startUpdate({ ids: [LISTED, SECOND] });
    await expect(h.run(event)).rejects.toThrow('no connection request');
    h.cfn.resourceEvent('Approval', 'UPDATE_FAILED', old.physicalId);
    // The rollback starts: its stack event is written, DescribeStacks and GetTemplate still answer as before.
    h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
    h.cfn.status = 'UPDATE_IN_PROGRESS';
    h.cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', old.physicalId);
    const putBack = requestEvent('Update', 'Approval', { ids: [LISTED] }, { physicalId: old.physicalId, spec: { ids: [LISTED, SECOND] } });
    await expect(h.run(putBack)).resolves.toEqual({ PhysicalResourceId: old.physicalId });
  });

  test('DEFEATED: a nested stack\'s events (type AWS::CloudFormation::Stack, another physical ID) do not end the current phase', async () => {
    h = new Harness([pending(1)]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.setApprovals({ Approval: { ids: [LISTED] } });
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    h.cfn.resourceEvent('Nested', 'CREATE_IN_PROGRESS', STACK_ID.replace('Provider', 'Provider-Nested'), 'AWS::CloudFormation::Stack');
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [LISTED] }))).resolves.toBeDefined();
    expect(h.accepted()).toEqual([[LISTED]]);
  });

  test('DEFEATED: DescribeStackEvents throttled on a later page fails the request before any change', async () => {
    h = new Harness([pending(1), pending(7)]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.setApprovals({ Approval: { ids: [LISTED], rejectUnlisted: true } });
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    for (let i = 0; i < 10; i++) h.cfn.resourceEvent(`Other${i}`, 'CREATE_COMPLETE', `p${i}`, 'AWS::SQS::Queue');
    h.cfn.stub.on(DescribeStackEventsCommand, { NextToken: '4' }).rejects(throttled());
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [LISTED], rejectUnlisted: true }))).rejects.toThrow('Rate exceeded');
    expect(h.accepted()).toEqual([]);
    expect(h.rejected()).toEqual([]);
  });
});

describe('which template GetTemplate returns (undocumented)', () => {
  test('FIXED: GetTemplate that still returns the previous template in the cleanup makes the Delete succeed without rejecting', async () => {
    h = new Harness([pending(1), pending(2)]);
    const old: ApprovalSpec = { ids: [LISTED, SECOND], onRemoval: 'reject' };
    await h.deploy(old);
    const outcome = await h.simulator.deploy({ Approval: { ids: [LISTED], onRemoval: 'reject' } }, {
      beforeCleanup: () => h.cfn.setApprovals({ Approval: old }),
    });
    // Either the removed ID is rejected, or the Delete fails visibly; never a silent success.
    const failed = outcome.requests.find(r => r.type === 'Delete')?.error !== undefined;
    expect(failed || h.ec2.state(SECOND) === 'rejected').toBe(true);
  });

  test('DEFEATED: GetTemplate that returns the previous template during the update fails the Update, changing nothing', async () => {
    h = new Harness([pending(1), pending(7)]);
    await h.deploy({ ids: [LISTED] });
    h.ec2.resetHistory();
    const { event } = startUpdate({ ids: [LISTED, UNLISTED], rejectUnlisted: true });
    h.cfn.setApprovals({ Approval: { ids: [LISTED] } });
    await expect(h.run(event)).rejects.toThrow('are not the ones the stack\'s template holds');
    expect(h.accepted()).toEqual([]);
    expect(h.rejected()).toEqual([]);
  });

  test('DEFEATED: a YAML template (no transform) fails closed on both paths', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], acceptOnArrival: true });
    h.ec2.resetHistory();
    h.cfn.stub.on(GetTemplateCommand).resolves({ TemplateBody: `Resources:\n  Approval:\n    Type: ${APPROVAL_TYPE}\n` });
    h.ec2.add(pending(1));
    await expect(h.run(notification(connectMessage(LISTED)))).rejects.toThrow('not a JSON object');
    h.cfn.phase('UPDATE_IN_PROGRESS');
    h.cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', h.simulator.deployed.get('Approval')!.physicalId);
    await expect(h.run(requestEvent('Update', 'Approval', { ids: [LISTED], acceptOnArrival: true, waitSeconds: 1 }, h.simulator.deployed.get('Approval')!)))
      .rejects.toThrow('not a JSON object');
    expect(h.accepted()).toEqual([]);
  });

  test('FIXED (undocumented): if DescribeStacks\' ResolvedValue follows a later SSM write, the late-arrival path accepts the written ID', async () => {
    h = new Harness([pending(1)]);
    h.cfn.template = { Parameters: { Ids: { Type: 'AWS::SSM::Parameter::Value<List<String>>' } }, Resources: {} };
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: '/approved/ids', ResolvedValue: LISTED }];
    // The template refers to the parameter; CloudFormation resolved it when it deployed.
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { ...h.cfn.template, Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: { Ref: 'Ids' } as any, acceptOnArrival: true }) } } };
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    const response = await h.run(requestEvent('Create', 'Approval', { ids: [LISTED], acceptOnArrival: true })) as { PhysicalResourceId: string };
    h.cfn.resourceEvent('Approval', 'CREATE_COMPLETE', response.PhysicalResourceId);
    h.cfn.physicalIds.set('Approval', response.PhysicalResourceId);
    h.cfn.phase('CREATE_COMPLETE');
    // Someone who may ssm:PutParameter writes the parameter; no deployment follows.
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: '/approved/ids', ResolvedValue: `${LISTED},${UNLISTED}` }];
    h.ec2.add(pending(7));
    // An approval that no longer binds at rest is a failed run (its connections are not enforced meanwhile).
    await expect(h.run(notification(connectMessage(UNLISTED)))).rejects.toThrow(/Cannot enforce the approval Approval/);
    // What CloudFormation deployed (and the physical ID binds) lists only LISTED.
    expect(h.ec2.state(UNLISTED)).toBe('pendingAcceptance');
  });
});

describe('late arrivals before CloudFormation carried the approval out', () => {
  test('FIXED (low): during CREATE_IN_PROGRESS the late-arrival path accepts for an approval whose Create CloudFormation then has refused', async () => {
    h = new Harness([]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    // Two approvals of one service: CloudFormation's Create of either one is refused, and the stack rolls back.
    h.cfn.setApprovals({ A: { ids: [LISTED], acceptOnArrival: true }, B: { ids: [SECOND], rejectUnlisted: true } });
    h.ec2.add(pending(1));
    await h.run(notification(connectMessage(LISTED)));
    h.cfn.resourceEvent('A', 'CREATE_IN_PROGRESS');
    await expect(h.run(requestEvent('Create', 'A', { ids: [LISTED], acceptOnArrival: true }))).rejects.toThrow('more than one connection approval');
    // No approval that CloudFormation created ever listed LISTED; the stack ends ROLLBACK_COMPLETE with LISTED accepted.
    expect(h.ec2.state(LISTED)).toBe('pendingAcceptance');
  });
});

describe('failures halfway', () => {
  test('FIXED: another approval whose service is created later in the same deployment fails this approval\'s Create', async () => {
    h = new Harness([pending(1)]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { Resources: { ServiceB: { Type: 'AWS::EC2::VPCEndpointService', Properties: {} } } };
    h.cfn.setApprovals({ A: { ids: [LISTED] }, B: { ids: [SECOND], serviceId: { Ref: 'ServiceB' } } });
    // CloudFormation creates A first: A does not depend on ServiceB, which has no physical ID yet.
    h.cfn.resourceEvent('A', 'CREATE_IN_PROGRESS');
    await expect(h.run(requestEvent('Create', 'A', { ids: [LISTED] }))).resolves.toBeDefined();
    expect(h.accepted()).toEqual([[LISTED]]);
  });

  test('FIXED: a rollback fails when DescribeStacks is throttled, although the put-back can be recognised from its own physical ID', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED] });
    const old = h.simulator.deployed.get('Approval')!;
    h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
    h.cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', old.physicalId);
    h.cfn.describeStacksError = throttled();
    const putBack = requestEvent('Update', 'Approval', { ids: [LISTED] }, { physicalId: old.physicalId, spec: { ids: [LISTED, SECOND] } });
    await expect(h.run(putBack)).resolves.toEqual({ PhysicalResourceId: old.physicalId });
  });

  // Open: a Delete cannot tell a rollback from a forward cleanup without the stack's status; the SDK retries throttling 8 times.
  test.failing('OPEN: a create rollback fails (ROLLBACK_FAILED) when DescribeStacks stays throttled during the Delete', async () => {
    h = new Harness([pending(1)]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.setApprovals({ Approval: { ids: [LISTED], onRemoval: 'reject' } });
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    const response = await h.run(requestEvent('Create', 'Approval', { ids: [LISTED], onRemoval: 'reject' })) as { PhysicalResourceId: string };
    h.cfn.resourceEvent('Approval', 'CREATE_COMPLETE', response.PhysicalResourceId);
    h.cfn.phase('ROLLBACK_IN_PROGRESS');
    h.cfn.resourceEvent('Approval', 'DELETE_IN_PROGRESS', response.PhysicalResourceId);
    h.cfn.describeStacksError = throttled();
    const deletion = requestEvent('Delete', 'Approval', { ids: [LISTED], onRemoval: 'reject' }, { physicalId: response.PhysicalResourceId, spec: { ids: [] } });
    await expect(h.run(deletion)).resolves.toBeDefined();
  });

  test('DEFEATED: a cleanup rejection that EC2 throttles beyond the SDK\'s retries is tried again, and the removed ID is rejected', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [LISTED, SECOND], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand)
      .rejectsOnce(Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' }))
      .callsFake(input => h.ec2.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available'], 'rejected'));
    const start = h.clock;
    const update = await h.simulator.deploy({ Approval: { ids: [LISTED], onRemoval: 'reject' } });
    expect(update.requests.map(r => r.error)).toEqual([undefined, undefined]);
    expect(h.ec2.state(SECOND)).toBe('rejected');
    expect(h.clock - start).toBeGreaterThanOrEqual(15_000);
    expect((await h.simulator.deleteStack()).status).toBe('DELETE_COMPLETE');
    expect(h.ec2.state(LISTED)).toBe('rejected');
  });

  test('DEFEATED: a Create whose RequestId holds slashes still gives a physical ID that binds its properties', async () => {
    const properties = parseProperties(eventProperties({ ids: [LISTED], onRemoval: 'reject' }));
    const id = generationId(STACK_ID, 'Approval', 'a/b/c', properties);
    expect(id.split('/')).toHaveLength(3);
  });
});

describe('forged invocations', () => {
  test('DEFEATED: a forged Delete during a real stack deletion, with the real physical ID and a chosen list, rejects only what the template lists', async () => {
    h = new Harness([pending(1), pending(7, { state: 'available' })]);
    await h.deploy({ ids: [LISTED], onRemoval: 'reject' });
    const generation = h.simulator.deployed.get('Approval')!;
    h.cfn.phase('DELETE_IN_PROGRESS');
    h.cfn.resourceEvent('Approval', 'DELETE_IN_PROGRESS', generation.physicalId);
    await h.run(requestEvent('Delete', 'Approval', { ids: [LISTED, UNLISTED], onRemoval: 'reject' }, generation));
    expect(h.ec2.state(UNLISTED)).toBe('available');
    expect(h.rejected()).toEqual([[LISTED]]);
  });

  test('DEFEATED: a replay of the genuine Update, during it, with forged OldResourceProperties rejects nothing more', async () => {
    h = new Harness([pending(1), pending(7, { state: 'available' })]);
    await h.deploy({ ids: [LISTED], onRemoval: 'reject' });
    const { before } = startUpdate({ ids: [LISTED], onRemoval: 'reject', waitSeconds: 1 });
    const forged = requestEvent('Update', 'Approval', { ids: [LISTED], onRemoval: 'reject', waitSeconds: 1 }, { physicalId: before.physicalId, spec: { ids: [LISTED, UNLISTED] } });
    await h.run(forged);
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(UNLISTED)).toBe('available');
  });

  test('DEFEATED: a forged Create for a new logical ID during a real update, with the template\'s properties of another approval, is refused', async () => {
    h = new Harness([pending(1), pending(7)]);
    await h.deploy({ ids: [LISTED], rejectUnlisted: true });
    h.ec2.resetHistory();
    startUpdate({ ids: [LISTED], rejectUnlisted: true, waitSeconds: 1 });
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [LISTED], rejectUnlisted: true, waitSeconds: 1 }))).rejects.toThrow('not carrying it out');
    await expect(h.run(requestEvent('Create', 'Forged', { ids: [LISTED], rejectUnlisted: true, waitSeconds: 1 }))).rejects.toThrow('not carrying it out');
    expect(h.rejected()).toEqual([]);
  });

  test('DEFEATED: a forged cleanup-time Update is refused', async () => {
    h = new Harness([pending(1), pending(7)]);
    await h.deploy({ ids: [LISTED] });
    h.ec2.resetHistory();
    await h.simulator.deploy({ Approval: { ids: [LISTED], rejectUnlisted: true, waitSeconds: 1 } }, {
      beforeCleanup: async () => {
        const current = h.simulator.deployed.get('Approval')!;
        h.cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', current.physicalId);
        await expect(h.run(requestEvent('Update', 'Approval', { ids: [LISTED, UNLISTED] }, current))).rejects.toThrow('not carrying it out');
      },
    });
    expect(h.ec2.state(UNLISTED)).toBe('rejected'); // by the genuine Update, which the template asks for
    expect(h.accepted()).toEqual([]);
  });

  test('DEFEATED: a forged notification (invoked directly) naming unlisted IDs, another service, or a spoofed owner accepts nothing', async () => {
    h = new Harness([]);
    await h.deploy({ ids: [LISTED], owners: [CONSUMER], acceptOnArrival: true });
    h.ec2.add(pending(1, { owner: STRANGER }));
    h.ec2.add(pending(7));
    h.ec2.add(pending(9, { serviceId: OTHER_SERVICE }));
    h.ec2.resetHistory();
    await h.run(notification(connectMessage(UNLISTED), connectMessage(endpointId(9), OTHER_SERVICE),
      JSON.stringify({ serviceId: SERVICE, endpointId: LISTED, owner: CONSUMER })));
    expect(h.accepted()).toEqual([]);
  });

  test('DEFEATED: an export with a chosen name is read only when the template imports that name', async () => {
    h = new Harness([pending(1), pending(7)]);
    h.cfn.exports.set('Consumer-EndpointId', LISTED);
    h.cfn.exports.set('Consumer-EndpointId-2', UNLISTED);
    h.cfn.exports.set('consumer-endpointid', UNLISTED);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: [{ 'Fn::ImportValue': 'Consumer-EndpointId' }], acceptOnArrival: true }) } } };
    // Deployed: the physical ID was issued for the resolved properties.
    h.cfn.physicalIds.set('Approval', generationId(STACK_ID, 'Approval', 'n', parseProperties(eventProperties({ ids: [LISTED], acceptOnArrival: true }))));
    h.cfn.phase('CREATE_COMPLETE');
    await h.run(notification(connectMessage(UNLISTED), connectMessage(LISTED)));
    expect(h.accepted()).toEqual([[LISTED]]);
  });

  test('DEFEATED: a NoEcho parameter (DescribeStacks answers ****) fails closed on both paths', async () => {
    h = new Harness([pending(1)]);
    h.cfn.template = { Parameters: { Ids: { Type: 'CommaDelimitedList' } }, Resources: {} };
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: '****' }];
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { ...h.cfn.template, Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: { Ref: 'Ids' } as any, acceptOnArrival: true }) } } };
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [LISTED], acceptOnArrival: true }))).rejects.toThrow('Cannot confirm');
    await h.run(notification(connectMessage(LISTED)));
    expect(h.accepted()).toEqual([]);
  });

  test('DEFEATED: a CommaDelimitedList parameter with spaces and an empty item is not read as more or other IDs', async () => {
    h = new Harness([pending(1), pending(7)]);
    h.cfn.template = { Parameters: { Ids: { Type: 'CommaDelimitedList' } }, Resources: {} };
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: ` ${LISTED} ,, ${UNLISTED}` }];
    h.cfn.phase('CREATE_COMPLETE');
    h.cfn.template = { ...h.cfn.template, Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: { Ref: 'Ids' } as any, acceptOnArrival: true }) } } };
    await expect(h.run(notification(connectMessage(UNLISTED), connectMessage(LISTED)))).rejects.toThrow(/Cannot enforce the approval Approval/);
    expect(h.accepted()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'approvalUnreadable', logicalId: 'Approval' }));
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'runFailed', serviceId: 'vpce-svc-0123456789abcdef0' }));
  });
});

describe('bounded work', () => {
  test('DEFEATED (amplification): one forged notification during a stack update holds the function at most 2 minutes and reads the stack a dozen times', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], acceptOnArrival: true });
    h.cfn.phase('UPDATE_IN_PROGRESS');
    h.cfn.stub.resetHistory();
    const start = h.clock;
    await h.run(notification(connectMessage(LISTED))).catch(() => undefined);
    const calls = h.cfn.stub.commandCalls(DescribeStacksCommand).length;
    // A message the principal may send at will costs a bounded amount: MAX_SETTLE_WAIT_MS, one read per 10 s poll.
    expect({ calls: calls <= 14, seconds: (h.clock - start) / 1000 <= 120 }).toEqual({ calls: true, seconds: true });
  });

  test('DEFEATED: a 200 KB notification naming 20,000 endpoint IDs reads the service\'s own connections once, not 20,000 IDs', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], acceptOnArrival: true });
    h.ec2.resetHistory();
    const ids = Array.from({ length: 20_000 }, (_, i) => endpointId(1_000 + i));
    await h.run(notification(JSON.stringify({ serviceId: SERVICE, endpointIds: [...ids, LISTED] })));
    const describes = h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand);
    expect(describes).toHaveLength(1);
    expect(describes[0].args[0].input.Filters).toEqual([{ Name: 'service-id', Values: [SERVICE] }]);
  });

  test('DEFEATED: while the stack is being deployed, the same message reads only the listed ID (late arrivals only)', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], acceptOnArrival: true });
    h.cfn.phase('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    h.ec2.resetHistory();
    const ids = Array.from({ length: 20_000 }, (_, i) => endpointId(1_000 + i));
    await h.run(notification(JSON.stringify({ serviceId: SERVICE, endpointIds: [...ids, LISTED] })));
    const describes = h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand);
    expect(describes).toHaveLength(1);
    expect(describes[0].args[0].input.Filters).toContainEqual({ Name: 'vpc-endpoint-id', Values: [LISTED] });
  });
});

describe('WaitSeconds is read as CloudFormation writes a number', () => {
  test.each(['1e3', '0x10', ' 60', '', '+60', '6e1', '0b11', '60.5', '-1', 'NaN'])('%j is refused', text => {
    expect(() => parseProperties({ ...eventProperties({ ids: [LISTED] }), WaitSeconds: text }))
      .toThrow(`Invalid WaitSeconds '${text}'`);
  });

  test.each([['0', 0], ['60', 60], [900, 900]])('%j is %d seconds', (value, seconds) => {
    expect(parseProperties({ ...eventProperties({ ids: [LISTED] }), WaitSeconds: value }).waitSeconds).toBe(seconds);
  });
});
