import { DnsHarness, NAME_TYPE, nameProps, verificationProps } from './dns-harness';
import { boundId } from '../../lambda/approval/generation';
import { OTHER_SERVICE, SERVICE, STACK_ID } from '../approval/fake-cloudformation';

const OTHER_STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Other/9f8e7d6c-guid';

let h: DnsHarness;
beforeEach(() => {
  h = new DnsHarness();
  h.ec2.services.set(OTHER_SERVICE, {});
});
afterEach(() => h.restore());

/** Creates the name `name` in a new stack (with a verification resource when `waitSeconds` is given); returns the physical ID. */
async function created(name = 'api.example.com', waitSeconds?: number): Promise<string> {
  h.template(name, waitSeconds === undefined ? undefined : { waitSeconds });
  const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps(name)));
  h.cfn.phase('CREATE_COMPLETE');
  return response.PhysicalResourceId;
}

/** Every write the handler sent to EC2: Modify inputs and Start calls. */
function writes(): unknown[] {
  return [...h.ec2.modifications(), ...Array(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification ?? 0).fill('start')];
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** A second name resource of the template, `logicalId`, with its own service (`serviceRef`) and name. */
function addNameResource(logicalId: string, serviceRef: string, name: string): void {
  const resources = { ...h.cfn.template.Resources };
  resources[serviceRef] ??= { Type: 'AWS::EC2::VPCEndpointService', Properties: {} };
  resources[logicalId] = { Type: NAME_TYPE, Properties: { ServiceToken: 'arn', ServiceId: { Ref: serviceRef }, PrivateDnsName: name } };
  h.cfn.template = { ...h.cfn.template, Resources: resources };
}

describe('attack 1: forged completion checks only read', () => {
  /** A completion check as anyone may send it: any Data, any properties. */
  function check(data: Record<string, unknown>, props: Record<string, unknown> = verificationProps('api.example.com', 600), requestType = 'Create') {
    return { ...h.event(requestType as 'Create', 'Verification', props, 'vpce-svc-x/1/2'), Data: data };
  }

  const WAIT_UNTILS: unknown[] = [1, 0, -1, '1e999', 'Infinity', 'NaN', 'abc', '', null, {}, [], [5], Number.MAX_SAFE_INTEGER, '0x7fffffff'];

  test.each(WAIT_UNTILS.map(w => [JSON.stringify(w), w]))('VerificationWaitUntil %s: no write to EC2, no CloudFormation call', async (_, waitUntil) => {
    await created();
    const before = writes().length;
    for (const requestType of ['Create', 'Update', 'Delete']) {
      for (const props of [verificationProps('api.example.com', 600), { ...verificationProps('evil.example.com', 3300), ServiceId: OTHER_SERVICE },
        { ...verificationProps('api.example.com'), WaitSeconds: '999999' }, {}]) {
        await h.run(check({ VerificationWaitUntil: waitUntil, VerificationState: 'verified' }, props, requestType)).catch(() => undefined);
      }
    }
    expect(writes().length).toBe(before);
    expect(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification).toBeUndefined();
    // The checks read nothing of CloudFormation: what they answer decides nothing but the framework's wait.
    const cfnBefore = h.cfn.callCounts();
    await h.run(check({ VerificationWaitUntil: waitUntil })).catch(() => undefined);
    expect(h.cfn.callCounts()).toEqual(cfnBefore);
  });

  test('a forged Data cannot make a check complete for a name the service does not have verified', async () => {
    await created('api.example.com');
    h.ec2.services.get(SERVICE)!.state = 'verified';
    const future = h.clock + 60_000;
    expect(await h.run(check({ VerificationWaitUntil: String(future), VerificationState: 'verified' }, verificationProps('evil.example.com', 600))))
      .toEqual({ IsComplete: false });
    await expect(h.run(check({ VerificationWaitUntil: String(h.clock) }, verificationProps('evil.example.com', 600))))
      .rejects.toThrow(/evil\.example\.com of endpoint service vpce-svc-0123456789abcdef0 is still verified after the wait/);
    // A service that does not exist: an error that names it, not a completion.
    await expect(h.run(check({ VerificationWaitUntil: String(future) }, { ...verificationProps('api.example.com', 600), ServiceId: 'vpce-svc-00000000' })))
      .rejects.toThrow(/EC2 does not know endpoint service vpce-svc-00000000/);
  });

  test('a check with a Data field but the name\'s resource type is a request, refused without the stack\'s events', async () => {
    await created();
    const forged = { ...h.event('Update', 'Name', nameProps('evil.example.com'), 'p'), Data: { VerificationWaitUntil: 1 } };
    await expect(h.run(forged)).rejects.toThrow(/CloudFormation is not carrying it out/);
    expect(h.ec2.modifications()).toHaveLength(1);
  });

  test('the wait a verification answers with is the template\'s WaitSeconds, whatever the request claims', async () => {
    await created();
    h.template('api.example.com', { waitSeconds: 60 });
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 3300))))
      .rejects.toThrow(/are not the ones the stack's template holds/);
    expect(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification).toBeUndefined();
    const response = await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 60)));
    expect(response.Data.VerificationWaitUntil).toBe(h.clock + 60_000);
  });
});

