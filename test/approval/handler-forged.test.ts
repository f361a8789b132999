import { DescribeVpcEndpointConnectionsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { requestEvent } from './cloudformation-simulator';
import { OTHER_SERVICE, SERVICE, STACK_ID, eventProperties } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { Harness, connectMessage, notification, pending } from './handler-harness';
import { generationId } from '../../lambda/approval/generation';
import { parseProperties } from '../../lambda/approval/properties';

// Each test is a finding of the review of the handler that kept a DynamoDB copy of the lists:
// a principal of the account that may invoke the function, or a failure halfway.
let h: Harness;
afterEach(() => h.restore());

const LISTED = endpointId(1);
const UNLISTED = endpointId(7);

async function deployed(spec = { ids: [LISTED], onRemoval: 'reject' as const }) {
  h = new Harness([pending(1), pending(7)]);
  await h.deploy(spec);
  h.ec2.resetHistory();
  return h.simulator.deployed.get('Approval')!;
}

function expectNoChange() {
  expect(h.accepted()).toEqual([]);
  expect(h.rejected()).toEqual([]);
  expect(h.ec2.state(UNLISTED)).toBe('pendingAcceptance');
}

describe('forged invocations are refused (finding 1)', () => {
  test('a made-up Create while the stack is at rest', async () => {
    await deployed();
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [UNLISTED] }))).rejects.toThrow('CloudFormation is not carrying it out');
    await expect(h.run(requestEvent('Create', 'Forged', { ids: [UNLISTED] }))).rejects.toThrow('CloudFormation is not carrying it out');
    expectNoChange();
  });

  test('a made-up Update with the real physical ID while the stack is UPDATE_COMPLETE', async () => {
    const generation = await deployed();
    await h.deploy({ ids: [LISTED], onRemoval: 'reject', waitSeconds: 1 } as any);
    h.ec2.resetHistory();
    expect(h.cfn.status).toBe('UPDATE_COMPLETE');
    const current = h.simulator.deployed.get('Approval')!;
    for (const before of [generation, current]) {
      await expect(h.run(requestEvent('Update', 'Approval', { ids: [LISTED, UNLISTED] }, before))).rejects.toThrow('not carrying it out');
    }
    expectNoChange();
  });

  test('a made-up Delete with REJECT and the real physical ID, at rest', async () => {
    const generation = await deployed();
    await expect(h.run(requestEvent('Delete', 'Approval', generation.spec, generation))).rejects.toThrow('not carrying it out');
    expect(h.ec2.state(LISTED)).toBe('available');
    expectNoChange();
  });

  test('a Create for another stack, or for a resource of another type, changes nothing', async () => {
    await deployed();
    h.cfn.phase('UPDATE_IN_PROGRESS');
    const other = requestEvent('Create', 'Approval', { ids: [UNLISTED] }, undefined, STACK_ID.replace('Provider', 'Other'));
    await expect(h.run(other)).rejects.toThrow('acts only for its own stack');
    await expect(h.run({ ...requestEvent('Create', 'Approval', { ids: [UNLISTED] }), ResourceType: 'Custom::Other' })).rejects.toThrow('expected Custom::VpcEndpointConnectionApproval');
    expectNoChange();
  });

  test('a Create sent while CloudFormation really creates the resource, with properties the template does not hold', async () => {
    h = new Harness([pending(1), pending(7)]);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.setApprovals({ Approval: { ids: [LISTED] } });
    h.cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    for (const spec of [{ ids: [LISTED, UNLISTED] }, { ids: [LISTED], owners: ['222222222222'], rejectUnlisted: true }]) {
      await expect(h.run(requestEvent('Create', 'Approval', spec))).rejects.toThrow('are not the ones the stack\'s template holds');
    }
    expectNoChange();
    // The genuine request goes through.
    await expect(h.run(requestEvent('Create', 'Approval', { ids: [LISTED] }))).resolves.toBeDefined();
    expect(h.accepted()).toEqual([[LISTED]]);
  });

  test('during a real cleanup, a Delete of a made-up generation, or of a real one with other properties, rejects nothing', async () => {
    const generation = await deployed({ ids: [LISTED], onRemoval: 'reject' });
    await h.simulator.deploy({ Approval: { ids: [LISTED, endpointId(2)], onRemoval: 'reject', acceptOnArrival: true } }, {
      beforeCleanup: async () => {
        const made = parseProperties(eventProperties({ ids: [UNLISTED], onRemoval: 'reject' }));
        const forgedId = generationId(STACK_ID, 'Approval', 'nonce', made);
        const forgedRun = h.run(requestEvent('Delete', 'Approval', { ids: [UNLISTED], onRemoval: 'reject' }, { physicalId: forgedId, spec: { ids: [] } }));
        // CloudFormation starts deleting the real old generation; the forger sends its own Delete first.
        h.cfn.resourceEvent('Approval', 'DELETE_IN_PROGRESS', generation.physicalId);
        const tampered = h.run(requestEvent('Delete', 'Approval', { ids: [LISTED, UNLISTED], onRemoval: 'reject' }, generation));
        await expect(forgedRun).rejects.toThrow('not carrying it out');
        await expect(tampered).rejects.toThrow('do not match its physical ID');
      },
    });
    expectNoChange();
  });

  test('a forged Update during a rollback changes nothing and a replay after it is refused (finding 4)', async () => {
    const generation = await deployed({ ids: [LISTED], onRemoval: 'reject' });
    h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
    await expect(h.run(requestEvent('Update', 'Approval', { ids: [UNLISTED] }, generation))).resolves.toEqual({ PhysicalResourceId: generation.physicalId });
    h.cfn.phase('UPDATE_ROLLBACK_COMPLETE');
    await expect(h.run(requestEvent('Update', 'Approval', { ids: [UNLISTED] }, generation))).rejects.toThrow('not carrying it out');
    h.ec2.add(pending(7));
    await h.run(notification(connectMessage(UNLISTED)));
    expectNoChange();
  });
});

