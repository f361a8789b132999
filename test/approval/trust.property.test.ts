import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AcceptVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent, SNSEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { APPROVAL_TYPE, ApprovalSpec, FakeCloudFormation, STACK_ID, eventProperties, templateProperties } from './fake-cloudformation';
import { FakeEc2, endpointId } from './fake-ec2';
import { Connection, REJECTABLE_STATES } from '../../lambda/approval/decide';
import { generationId } from '../../lambda/approval/generation';
import { handle } from '../../lambda/approval/index';
import { phaseOf } from '../../lambda/approval/phase';
import { parseProperties } from '../../lambda/approval/properties';

// For random templates, stack and resource states, connections, and genuine or forged events:
// every accepted ID is listed by an approval of that service in the template (resolved), was
// pending on this service, and is owned by an allowed owner; nothing is rejected that the
// template (or a generation CloudFormation is deleting in a forward cleanup or a stack
// deletion) does not ask to reject.
const RUNS = 2000;
const SERVICES = ['vpce-svc-0123456789abcdef0', 'vpce-svc-0fedcba9876543210'];
const OWNERS = ['111111111111', '222222222222', '333333333333'];
const LOGICAL_IDS = ['A', 'B', 'C'];
const STATES = ['pendingAcceptance', 'pending', 'available', 'rejected', 'deleted', 'failed', 'expired'];
const STACK_STATUSES = [
  'CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_IN_PROGRESS',
  'DELETE_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'REVIEW_IN_PROGRESS',
];
const RESOURCE_STATUSES = ['CREATE', 'UPDATE', 'DELETE'].flatMap(op => ['IN_PROGRESS', 'COMPLETE', 'FAILED'].map(s => `${op}_${s}`));
/** Endpoints of the stack's template whose physical IDs are endpoint IDs of the pool: Ref resolves to them. */
const ENDPOINT_RESOURCES = ['Endpoint0', 'Endpoint1', 'Endpoint2'];

const id = fc.integer({ min: 0, max: 9 }).map(endpointId);
const spec: fc.Arbitrary<ApprovalSpec> = fc.record({
  serviceId: fc.constantFrom<unknown>(SERVICES[0], SERVICES[1], { Ref: 'ServiceParameter' }),
  ids: fc.uniqueArray(fc.oneof(id, fc.constantFrom(...ENDPOINT_RESOURCES).map(r => ({ Ref: r }))),
    { maxLength: 6, selector: v => JSON.stringify(v) }),
  owners: fc.option(fc.subarray(OWNERS, { minLength: 1 }), { nil: undefined }),
  rejectUnlisted: fc.boolean(),
  onRemoval: fc.constantFrom('reject' as const, 'leave' as const),
  acceptOnArrival: fc.boolean(),
});
const literalSpec: fc.Arbitrary<ApprovalSpec> = spec.map(s => ({
  ...s,
  serviceId: typeof s.serviceId === 'string' ? s.serviceId : SERVICES[0],
  ids: [...new Set(s.ids.map(v => (typeof v === 'string' ? v : endpointId(ENDPOINT_RESOURCES.indexOf((v as { Ref: string }).Ref)))))],
}));
const connection: fc.Arbitrary<Connection> = fc.record({
  endpointId: id,
  serviceId: fc.oneof(fc.constant(SERVICES[0]), fc.constantFrom(...SERVICES)),
  state: fc.oneof(fc.constant('pendingAcceptance'), fc.constantFrom(...STATES)),
  owner: fc.constantFrom(...OWNERS),
});
/** A generation the handler issued earlier (for properties confirmed then). */
const pastGeneration = fc.record({ logicalId: fc.constantFrom(...LOGICAL_IDS), spec: literalSpec, nonce: fc.uuid() });

/** Stack statuses in which CloudFormation sends each kind of request. */
const SENT_DURING: Record<string, string[]> = {
  Create: ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'],
  Update: ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'],
  Delete: ['DELETE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'],
  Notification: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS'],
};