describe('attack 2: deletes and rollbacks with physical IDs of other generations remove nothing they did not set', () => {
  const CRAFTED = [
    '',
    'p',
    `${SERVICE}`,
    `${SERVICE}/request-1`,
    `${SERVICE}/request-1/${'0'.repeat(64)}`,
    `${SERVICE}/request-1/${'0'.repeat(64)}/extra`,
    `${OTHER_SERVICE}/request-1/${'a'.repeat(64)}`,
    'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED',
    `${SERVICE}//`,
  ];

  test.each(CRAFTED)('a cleanup delete with the crafted physical ID %j is refused and leaves the name', async (physicalId) => {
    await created();
    await expect(h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId || 'x')))
      .rejects.toThrow(/Nothing was changed/);
    expect(h.ec2.modifications()).toHaveLength(1);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a physical ID bound in another stack, or for another logical ID, is not this generation\'s', async () => {
    await created();
    const text = JSON.stringify({ serviceId: SERVICE, privateDnsName: 'api.example.com' });
    const otherStack = boundId(OTHER_STACK_ID, 'Name', 'request-7', SERVICE, text);
    const otherLogical = boundId(STACK_ID, 'Name2', 'request-7', SERVICE, text);
    for (const physicalId of [otherStack, otherLogical]) {
      for (const phase of ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS']) {
        await expect(h.send(phase, h.event('Delete', 'Name', nameProps('api.example.com'), physicalId)))
          .rejects.toThrow(/its properties are not those its physical ID was issued for/);
      }
    }
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('the genuine physical ID with the properties of another service or name is refused', async () => {
    const physicalId = await created();
    h.ec2.services.get(OTHER_SERVICE)!.name = 'api.example.com';
    for (const props of [nameProps('api.example.com', OTHER_SERVICE), nameProps('web.example.com'), nameProps('API.example.com')]) {
      await expect(h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', props, physicalId))).rejects.toThrow(/Nothing was changed/);
    }
    expect(h.ec2.modifications()).toHaveLength(1);
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBe('api.example.com');
  });

  test('in the stack\'s deletion, a physical ID that is not bound is read from the template, never from the request', async () => {
    await created();
    h.ec2.services.get(OTHER_SERVICE)!.name = 'evil.example.com';
    await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('evil.example.com', OTHER_SERVICE), `${OTHER_SERVICE}/n/${'a'.repeat(64)}`));
    expect(h.ec2.modifications().slice(1)).toEqual([{ ServiceId: SERVICE, RemovePrivateDnsName: true }]);
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBe('evil.example.com');
  });

  test('a rollback update with the physical ID of the newer generation, while CloudFormation puts back the older one, is refused', async () => {
    const first = await created('api.example.com');
    h.template('web.example.com');
    const second = (await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('web.example.com'), first, nameProps('api.example.com'))))
      .PhysicalResourceId;
    h.template('api.example.com');
    h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
    h.cfn.resourceEvent('Name', 'UPDATE_IN_PROGRESS', first, NAME_TYPE);
    // The forger replays the newer generation's ID and properties: bound, but not what CloudFormation is updating.
    await expect(h.run(h.event('Update', 'Name', nameProps('web.example.com'), second, nameProps('api.example.com'))))
      .rejects.toThrow(/CloudFormation is not carrying it out/);
    expect(h.ec2.modifications()).toHaveLength(2);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('web.example.com');
  });

  test('a rollback\'s delete of the newer generation leaves the name it put back', async () => {
    const first = await created('api.example.com');
    h.template('web.example.com');
    const second = (await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('web.example.com'), first, nameProps('api.example.com'))))
      .PhysicalResourceId;
    h.template('api.example.com');
    await h.send('UPDATE_ROLLBACK_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com'), first, nameProps('web.example.com')));
    await h.send('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('web.example.com'), second));
    // Replayed: the delete of the older generation (with its bound ID) is not in progress.
    await expect(h.run(h.event('Delete', 'Name', nameProps('api.example.com'), first))).rejects.toThrow(/not carrying it out/);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });
});