describe('no second source of truth (findings 2 and 3)', () => {
  test('a rename with REJECT whose cleanup rejection fails: a later Connect of the dropped ID is not accepted', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.simulator.deploy({ Old: { ids: [endpointId(1), endpointId(3)], onRemoval: 'reject', acceptOnArrival: true } });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));
    h.ec2.add(pending(3));
    const outcome = await h.simulator.deploy({ New: { ids: [endpointId(1)], onRemoval: 'reject', acceptOnArrival: true } });
    expect(outcome.requests.find(r => r.type === 'Delete')?.error).toContain('Rate exceeded');
    expect(outcome.status).toBe('UPDATE_COMPLETE');

    await h.run(notification(connectMessage(endpointId(3))));
    expect(h.ec2.state(endpointId(3))).toBe('pendingAcceptance');
    expect(h.accepted()).toEqual([[endpointId(1)]]);
  });

  test('deleting the stack after a failed cleanup still rejects every listed ID that can carry traffic', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));
    await h.simulator.deploy({ Approval: { ids: [endpointId(1)], onRemoval: 'reject' } });
    expect(h.ec2.state(endpointId(2))).toBe('available');
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(input => h.ec2.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available'], 'rejected'));
    const outcome = await h.simulator.deleteStack();
    expect(outcome.status).toBe('DELETE_COMPLETE');
    expect(h.ec2.state(endpointId(1))).toBe('rejected');
  });

  test('a stack deletion with REJECT rejects the listed IDs whatever the handler ran before (it keeps no state)', async () => {
    h = new Harness([pending(1), pending(2)]);
    h.cfn.phase('CREATE_COMPLETE');
    h.cfn.setApprovals({ Approval: { ids: [endpointId(1), endpointId(2)], onRemoval: 'reject' } });
    h.ec2.add(pending(1, { state: 'available' }));
    h.cfn.phase('DELETE_IN_PROGRESS');
    h.cfn.resourceEvent('Approval', 'DELETE_IN_PROGRESS', 'vpce-svc-0123456789abcdef0/written-by-an-earlier-version');
    await h.run(requestEvent('Delete', 'Approval', { ids: [] }, { physicalId: 'vpce-svc-0123456789abcdef0/written-by-an-earlier-version', spec: { ids: [] } }));
    expect(h.rejected()).toEqual([[endpointId(1), endpointId(2)]]);
  });
});

describe('approvals of one service (finding 6) and bounded work (finding 8)', () => {
  test('two approvals of one service in the template fail the deployment, naming both', async () => {
    h = new Harness([pending(1), pending(2), pending(7)]);
    const outcome = await h.simulator.deploy({ First: { ids: [endpointId(1)] }, Second: { ids: [endpointId(2)], rejectUnlisted: true } });
    expect(outcome.requests[0].error).toMatch(/more than one connection approval.*First, Second/);
    expectNoChange();
  });

  test('two tokens that resolve to the same service are found too', async () => {
    h = new Harness([pending(1), pending(2)]);
    h.cfn.template = { Parameters: { ServiceParameter: { Type: 'String' } }, Resources: {} };
    h.cfn.parameters = [{ ParameterKey: 'ServiceParameter', ParameterValue: SERVICE }];
    const outcome = await h.simulator.deploy({ First: { ids: [endpointId(1)] }, Second: { ids: [endpointId(2)], serviceId: { Ref: 'ServiceParameter' } } });
    expect(outcome.requests[0].error).toMatch(/more than one connection approval/);
  });

  test('a notification naming 5,000 services reads only the services this stack approves', async () => {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.simulator.deploy({ A: { ids: [LISTED], acceptOnArrival: true }, B: { ids: [endpointId(9)], serviceId: OTHER_SERVICE } });
    h.ec2.resetHistory();
    h.cfn.stub.resetHistory();
    h.ec2.add(pending(1));
    const services = Array.from({ length: 5000 }, (_, i) => `vpce-svc-${i.toString(16).padStart(17, '0')}`);
    await h.run(notification(JSON.stringify({ services: [...services, SERVICE, OTHER_SERVICE], endpointId: LISTED })));
    // One read per approved service (A for its late arrival and enforcement, B for enforcement), none for the 5,000 others.
    const reads = h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).map(call => call.args[0].input.Filters?.[0].Values);
    expect(reads).toEqual([[SERVICE], [OTHER_SERVICE]]);
    // One more DescribeStacks just before the accept: no deployment began meanwhile.
    expect(h.cfn.callCounts()).toEqual({ DescribeStacks: 2, GetTemplate: 1, ListStackResources: 1 });
  });
});
