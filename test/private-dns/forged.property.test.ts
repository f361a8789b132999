import fc from 'fast-check';
import { DnsHarness, NAME_TYPE, VERIFICATION_TYPE, nameProps, verificationProps } from './dns-harness';
import { OTHER_SERVICE, SERVICE } from '../approval/fake-cloudformation';

const NAMES = ['api.example.com', 'evil.example.com', '*.example.com', 'example.org'];
const PHASES = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'DELETE_IN_PROGRESS',
  'UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'UPDATE_COMPLETE', 'CREATE_COMPLETE'];

/** Mostly the template's own values, so that a missing check shows. */
function mostly<T>(usual: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: fc.constantFrom(...others), weight: 1 });
}

const forgedEvent = fc.record({
  phase: fc.constantFrom(...PHASES),
  requestType: fc.constantFrom('Create' as const, 'Update' as const, 'Delete' as const),
  logicalId: mostly('Name', 'Verification', 'Other'),
  resourceType: mostly(NAME_TYPE, VERIFICATION_TYPE),
  name: mostly(NAMES[0], ...NAMES.slice(1)),
  serviceId: mostly(SERVICE, OTHER_SERVICE),
  physicalId: mostly('genuine', 'forged', 'none'),
  withData: fc.boolean(),
  waitSeconds: fc.constantFrom(0, 60, 3300),
});

describe('forged requests, replayed physical IDs and completion checks', () => {
  test('never change the service unless CloudFormation carries the request out, and never set another name than the template\'s', async () => {
    await fc.assert(fc.asyncProperty(fc.array(forgedEvent, { minLength: 1, maxLength: 6 }), async (events) => {
      const h = new DnsHarness();
      h.ec2.services.set(OTHER_SERVICE, {});
      try {
        h.template('api.example.com', { waitSeconds: 60 });
        const genuine = (await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')))).PhysicalResourceId;
        h.cfn.phase('CREATE_COMPLETE');
        const afterGenuine = h.ec2.modifications().length;
        const removedMeanwhile = events.length % 2 === 0;
        if (removedMeanwhile) h.ec2.services.set(SERVICE, {});
        for (const e of events) {
          h.cfn.phase(e.phase);
          const props = e.resourceType === VERIFICATION_TYPE
            ? { ...verificationProps(e.name, e.waitSeconds), ServiceId: e.serviceId } : nameProps(e.name, e.serviceId);
          const physicalId = e.physicalId === 'genuine' ? genuine : e.physicalId === 'forged' ? `${e.serviceId}/n/${'a'.repeat(64)}` : undefined;
          const event = {
            ...h.event(e.requestType, e.logicalId, props, e.requestType === 'Create' ? undefined : physicalId ?? 'p'),
            ResourceType: e.resourceType,
            ...e.withData ? { Data: { VerificationWaitUntil: String(h.clock + 1000) } } : {},
          };
          await h.run(event).catch(() => undefined);
        }
        expect(h.ec2.modifications().slice(afterGenuine)).toEqual([]);
        expect(h.ec2.callCounts().StartVpcEndpointServicePrivateDnsVerification).toBeUndefined();
        expect(h.ec2.services.get(SERVICE)?.name).toBe(removedMeanwhile ? undefined : 'api.example.com');
        expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBeUndefined();
      } finally {
        h.restore();
      }
    }), { numRuns: 100 });
  });

  test('every change CloudFormation carries out sets only the template\'s name or removes it, and nothing else', async () => {
    await fc.assert(fc.asyncProperty(fc.array(forgedEvent, { minLength: 1, maxLength: 6 }), async (events) => {
      const h = new DnsHarness();
      h.ec2.services.set(OTHER_SERVICE, {});
      try {
        h.template('api.example.com');
        const genuine = (await h.send('CREATE_IN_PROGRESS', h.event('Create', 'Name', nameProps('api.example.com')))).PhysicalResourceId;
        for (const e of events) {
          const props = nameProps(e.name, e.serviceId);
          const physicalId = e.physicalId === 'genuine' ? genuine : `${e.serviceId}/n/${'a'.repeat(64)}`;
          // As if CloudFormation were carrying each request out: only the properties decide.
          await h.send(e.phase, h.event(e.requestType, 'Name', props, e.requestType === 'Create' ? undefined : physicalId)).catch(() => undefined);
        }
        for (const input of h.ec2.modifications()) {
          expect(input.ServiceId).toBe(SERVICE);
          expect(Object.keys(input).sort()).toEqual(input.RemovePrivateDnsName ? ['RemovePrivateDnsName', 'ServiceId'] : ['PrivateDnsName', 'ServiceId']);
          if (!input.RemovePrivateDnsName) expect(input.PrivateDnsName).toBe('api.example.com');
        }
        expect(h.ec2.services.get(OTHER_SERVICE)?.name).toBeUndefined();
      } finally {
        h.restore();
      }
    }), { numRuns: 100 });
  });
});