describe('attack 3: WaitSeconds that is not a plain whole number of seconds', () => {
  const BAD = ['1e3', '0x10', ' 60', '60 ', '-1', '3301', '3601', 'NaN', '60.5', '', 'Infinity', '+60', '6e1', '0b11', 'true'];

  test.each(BAD)('WaitSeconds %j in the template and the request is refused before any call to EC2', async (wait) => {
    await created();
    h.template('api.example.com', { waitSeconds: 60 });
    (h.cfn.template.Resources!.Verification.Properties as Record<string, unknown>).WaitSeconds = wait;
    const before = h.ec2.stub.calls().length;
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', { ...verificationProps('api.example.com'), WaitSeconds: wait })))
      .rejects.toThrow(/Invalid WaitSeconds|are not the ones/);
    expect(h.ec2.stub.calls().length).toBe(before);
  });

  test.each(BAD)('WaitSeconds %j in the request only, against the template\'s 60, is refused', async (wait) => {
    await created();
    h.template('api.example.com', { waitSeconds: 60 });
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', { ...verificationProps('api.example.com'), WaitSeconds: wait })))
      .rejects.toThrow(/are not the ones the stack's template holds/);
    expect(writes()).toHaveLength(1);
  });

  test('a whole number, as a JSON number in the template and a string in the request, is accepted', async () => {
    await created();
    for (const wait of [0, 60, 3300]) {
      h.template('api.example.com', { waitSeconds: wait });
      const response = await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', wait)));
      expect(response.Data.VerificationWaitUntil).toBe(wait > 0 ? h.clock + wait * 1000 : 0);
    }
  });
});

describe('attack 4: other stacks and other resources', () => {
  test.each([
    OTHER_STACK_ID,
    STACK_ID.toUpperCase(),
    `${STACK_ID} `,
    STACK_ID.replace('eu-west-1', 'us-east-1'),
    undefined,
  ])('a request for stack %j is refused before any call', async (stackId) => {
    h.template('api.example.com');
    for (const requestType of ['Create', 'Update', 'Delete'] as const) {
      const event = { ...h.event(requestType, 'Name', nameProps('api.example.com'), requestType === 'Create' ? undefined : 'p'), StackId: stackId };
      await expect(h.send('CREATE_IN_PROGRESS', event as any)).rejects.toThrow('this handler acts only for its own stack');
    }
    expect(h.ec2.stub.calls()).toHaveLength(0);
  });

  test('the right properties with the logical ID of another resource in progress are refused', async () => {
    h.template('api.example.com', { waitSeconds: 0 });
    addNameResource('Name2', 'Other', 'web.example.com');
    h.cfn.physicalIds.set('Other', OTHER_SERVICE);
    for (const logicalId of ['Verification', 'Record', 'Service', 'Name2', 'Missing']) {
      const event = { ...h.event('Create', logicalId, nameProps('api.example.com')), ResourceType: NAME_TYPE };
      await expect(h.send('CREATE_IN_PROGRESS', event)).rejects.toThrow(/Nothing was changed/);
    }
    expect(writes()).toEqual([]);
  });

  test('in the stack\'s deletion, a delete of the name typed for another resource being deleted removes nothing', async () => {
    await created('api.example.com', 0);
    for (const logicalId of ['Verification', 'Record', 'Service']) {
      const event = { ...h.event('Delete', logicalId, nameProps('api.example.com'), 'p'), ResourceType: NAME_TYPE };
      await expect(h.send('DELETE_IN_PROGRESS', event)).rejects.toThrow(/has no Custom::VpcEndpointServicePrivateDnsName named/);
    }
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a second name resource of the stack on another service cannot be used to change the first one\'s service', async () => {
    await created('api.example.com');
    addNameResource('Name2', 'Other', 'web.example.com');
    h.cfn.physicalIds.set('Other', OTHER_SERVICE);
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Name2', nameProps('web.example.com', SERVICE)))).rejects.toThrow(/are not the ones/);
    await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Name2', nameProps('web.example.com', OTHER_SERVICE)));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBe('web.example.com');
  });

  test('a renamed resource (new logical ID, same service and name): the cleanup\'s delete of the old one leaves the name', async () => {
    const physicalId = await created('api.example.com');
    // The new template has the same name under another logical ID: created first (the service has the name already).
    h.template('api.example.com');
    const resources = { ...h.cfn.template.Resources };
    resources.Renamed = resources.Name;
    delete resources.Name;
    h.cfn.template = { Resources: resources };
    await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Renamed', nameProps('api.example.com')));
    h.cfn.physicalIds.set('Renamed', 'r');
    await h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    expect(h.ec2.modifications()).toHaveLength(1);
  });

  test('a rename that rolls back: the rollback\'s delete of the new logical ID leaves the name the old one holds', async () => {
    await created('api.example.com');
    h.cfn.physicalIds.set('Name', 'n');
    addNameResource('Renamed', 'Service', 'api.example.com');
    const renamed = (await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Renamed', nameProps('api.example.com')))).PhysicalResourceId;
    h.cfn.physicalIds.set('Renamed', renamed);
    await h.send('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Renamed', nameProps('api.example.com'), renamed));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('with every resource in the stack, the cleanup still removes the name from a service the template moved it off', async () => {
    const first = await created('api.example.com');
    h.cfn.physicalIds.set('Name', first);
    h.cfn.physicalIds.set('Service', OTHER_SERVICE);
    h.template('api.example.com');
    await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com', OTHER_SERVICE), first, nameProps('api.example.com')));
    await h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), first));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBe('api.example.com');
  });

  test('an update with equal properties (a new physical ID): the cleanup\'s delete of the old one leaves the name', async () => {
    const first = await created('api.example.com');
    h.cfn.physicalIds.set('Name', first);
    const second = await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com'), first, nameProps('api.example.com')));
    expect(second.PhysicalResourceId).not.toBe(first);
    h.cfn.physicalIds.set('Name', second.PhysicalResourceId);
    await h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), first));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    // The stack's deletion still removes it.
    await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), second.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('a failed stack create still removes its name in the rollback, with the template\'s own resource in it', async () => {
    h.template('api.example.com');
    h.cfn.physicalIds.set('Name', 'n');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    await h.send('ROLLBACK_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), response.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });
});

describe('attack 5: a failure halfway leaves no name the template does not say', () => {
  const throttled = () => named('RequestLimitExceeded', 'Request limit exceeded.');

  test('a create whose read-back fails after the name was set removes the name again, and says so', async () => {
    h.template('api.example.com');
    h.ec2.describeError = call => call === 2 ? throttled() : undefined;
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')))).rejects.toThrow(new RegExp(`api\\.example\\.com.*${SERVICE}`));
    // The provider framework answers the rollback's delete of a failed create itself: the handler never hears of it.
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
    expect(h.ec2.modifications()).toEqual([
      { ServiceId: SERVICE, PrivateDnsName: 'api.example.com' },
      { ServiceId: SERVICE, RemovePrivateDnsName: true },
    ]);
  });

  test('a create whose Modify was applied but answered with an error removes the name again', async () => {
    h.template('api.example.com');
    h.ec2.modifyErrorAfterApplying = named('InternalError', 'An internal error has occurred');
    const failure = h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    await expect(failure).rejects.toThrow(`Could not set the private DNS name api.example.com of endpoint service ${SERVICE}: InternalError`);
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('a create when EC2 never shows the name fails, removes it, and a retried create sets it again', async () => {
    h.template('api.example.com');
    let calls = 0;
    h.ec2.describeError = () => {
      calls++;
      // The service looks unchanged to every read after the first one, until the retry.
      if (calls > 1 && calls < 6) h.ec2.services.set(SERVICE, { ...h.ec2.services.get(SERVICE), recordName: undefined, recordValue: undefined });
      return undefined;
    };
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(/does not report it with its verification record/);
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
    h.ec2.describeError = undefined;
    await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a name that was set before the create is never removed when the create fails', async () => {
    h.ec2.services.set(SERVICE, { name: 'api.example.com', state: 'verified' });
    h.template('api.example.com');
    // The service has the name but EC2 reports no record yet: the read-back fails, nothing was set by the handler.
    h.ec2.describeError = call => call > 1 ? throttled() : undefined;
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')))).rejects.toThrow(new RegExp(SERVICE));
    expect(h.ec2.modifications()).toEqual([]);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('an update to another service that fails halfway removes the name there; the rollback keeps the old service\'s', async () => {
    const first = await created('api.example.com');
    h.cfn.physicalIds.set('Service', OTHER_SERVICE);
    h.template('api.example.com');
    h.ec2.describeError = call => call === 4 ? throttled() : undefined;
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com', OTHER_SERVICE), first, nameProps('api.example.com'))))
      .rejects.toThrow(new RegExp(OTHER_SERVICE));
    h.ec2.describeError = undefined;
    h.cfn.physicalIds.set('Service', SERVICE);
    h.template('api.example.com');
    const back = await h.send('UPDATE_ROLLBACK_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com'), first, nameProps('api.example.com', OTHER_SERVICE)));
    expect(back.PhysicalResourceId).toBe(first);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBeUndefined();
  });

  test('an update of the name that fails halfway: the rollback puts the previous name back', async () => {
    const first = await created('api.example.com');
    h.template('web.example.com');
    h.ec2.describeError = call => call === 4 ? throttled() : undefined;
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('web.example.com'), first, nameProps('api.example.com'))))
      .rejects.toThrow(/web\.example\.com/);
    h.ec2.describeError = undefined;
    h.template('api.example.com');
    await h.send('UPDATE_ROLLBACK_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com'), first, nameProps('web.example.com')));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('after a create that died between its Modify and the read-back, a retried create adopts the name and its rollback removes it', async () => {
    // The Lambda timed out: the name is set, CloudFormation got no physical ID and never sends the handler a delete.
    h.ec2.services.set(SERVICE, { name: 'api.example.com', state: 'pendingVerification', recordName: '_label', recordValue: 'vpce:value' });
    h.template('api.example.com');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    expect(h.ec2.modifications()).toEqual([]);
    await h.send('ROLLBACK_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), response.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('a delete whose removal was applied but answered with an error fails, naming both; its retry succeeds', async () => {
    const physicalId = await created();
    h.ec2.modifyErrorAfterApplying = named('InternalError', 'An internal error has occurred');
    await expect(h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId)))
      .rejects.toThrow(`Could not remove the private DNS name api.example.com of endpoint service ${SERVICE}: InternalError`);
    h.ec2.modifyErrorAfterApplying = undefined;
    await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
    expect(h.ec2.modifications()).toHaveLength(2);
  });

  test('a verification that fails halfway: the name\'s rollback delete still removes the name', async () => {
    h.template('api.example.com', { waitSeconds: 60 });
    const name = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    h.ec2.startError = named('InternalError', 'An internal error has occurred');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 60))))
      .rejects.toThrow(`Could not start the verification of api.example.com for endpoint service ${SERVICE}: InternalError`);
    await h.send('ROLLBACK_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), name.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('when removing the name again fails too, the error says the service may keep it and how to remove it', async () => {
    h.template('api.example.com');
    h.ec2.describeError = call => {
      if (call !== 2) return undefined;
      h.ec2.modifyError = named('UnauthorizedOperation', 'You are not authorized to perform this operation.');
      return throttled();
    };
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(new RegExp(`may still have the private DNS name api\\.example\\.com.*--service-id ${SERVICE} --remove-private-dns-name`));
    expect(h.ec2.modifications().filter(m => m.RemovePrivateDnsName).length).toBeGreaterThan(0);
  });
});