const world = fc.record({
  /** Half of the worlds have a stack status in which CloudFormation sends this kind of request. */
  plausibleStatus: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  template: fc.dictionary(fc.constantFrom(...LOGICAL_IDS), spec, { maxKeys: 2 }),
  status: fc.constantFrom(...STACK_STATUSES),
  past: fc.array(pastGeneration, { maxLength: 3 }),
  events: fc.array(fc.record({
    logicalId: fc.constantFrom(...LOGICAL_IDS, 'X'),
    status: fc.constantFrom(...RESOURCE_STATUSES),
    physical: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 2 }), fc.constant('vpce-svc-0123456789abcdef0/forged')),
  }), { maxLength: 6 }),
  /** Most IDs of the pool have a connection, so that listed IDs are often there. */
  connections: fc.array(fc.option(connection, { freq: 4, nil: undefined }), { minLength: 10, maxLength: 10 })
    .map(cs => cs.flatMap((c, n) => (c ? [{ ...c, endpointId: endpointId(n) }] : []))),
  request: fc.record({
    kind: fc.constantFrom('Create', 'Update', 'Delete', 'Notification'),
    /** Picks the target: an approval of the template, a past generation, or any name. */
    pick: fc.nat(),
    fromTemplate: fc.boolean(),
    forgedSpec: literalSpec,
    physical: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant('vpce-svc-0123456789abcdef0/forged')),
    otherStack: fc.integer({ min: 0, max: 9 }).map(n => n === 0),
    /** CloudFormation's own event for this request, as when it really sends it. */
    genuineEvent: fc.boolean(),
    notifiedServices: fc.subarray(SERVICES),
    notifiedIds: fc.uniqueArray(id, { maxLength: 3 }),
  }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function statusOf(w: World): string {
  if (w.plausibleStatus === undefined) return w.status;
  const statuses = SENT_DURING[w.request.kind];
  return statuses[w.plausibleStatus % statuses.length];
}

/** The template's approvals as the handler must see them: properties resolved. */
function resolvedTemplate(w: World): Map<string, ReturnType<typeof parseProperties>> {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object' && 'Ref' in value) {
      const ref = (value as { Ref: string }).Ref;
      return ref === 'ServiceParameter' ? SERVICES[0] : endpointId(ENDPOINT_RESOURCES.indexOf(ref));
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const approvals = new Map<string, ReturnType<typeof parseProperties>>();
  for (const [logicalId, s] of Object.entries(w.template)) {
    try {
      approvals.set(logicalId, parseProperties(resolve(templateProperties(s)) as Record<string, unknown>));
    } catch { /* an approval with bad properties accepts nothing */ }
  }
  return approvals;
}

const ec2 = new FakeEc2();
const cfn = new FakeCloudFormation();
afterAll(() => { ec2.restore(); cfn.restore(); });

function setUp(w: World): string[] {
  ec2.connections.clear();
  w.connections.forEach(c => ec2.add(c));
  ec2.resetHistory();
  cfn.stub.resetHistory();
  cfn.events = [];
  cfn.template = { Parameters: { ServiceParameter: { Type: 'String' } }, Resources: Object.fromEntries(ENDPOINT_RESOURCES.map(r => [r, { Type: 'AWS::EC2::VPCEndpoint' }])) };
  cfn.parameters = [{ ParameterKey: 'ServiceParameter', ParameterValue: SERVICES[0] }];
  cfn.physicalIds.clear();
  ENDPOINT_RESOURCES.forEach((r, i) => cfn.physicalIds.set(r, endpointId(i)));
  const approvals = Object.entries(w.template).map(([l, s]) => [l, { Type: APPROVAL_TYPE, Properties: templateProperties(s) }]);
  cfn.template = { ...cfn.template, Resources: { ...cfn.template.Resources, ...Object.fromEntries(approvals) } };
  const pastIds = w.past.map(p => generationId(STACK_ID, p.logicalId, p.nonce, parseProperties(eventProperties(p.spec))));
  Object.keys(w.template).forEach(l => cfn.physicalIds.set(l, pastIds[0] ?? `${SERVICES[0]}/x/y`));
  cfn.phase(statusOf(w));
  for (const e of eventsOf(w, pastIds)) cfn.resourceEvent(e.logicalId, e.status, e.physical);
  return pastIds;
}

