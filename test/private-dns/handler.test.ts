import { DnsHarness, RECORD, nameProps, verificationProps } from './dns-harness';
import { OTHER_SERVICE, SERVICE, STACK_ID } from '../approval/fake-cloudformation';

let h: DnsHarness;
beforeEach(() => { h = new DnsHarness(); });
afterEach(() => h.restore());

/** Creates the name `name` in a new stack; returns the physical ID. */
async function created(name = 'api.example.com'): Promise<string> {
  h.template(name);
  const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps(name)));
  h.cfn.phase('CREATE_COMPLETE');
  return response.PhysicalResourceId;
}

describe('private DNS name: set, change, remove', () => {
  test('a create sets the name and answers with the TXT record, in three EC2 calls', async () => {
    h.template('api.example.com');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    expect(h.ec2.modifications()).toEqual([{ ServiceId: SERVICE, PrivateDnsName: 'api.example.com' }]);
    expect(response.PhysicalResourceId).toMatch(new RegExp(`^${SERVICE}/request-\\d+/[0-9a-f]{64}$`));
    expect(response.Data).toEqual({ VerificationRecordName: '_label1', VerificationRecordValue: 'vpce:value1', VerificationState: 'pendingVerification' });
    expect(h.ec2.callCounts()).toEqual({ DescribeVpcEndpointServiceConfigurations: 2, ModifyVpcEndpointServiceConfiguration: 1 });
    // Each read of the stack once: the status, the events of the phase, the template, and the service's physical ID.
    expect(h.cfn.callCounts()).toEqual({ DescribeStacks: 1, DescribeStackEvents: 1, GetTemplate: 1, ListStackResources: 1 });
  });

  test('a create for a service that has the name already changes nothing', async () => {
    h.ec2.services.set(SERVICE, { name: 'api.example.com', state: 'verified', recordName: '_old', recordValue: 'v' });
    h.template('api.example.com');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    expect(h.ec2.modifications()).toEqual([]);
    expect(response.Data.VerificationState).toBe('verified');
    expect(h.ec2.callCounts()).toEqual({ DescribeVpcEndpointServiceConfigurations: 1 });
  });

  test('an update changes the name; the cleanup\'s delete of the old generation leaves the new name', async () => {
    const first = await created('api.example.com');
    h.template('web.example.com');
    const second = await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('web.example.com'), first, nameProps('api.example.com')));
    expect(second.PhysicalResourceId).not.toBe(first);
    await h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), first));
    expect(h.ec2.modifications()).toEqual([
      { ServiceId: SERVICE, PrivateDnsName: 'api.example.com' },
      { ServiceId: SERVICE, PrivateDnsName: 'web.example.com' },
    ]);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('web.example.com');
  });

  test('a move to another service removes the name from the old one in the cleanup', async () => {
    h.ec2.services.set(OTHER_SERVICE, {});
    const first = await created('api.example.com');
    h.cfn.physicalIds.set('Service', OTHER_SERVICE);
    h.template('api.example.com');
    await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com', OTHER_SERVICE), first, nameProps('api.example.com')));
    await h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), first));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
    expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBe('api.example.com');
    expect(h.ec2.modifications().at(-1)).toEqual({ ServiceId: SERVICE, RemovePrivateDnsName: true });
  });

  test('a stack deletion removes the name; a gone service is fine', async () => {
    const physicalId = await created();
    await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId));
    expect(h.ec2.modifications().at(-1)).toEqual({ ServiceId: SERVICE, RemovePrivateDnsName: true });
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();

    h.ec2.services.clear();
    await expect(h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId))).resolves.toBeDefined();
    expect(h.logged.some(l => l.reason === 'the endpoint service is gone')).toBe(true);
  });

  test('a delete leaves a name that someone else set since', async () => {
    const physicalId = await created();
    h.ec2.services.get(SERVICE)!.name = 'other.example.com';
    await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), physicalId));
    expect(h.ec2.modifications()).toHaveLength(1);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('other.example.com');
  });

  test('a rollback puts the previous name back, and deletes nothing of it', async () => {
    const first = await created('api.example.com');
    h.template('web.example.com');
    const second = await h.send('UPDATE_IN_PROGRESS', h.event('Update', 'Name', nameProps('web.example.com'), first, nameProps('api.example.com')));
    // Another resource failed: CloudFormation puts the previous generation back, then deletes the new one.
    h.template('api.example.com');
    const back = await h.send('UPDATE_ROLLBACK_IN_PROGRESS', h.event('Update', 'Name', nameProps('api.example.com'), first, nameProps('web.example.com')));
    expect(back.PhysicalResourceId).toBe(first);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    await h.send('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('web.example.com'), second.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a failed create rolls back by removing the name it set', async () => {
    h.template('api.example.com');
    const response = await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')));
    await h.send('ROLLBACK_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), response.PhysicalResourceId));
    expect(h.ec2.services.get(SERVICE)?.name).toBeUndefined();
  });

  test('an EC2 error names the service and the name', async () => {
    h.template('api.example.com');
    h.ec2.modifyError = Object.assign(new Error('Private DNS name is already in use'), { name: 'InvalidParameter' });
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(`Could not set the private DNS name api.example.com of endpoint service ${SERVICE}: InvalidParameter: Private DNS name is already in use`);
  });

  test('a service EC2 does not know fails the create, naming it', async () => {
    h.ec2.services.clear();
    h.template('api.example.com');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com'))))
      .rejects.toThrow(`Cannot set the private DNS name api.example.com of endpoint service ${SERVICE}: EC2 does not know the service.`);
  });
});

describe('verification', () => {
  test('a create starts the verification and answers until when to wait', async () => {
    await created();
    h.template('api.example.com', { waitSeconds: 600 });
    const response = await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 600)));
    expect(h.ec2.services.get(SERVICE)?.verificationStarted).toBe(true);
    expect(response.Data).toEqual({ VerificationWaitUntil: h.clock + 600_000, VerificationState: 'pendingVerification' });
  });

  test('without a wait, the answer says 0; a verified domain is not verified again', async () => {
    await created();
    h.ec2.services.get(SERVICE)!.state = 'verified';
    h.template('api.example.com', { waitSeconds: 600 });
    const response = await h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('api.example.com', 600)));
    expect(h.ec2.services.get(SERVICE)?.verificationStarted).toBe(false);
    expect(response.Data).toEqual({ VerificationWaitUntil: 0, VerificationState: 'verified' });
  });

  test('a verification of a name the service does not have fails, naming both', async () => {
    await created('api.example.com');
    h.template('web.example.com', { waitSeconds: 0 });
    await expect(h.send('UPDATE_IN_PROGRESS', h.event('Create', 'Verification', verificationProps('web.example.com'))))
      .rejects.toThrow(`Cannot verify the private DNS name web.example.com of endpoint service ${SERVICE}: the service's private DNS name is api.example.com.`);
  });

  /** The provider framework's completion check: the request with the answer merged in. */
  function check(waitUntil: number, requestType = 'Create') {
    return {
      ...h.event(requestType as 'Create', 'Verification', verificationProps('api.example.com', 600), 'vpce-svc-x/1/2'),
      Data: { VerificationWaitUntil: String(waitUntil), VerificationState: 'pendingVerification' },
    };
  }

  test('a completion check is complete once the domain is verified, and only reads', async () => {
    await created();
    const before = h.ec2.callCounts();
    expect(await h.run(check(h.clock + 60_000))).toEqual({ IsComplete: false });
    h.ec2.services.get(SERVICE)!.state = 'verified';
    expect(await h.run(check(h.clock + 60_000))).toEqual({ IsComplete: true, Data: { VerificationState: 'verified' } });
    expect(h.ec2.callCounts().ModifyVpcEndpointServiceConfiguration).toBe(before.ModifyVpcEndpointServiceConfiguration);
    expect(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification).toBeUndefined();
  });

  test('a failed verification fails the deployment, naming the TXT record to publish', async () => {
    await created();
    h.ec2.services.get(SERVICE)!.state = 'failed';
    await expect(h.run(check(h.clock + 60_000))).rejects.toThrow(
      `The domain ownership verification of api.example.com for endpoint service ${SERVICE} failed. Publish the TXT record ${RECORD} `
      + 'with the value vpce:value1 in the domain\'s public DNS');
  });

  test('the end of the wait fails the deployment, naming the TXT record', async () => {
    await created();
    await expect(h.run(check(h.clock))).rejects.toThrow(
      `The private DNS name api.example.com of endpoint service ${SERVICE} is still pendingVerification after the wait for its verification. `
      + `Publish the TXT record ${RECORD} with the value vpce:value1`);
  });

  test('nothing to wait for, or a delete, is complete at once without a call', async () => {
    const before = h.ec2.stub.calls().length;
    expect(await h.run(check(0))).toEqual({ IsComplete: true });
    expect(await h.run(check(h.clock + 60_000, 'Delete'))).toEqual({ IsComplete: true });
    expect(h.ec2.stub.calls().length).toBe(before);
  });

  test('a delete of the verification changes nothing and answers so that the completion check ends', async () => {
    await created();
    h.template('api.example.com', { waitSeconds: 600 });
    const response = await h.send('DELETE_IN_PROGRESS', h.event('Delete', 'Verification', verificationProps('api.example.com', 600), 'p'));
    expect(response).toEqual({ PhysicalResourceId: 'p', Data: { VerificationWaitUntil: 0 } });
  });
});