describe('attack 6: request types and phases, odd fields, properties and names', () => {
  const MISMATCHES: Array<[string, 'Create' | 'Update' | 'Delete']> = [
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'Create'], ['ROLLBACK_IN_PROGRESS', 'Create'], ['DELETE_IN_PROGRESS', 'Create'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Create'], ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'Create'],
    ['CREATE_IN_PROGRESS', 'Update'], ['DELETE_IN_PROGRESS', 'Update'], ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Update'],
    ['CREATE_IN_PROGRESS', 'Delete'], ['UPDATE_IN_PROGRESS', 'Delete'],
    ['REVIEW_IN_PROGRESS', 'Create'], ['IMPORT_IN_PROGRESS', 'Create'], ['UPDATE_ROLLBACK_FAILED', 'Update'], ['DELETE_FAILED', 'Delete'],
    ['CREATE_COMPLETE', 'Delete'], ['UPDATE_COMPLETE', 'Update'], ['UPDATE_ROLLBACK_COMPLETE', 'Delete'],
  ];

  test.each(MISMATCHES)('in %s, a %s is refused even with its in-progress event', async (phase, requestType) => {
    const physicalId = await created();
    h.template('web.example.com');
    const event = h.event(requestType, 'Name', nameProps(requestType === 'Delete' ? 'api.example.com' : 'web.example.com'),
      requestType === 'Create' ? undefined : physicalId);
    await expect(h.send(phase, event)).rejects.toThrow(/the stack is /);
    expect(h.ec2.modifications()).toHaveLength(1);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a delete in the stack\'s creation, when the resource is not being deleted, is refused', async () => {
    h.template('api.example.com');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    h.cfn.resourceEvent('Name', 'CREATE_COMPLETE', response.PhysicalResourceId, NAME_TYPE);
    await expect(h.run(h.event('Delete', 'Name', nameProps('api.example.com'), response.PhysicalResourceId))).rejects.toThrow(/the stack is CREATE_IN_PROGRESS/);
    h.cfn.phase('ROLLBACK_IN_PROGRESS');
    await expect(h.run(h.event('Delete', 'Name', nameProps('api.example.com'), response.PhysicalResourceId))).rejects.toThrow(/no such operation in progress/);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('ResponseURL and ServiceToken are neither used nor trusted', async () => {
    h.template('api.example.com');
    const event = {
      ...h.event('Create', 'Name', nameProps('api.example.com')),
      ResponseURL: 'https://attacker.example.com/collect',
      ServiceToken: 'arn:aws:lambda:eu-west-1:222222222222:function:evil',
    };
    event.ResourceProperties.ServiceToken = 'arn:aws:lambda:eu-west-1:222222222222:function:evil';
    const response = await h.send('CREATE_IN_PROGRESS', event);
    expect(Object.keys(response).sort()).toEqual(['Data', 'PhysicalResourceId']);
    expect(h.ec2.modifications()).toEqual([{ ServiceId: SERVICE, PrivateDnsName: 'api.example.com' }]);
    const { ResponseURL: _, ...withoutUrl } = h.event('Create', 'Name', nameProps('evil.example.com'));
    await expect(h.send('CREATE_IN_PROGRESS', withoutUrl as any)).rejects.toThrow(/are not the ones/);
  });

  test.each(['Custom::VpcEndpointServicePrivateDnsname', 'custom::vpcendpointserviceprivatednsname', 'AWS::CloudFormation::CustomResource',
    `${NAME_TYPE} `, 'Custom::VpcEndpointConnectionApproval', undefined])('the unknown resource type %j changes no private DNS name', async (type) => {
    h.template('api.example.com');
    const event = { ...h.event('Create', 'Name', nameProps('api.example.com')), ResourceType: type };
    await expect(h.send('CREATE_IN_PROGRESS', event as any)).rejects.toThrow();
    expect(writes()).toEqual([]);
  });

  test('extra properties in the request or the template never reach EC2', async () => {
    h.template('api.example.com');
    const name = h.cfn.template.Resources!.Name.Properties as Record<string, unknown>;
    Object.assign(name, { RemovePrivateDnsName: true, AcceptanceRequired: false });
    const event = h.event('Create', 'Name', { ...nameProps('api.example.com'), RemovePrivateDnsName: 'true', AddNetworkLoadBalancerArns: 'arn' });
    await h.send('CREATE_IN_PROGRESS', event);
    expect(h.ec2.modifications()).toEqual([{ ServiceId: SERVICE, PrivateDnsName: 'api.example.com' }]);
  });

  test.each([
    { serviceid: SERVICE, PrivateDnsName: 'api.example.com' },
    { ServiceId: SERVICE, privateDnsName: 'api.example.com' },
    { SERVICEID: SERVICE, PRIVATEDNSNAME: 'api.example.com' },
    { ServiceId: SERVICE.toUpperCase(), PrivateDnsName: 'api.example.com' },
    { ServiceId: ` ${SERVICE}`, PrivateDnsName: 'api.example.com' },
    {},
  ])('the properties %j are refused', async (props) => {
    h.template('api.example.com');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', props))).rejects.toThrow(/are not the ones the stack's template holds/);
    expect(writes()).toEqual([]);
  });

  const BAD_NAMES = ['api.example.com.', 'API.example.com', 'Api.Example.Com', '*.*.example.com', '*example.com', 'api.*.example.com', '*',
    '*.', 'api..example.com', '.api.example.com', ' api.example.com', 'api.example.com ', 'api.example.com\n', 'api.example.com\u0000',
    'api_x.example.com', 'ápi.example.com', '-api.example.com', 'api-.example.com', 'com', `${'a'.repeat(64)}.example.com`,
    `${'a.'.repeat(130)}com`, 'api.example.com/x', 'api.example.com,evil.example.com'];

  test.each(BAD_NAMES)('the name %j is refused in the template, whatever the request says', async (name) => {
    h.template(name);
    for (const claimed of [name, 'api.example.com']) {
      await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps(claimed)))).rejects.toThrow(/Nothing was changed/);
    }
    expect(writes()).toEqual([]);
  });

  test.each(BAD_NAMES)('the name %j is refused in a request, against the template\'s api.example.com', async (name) => {
    h.template('api.example.com');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps(name)))).rejects.toThrow(/are not the ones/);
    expect(writes()).toEqual([]);
  });

  test('a wildcard name is set only as the template writes it', async () => {
    h.template('*.example.com');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')))).rejects.toThrow(/are not the ones/);
    await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('*.example.com')));
    expect(h.ec2.modifications()).toEqual([{ ServiceId: SERVICE, PrivateDnsName: '*.example.com' }]);
  });
});