/** The logical ID, physical ID and properties of the request, genuine (from the template or a past generation) or not. */
function targetOf(w: World, pastIds: string[]): { logicalId: string; physicalId: string; props: Record<string, unknown> } {
  const r = w.request;
  const keys = Object.keys(w.template);
  const past = typeof r.physical === 'number' ? w.past[r.physical] : undefined;
  const physicalId = typeof r.physical === 'number' ? pastIds[r.physical] ?? 'none' : r.physical;
  if (r.fromTemplate && keys.length > 0) {
    const logicalId = keys[r.pick % keys.length];
    const current = r.kind === 'Update' || (r.kind === 'Delete' && r.pick % 2 === 0);
    return { logicalId, physicalId: current ? cfn.physicalIds.get(logicalId)! : physicalId, props: eventPropertiesResolved(w, logicalId) };
  }
  if (r.kind === 'Delete' && past) return { logicalId: past.logicalId, physicalId, props: eventProperties(past.spec) };
  return { logicalId: [...LOGICAL_IDS, 'X'][r.pick % 4], physicalId, props: eventProperties(r.forgedSpec) };
}

function requestOf(w: World, pastIds: string[]): CloudFormationCustomResourceEvent | SNSEvent {
  const r = w.request;
  if (r.kind === 'Notification') {
    return { Records: [{ Sns: { Message: JSON.stringify({ services: r.notifiedServices, endpoints: r.notifiedIds }) } } as any] };
  }
  const { logicalId, physicalId, props } = targetOf(w, pastIds);
  const common = {
    ServiceToken: 't',
    ResponseURL: 'https://example.invalid',
    RequestId: 'req-1',
    StackId: r.otherStack ? STACK_ID.replace('Provider', 'Other') : STACK_ID,
    LogicalResourceId: logicalId,
    ResourceType: APPROVAL_TYPE,
  };
  if (r.kind === 'Create') return { ...common, RequestType: 'Create', ResourceProperties: props as any };
  if (r.kind === 'Update') return { ...common, RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: props as any, OldResourceProperties: props as any };
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: props as any };
}

function eventPropertiesResolved(w: World, logicalId: string): Record<string, unknown> {
  const approval = resolvedTemplate(w).get(logicalId);
  if (!approval) return eventProperties(w.template[logicalId]);
  const p = approval.policy;
  return eventProperties({
    serviceId: p.serviceId,
    ids: p.listed,
    owners: p.allowedOwners,
    rejectUnlisted: p.rejectUnlisted,
    onRemoval: approval.onRemoval,
    waitSeconds: approval.waitSeconds,
    acceptOnArrival: approval.acceptOnArrival,
  });
}

/** The resource events of the current phase, oldest first. */
function eventsOf(w: World, pastIds: string[]): Array<{ logicalId: string; status: string; physical: string }> {
  const physicalOf = (p: number | string) => (typeof p === 'number' ? pastIds[p] ?? '' : p);
  const events = w.events.map(e => ({ logicalId: e.logicalId, status: e.status, physical: physicalOf(e.physical) }));
  const r = w.request;
  if (r.genuineEvent && r.kind !== 'Notification') {
    const target = targetOf(w, pastIds);
    events.push({ logicalId: target.logicalId, status: `${r.kind.toUpperCase()}_IN_PROGRESS`, physical: r.kind === 'Create' ? '' : target.physicalId });
  }
  return events;
}

/** The newest event of each (logical ID, physical ID) in the current phase, as the test world wrote them. */
function beingDeleted(w: World, pastIds: string[]): Set<string> {
  const newest = new Map<string, string>();
  for (const e of eventsOf(w, pastIds)) newest.set(`${e.logicalId}|${e.physical}`, e.status);
  return new Set([...newest].filter(([, status]) => status === 'DELETE_IN_PROGRESS').map(([key]) => key));
}