describe('forged and replayed requests change nothing', () => {
  test('another stack', async () => {
    h.template('api.example.com');
    const event = { ...h.event('Create', 'Name', nameProps('api.example.com')), StackId: STACK_ID.replace('Provider', 'Other') };
    await expect(h.send('CREATE_IN_PROGRESS', event)).rejects.toThrow('this handler acts only for its own stack');
    expect(h.ec2.modifications()).toEqual([]);
  });

  test('a name that is not the template\'s', async () => {
    h.template('api.example.com');
    await expect(h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('evil.example.com'))))
      .rejects.toThrow(/are not the ones the stack's template holds .*Nothing was changed/);
    expect(h.ec2.modifications()).toEqual([]);
  });

  test('a request CloudFormation is not carrying out (no event, or the stack at rest)', async () => {
    h.template('api.example.com');
    h.cfn.phase('CREATE_IN_PROGRESS');
    await expect(h.run(h.event('Create', 'Name', nameProps('api.example.com')))).rejects.toThrow(/CloudFormation is not carrying it out/);
    const physicalId = await created();
    await expect(h.run(h.event('Delete', 'Name', nameProps('api.example.com'), physicalId))).rejects.toThrow(/the stack is CREATE_COMPLETE/);
    expect(h.ec2.modifications()).toHaveLength(1);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a delete in the cleanup whose properties are not those of its physical ID', async () => {
    const physicalId = await created();
    const forged = `${SERVICE}/request-9/${'0'.repeat(64)}`;
    await expect(h.send('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', h.event('Delete', 'Name', nameProps('api.example.com'), forged)))
      .rejects.toThrow(/its properties are not those its physical ID was issued for/);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
    expect(physicalId).not.toBe(forged);
  });

  test('a rollback update with properties its physical ID was not issued for', async () => {
    const physicalId = await created();
    await expect(h.send('UPDATE_ROLLBACK_IN_PROGRESS', h.event('Update', 'Name', nameProps('evil.example.com'), physicalId)))
      .rejects.toThrow(/its properties are not those its physical ID was issued for/);
    expect(h.ec2.services.get(SERVICE)?.name).toBe('api.example.com');
  });

  test('a request with a Data field is only ever a read', async () => {
    await created();
    const forged = { ...h.event('Create', 'Name', nameProps('evil.example.com')), Data: { VerificationWaitUntil: 1 } };
    await expect(h.send('CREATE_IN_PROGRESS', forged)).rejects.toThrow();
    expect(h.ec2.modifications()).toHaveLength(1);
  });
});