describe('attack 7: EC2 errors halfway name the service and the name, and leave nothing unsafe', () => {
  test('throttling on the first read: no write, the error names the service and the name', async () => {
    h.template('api.example.com');
    h.ec2.describeError = () => named('RequestLimitExceeded', 'Request limit exceeded.');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(new RegExp(`api\\.example\\.com.*${SERVICE}.*RequestLimitExceeded`));
    expect(writes()).toEqual([]);
  });

  test('throttling on the read of a delete: nothing removed, the error names both', async () => {
    const physicalId = await created();
    h.ec2.describeError = () => named('RequestLimitExceeded', 'Request limit exceeded.');
    await expect(h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId)))
      .rejects.toThrow(new RegExp(`api\\.example\\.com.*${SERVICE}.*RequestLimitExceeded`));
    h.ec2.describeError = undefined;
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('throttling in a completion check and in a verification\'s read names both', async () => {
    await created('api.example.com');
    h.ec2.describeError = () => named('RequestLimitExceeded', 'Request limit exceeded.');
    const check = { ...h.event('Create', 'Verification', verificationProps('api.example.com', 600), 'p'), Data: { VerificationWaitUntil: String(h.clock + 1000) } };
    await expect(h.run(check)).rejects.toThrow(new RegExp(`api\\.example\\.com.*${SERVICE}.*RequestLimitExceeded`));
    h.template('api.example.com', { waitSeconds: 600 });
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 600))))
      .rejects.toThrow(new RegExp(`api\\.example\\.com.*${SERVICE}.*RequestLimitExceeded`));
    expect(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification).toBeUndefined();
  });

  test('AccessDenied on the Modify of a create: named, retried only as a permission delay, and nothing left', async () => {
    h.template('api.example.com');
    h.ec2.modifyError = named('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(`Could not set the private DNS name api.example.com of endpoint service ${SERVICE}: UnauthorizedOperation`);
    expect(h.ec2.modifications().every(m => m.PrivateDnsName === 'api.example.com' || m.RemovePrivateDnsName)).toBe(true);
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('AccessDenied on the removal of a delete: named, and the name is left', async () => {
    const physicalId = await created();
    h.ec2.modifyError = named('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    await expect(h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId)))
      .rejects.toThrow(`Could not remove the private DNS name api.example.com of endpoint service ${SERVICE}: UnauthorizedOperation`);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('AccessDenied on the start of a verification: named, and the name is left as the template says', async () => {
    await created();
    h.template('api.example.com', { waitSeconds: 60 });
    h.ec2.startError = named('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 60))))
      .rejects.toThrow(`Could not start the verification of api.example.com for endpoint service ${SERVICE}: UnauthorizedOperation`);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });
});