test('the handler accepts and rejects only what CloudFormation holds', async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  let clock = 0;
  const seen = { accepts: 0, rejects: { create: 0, update: 0, cleanup: 0, delete: 0 } as Record<string, number> };
  const deps = {
    ec2: new EC2Client({ region: 'eu-west-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    stackId: STACK_ID,
    now: () => clock,
    sleep: async (ms: number) => { clock += ms; },
    pollIntervalMs: 60_000,
  };
  await fc.assert(fc.asyncProperty(world, async w => {
    const pastIds = setUp(w);
    const before = new Map(w.connections.map(c => [c.endpointId, c]));
    try {
      const start = clock;
      await handle(requestOf(w, pastIds), deps, () => 900_000 - (clock - start));
    } catch { /* refusals and failures are fine: what matters is what changed */ }

    const template = [...resolvedTemplate(w)];
    const phase = phaseOf(statusOf(w));
    const ofService = (service: string) => template.filter(([, a]) => a.policy.serviceId === service);
    for (const call of ec2.stub.commandCalls(AcceptVpcEndpointConnectionsCommand)) {
      const service = call.args[0].input.ServiceId!;
      for (const endpoint of call.args[0].input.VpcEndpointIds ?? []) {
        const c = before.get(endpoint);
        expect(c?.serviceId).toBe(service);
        expect(c?.state).toBe('pendingAcceptance');
        const listing = ofService(service).filter(([, a]) => a.policy.listed.includes(endpoint)
          && (!a.policy.allowedOwners || a.policy.allowedOwners.includes(c!.owner!)));
        expect(listing.length).toBeGreaterThan(0);
        expect(['create', 'update', 'settled', 'cleanup']).toContain(phase);
        seen.accepts++;
      }
    }
    const deleting = beingDeleted(w, pastIds);
    for (const call of ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand)) {
      const service = call.args[0].input.ServiceId!;
      for (const endpoint of call.args[0].input.VpcEndpointIds ?? []) {
        const c = before.get(endpoint);
        seen.rejects[phase] = (seen.rejects[phase] ?? 0) + 1;
        expect(c?.serviceId).toBe(service);
        expect(REJECTABLE_STATES.has(c!.state)).toBe(true);
        const listedNow = ofService(service).some(([, a]) => a.policy.listed.includes(endpoint));
        const deletedGenerations = w.past.filter((p, i) => deleting.has(`${p.logicalId}|${pastIds[i]}`))
          .map(p => ({ logicalId: p.logicalId, props: parseProperties(eventProperties(p.spec)) }))
          .filter(g => g.props.policy.serviceId === service && g.props.policy.listed.includes(endpoint));
        if (phase === 'create' || phase === 'update') {
          expect(c!.state).toBe('pendingAcceptance');
          expect(listedNow).toBe(false);
          expect(ofService(service).some(([, a]) => a.policy.rejectUnlisted)).toBe(true);
        } else if (phase === 'cleanup') {
          expect(listedNow).toBe(false);
          expect(deletedGenerations.some(g => {
            const successor = ofService(service).find(([l]) => l === g.logicalId);
            return (successor ? successor[1].onRemoval : g.props.onRemoval) === 'reject';
          })).toBe(true);
        } else {
          expect(phase).toBe('delete');
          const templateAsks = ofService(service).some(([, a]) => a.onRemoval === 'reject' && a.policy.listed.includes(endpoint));
          expect(templateAsks || deletedGenerations.some(g => g.props.onRemoval === 'reject')).toBe(true);
        }
      }
    }
  }), { numRuns: RUNS, seed: 20261202 });
  // The worlds reach every path that changes something, so the property is not vacuous.
  expect(seen.accepts).toBeGreaterThan(0);
  for (const phase of ['create', 'update', 'cleanup', 'delete']) expect(seen.rejects[phase]).toBeGreaterThan(0);
}, 120_000);
