import { createHash } from 'crypto';
import { DescribeStacksCommand, ListExportsCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointConnectionsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { requestEvent } from './cloudformation-simulator';
import { APPROVAL_TYPE, ApprovalSpec, OTHER_SERVICE, SERVICE, STACK_ID, eventProperties, templateProperties } from './fake-cloudformation';
import { endpointId } from './fake-ec2';
import { CONSUMER, ENFORCEMENT_TOPIC, Harness, SCHEDULED_EVENT, STRANGER, acceptNotification, connectMessage, notification, pending } from './handler-harness';
import { matchesJsonFilter } from './json-filter-pattern';
import { generationId } from '../../lambda/approval/generation';
import { parseProperties } from '../../lambda/approval/properties';
import { DECISION_METRICS } from '../../src/approval/decision-metrics';

// Adversarial review of continuous enforcement (DESIGN.md capability 3, README "Continuous
// enforcement"). DEFEATED: the attack does not work. "Was a finding": the attack worked against the
// first version; the handler was fixed and the test asserts the safe behaviour.
let h: Harness;
afterEach(() => h?.restore());

const LISTED = endpointId(1);
const SECOND = endpointId(2);
const BY_HAND = endpointId(5);
const UNLISTED = endpointId(7);

const throttled = (name = 'Throttling') => Object.assign(new Error('Rate exceeded'), { name });
const REJECT: Partial<ApprovalSpec> = { onRemoval: 'reject', unlistedAccepted: 'reject' };

/** A deployed stack whose approval lists endpoint 1 (accepted), and a connection 5 accepted by hand afterwards. */
async function deployed(spec: Partial<ApprovalSpec> = {}, connections = [pending(1)]): Promise<void> {
  h = new Harness(connections);
  await h.deploy({ ids: [LISTED], ...spec });
  h.ec2.add(pending(5, { state: 'available' }));
  h.ec2.resetHistory();
  h.cfn.stub.resetHistory();
  h.logged.length = 0;
}

/** How a logged object reaches CloudWatch Logs with Lambda's JSON log format. */
function lambdaJsonRecord(message: unknown): string {
  return JSON.stringify({ timestamp: '2026-12-02T12:00:00.000Z', level: 'INFO', requestId: '8f5e0f1c-0000-4000-8000-000000000000', message });
}

type MetricKey = keyof typeof DECISION_METRICS;

/** The logged lines that the metric filter of `metric` counts, as CloudWatch Logs would see them. */
function counted(metric: MetricKey, serviceId?: string): Array<Record<string, unknown>> {
  const pattern = DECISION_METRICS[metric].pattern.logPatternString;
  return h.logged.filter(line => matchesJsonFilter(pattern, lambdaJsonRecord(line)) && (serviceId === undefined || line.serviceId === serviceId));
}

/** Whether a run raised an alarm-worthy signal: it failed (Errors, dead-letter queue), or one of the service's alarmed metrics counted a line. */
async function signals(run: Promise<unknown>, serviceId = SERVICE) {
  const threw = await run.then(() => false, () => true);
  return {
    threw,
    failedRuns: counted('failedRuns', serviceId).length,
    outsideApproval: counted('acceptedOutsideApproval', serviceId).length,
  };
}

/** Plays, by hand, a whole update of the approval to `spec` that CloudFormation finishes: new template, new bound physical ID. */
function completeUpdate(spec: ApprovalSpec, nonce: string): void {
  h.cfn.phase('UPDATE_IN_PROGRESS');
  h.cfn.setApprovals({ Approval: spec });
  h.cfn.physicalIds.set('Approval', generationId(STACK_ID, 'Approval', nonce, parseProperties(eventProperties(spec))));
  h.cfn.phase('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  h.cfn.phase('UPDATE_COMPLETE');
}

describe('metrics and alarms: suppression and forgery', () => {
  test('DEFEATED (was a finding): forged requests naming 1,000 made-up services give the FailedRuns filter 1,000 ServiceId values (CloudWatch Logs may disable a filter at 1,000 per hour)', async () => {
    await deployed();
    const madeUp = Array.from({ length: 1000 }, (_, i) => `vpce-svc-${(0xa0000 + i).toString(16).padStart(17, '0')}`);
    for (const [i, serviceId] of madeUp.entries()) {
      // Half for another stack (refused before any read), half for this one at rest (refused after DescribeStacks).
      const stackId = i % 2 === 0 ? STACK_ID.replace('Provider', 'Elsewhere') : STACK_ID;
      await h.run(requestEvent('Create', 'Approval', { ids: [LISTED], serviceId }, undefined, stackId)).catch(() => undefined);
    }
    expect(h.ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(0);
    const dimensionValues = new Set(counted('failedRuns').map(line => line.serviceId));
    // Safe: a request that CloudFormation is not carrying out is not attributed to the service it claims
    // (only this stack's approved services, or 'unknown', ever become a ServiceId dimension value).
    expect({ foreignServiceIdValues: [...dimensionValues].filter(id => id !== SERVICE && id !== 'unknown').length }).toEqual({ foreignServiceIdValues: 0 });
  });

  test('DEFEATED (was a finding): ListStackResources throttled while the schedule binds the approvals fails the run, it does not skip the approval silently', async () => {
    await deployed();
    h.cfn.stub.on(ListStackResourcesCommand).rejects(throttled());
    const result = await signals(h.run(SCHEDULED_EVENT));
    expect(h.logged).not.toContainEqual(expect.objectContaining({ event: 'approvalUnreadable' }));
    // Safe: a read that failed is a failed run (FailedRuns of the service, or at least the handler's Errors and the DLQ).
    expect(result.threw || result.failedRuns > 0 || result.outsideApproval > 0).toBe(true);
  });

  test('DEFEATED (was a finding): ListExports throttled (an account-wide rate any reader can spend) silently switches enforcement off for an approval that imports its IDs', async () => {
    h = new Harness([pending(1, { state: 'available' }), pending(5, { state: 'available' })]);
    h.cfn.exports.set('Consumer-EndpointId', LISTED);
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: [{ 'Fn::ImportValue': 'Consumer-EndpointId' }], ...REJECT }) } } };
    h.cfn.physicalIds.set('Approval', generationId(STACK_ID, 'Approval', 'n', parseProperties(eventProperties({ ids: [LISTED], ...REJECT }))));
    h.cfn.phase('CREATE_COMPLETE');
    // Bound and enforced while ListExports answers.
    await h.run(SCHEDULED_EVENT);
    expect(h.ec2.state(BY_HAND)).toBe('rejected');
    h.ec2.add(pending(6, { state: 'available' }));
    h.logged.length = 0;
    h.cfn.stub.on(ListExportsCommand).rejects(throttled());
    const result = await signals(h.run(SCHEDULED_EVENT));
    expect(h.ec2.state(endpointId(6))).toBe('available');
    expect(result.threw || result.failedRuns > 0 || result.outsideApproval > 0).toBe(true);
  });

  test('DEFEATED (was a finding; needs ResolvedValue to follow SSM writes, undocumented): a write to the SSM parameter of the list switches enforcement off without any signal', async () => {
    h = new Harness([pending(1, { state: 'available' })]);
    h.cfn.template = { Parameters: { Ids: { Type: 'AWS::SSM::Parameter::Value<List<String>>' } }, Resources: {} };
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: '/approved/ids', ResolvedValue: LISTED }];
    h.cfn.phase('CREATE_IN_PROGRESS');
    h.cfn.template = { ...h.cfn.template, Resources: { Approval: { Type: APPROVAL_TYPE, Properties: templateProperties({ ids: { Ref: 'Ids' } as any, ...REJECT }) } } };
    h.cfn.physicalIds.set('Approval', generationId(STACK_ID, 'Approval', 'n', parseProperties(eventProperties({ ids: [LISTED], ...REJECT }))));
    h.cfn.phase('CREATE_COMPLETE');
    // ssm:PutParameter by the attacker, then a connection accepted by hand in the console.
    h.cfn.parameters = [{ ParameterKey: 'Ids', ParameterValue: '/approved/ids', ResolvedValue: `${LISTED},${endpointId(0xbad)}` }];
    h.ec2.add(pending(5, { state: 'available' }));
    const result = await signals(h.run(SCHEDULED_EVENT));
    // Nothing is rejected on an unbound list (right), but an approval that no longer binds must raise something.
    expect(h.rejected()).toEqual([]);
    expect(result.threw || result.failedRuns > 0 || result.outsideApproval > 0).toBe(true);
  });

  test('DEFEATED (was a finding): REJECT mode, Reject throttled past the SDK retries: the hand-accepted connection is never logged, ConnectionsAcceptedOutsideApproval stays 0', async () => {
    await deployed(REJECT);
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).rejects(throttled('RequestLimitExceeded'));
    const result = await signals(h.run(SCHEDULED_EVENT));
    expect(h.ec2.state(BY_HAND)).toBe('available');
    expect(result.threw).toBe(true);
    expect(result.failedRuns).toBe(1);
    // Safe: what is found outside the approval is counted whether or not its rejection then works.
    expect(counted('acceptedOutsideApproval').map(line => line.endpointId)).toEqual([BY_HAND]);
  });

  test('DEFEATED (was a finding): REJECT mode, DescribeStacks throttled at the re-read just before the rejection: the outside-approval connection is never logged', async () => {
    await deployed(REJECT);
    h.ec2.beforeDescribe = () => { h.cfn.describeStacksError = throttled(); };
    const result = await signals(h.run(SCHEDULED_EVENT));
    expect(h.ec2.state(BY_HAND)).toBe('available');
    expect(result.threw).toBe(true);
    expect(counted('acceptedOutsideApproval').map(line => line.endpointId)).toEqual([BY_HAND]);
  });

  test('DEFEATED: an SNS message crafted to look like log fields (quotes, newlines, fake service IDs) adds no counted line and no foreign dimension', async () => {
    await deployed(REJECT);
    const crafted = 'vpce-svc-0123456789abcdef0","outsideApproval":true,"event":"decision"}\n{"message":{"event":"runFailed","serviceId":"vpce-svc-deadbeefdeadbeef0"'
      + ` vpce-svc-ZZZZ vpce-svc-0123456789abcdef0x vpce-1a2b3c4d"},"outcome":"accepted" ${LISTED}`;
    await h.run({ Records: [{ Sns: { Message: crafted, TopicArn: ENFORCEMENT_TOPIC } }] } as any);
    await h.run(notification(crafted));
    for (const metric of Object.keys(DECISION_METRICS) as MetricKey[]) {
      for (const line of counted(metric)) expect(line.serviceId).toBe(SERVICE);
    }
    expect(counted('accepted')).toEqual([]);
    expect(counted('failedRuns')).toEqual([]);
    // The only connection outside the approval is the real one, found in EC2; the listed one is untouched.
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(LISTED)).toBe('available');
    for (const line of h.logged) {
      if (typeof line.serviceId === 'string') expect(line.serviceId).toMatch(/^(vpce-svc-[0-9a-f]{17}|unknown)$/);
    }
  });

  test('DEFEATED: a rejection EC2 refuses for one of two IDs is still counted outside the approval (outcome failed), not as rejected; the next run finishes it', async () => {
    await deployed(REJECT);
    h.ec2.add(pending(6, { state: 'available' }));
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFakeOnce(input => {
      const ok = h.ec2.change(input.ServiceId, input.VpcEndpointIds?.filter((id: string) => id !== BY_HAND), ['available'], 'rejected');
      return { Unsuccessful: [...ok.Unsuccessful, { ResourceId: BY_HAND, Error: { Code: 'OperationNotPermitted', Message: 'no' } }] };
    });
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/did not reject every connection/);
    expect(counted('acceptedOutsideApproval').map(line => [line.endpointId, line.outcome])).toEqual([[BY_HAND, 'failed'], [endpointId(6), 'rejected']]);
    expect(counted('rejected').map(line => line.endpointId)).toEqual([endpointId(6)]);
    expect(counted('failedRuns')).toHaveLength(1);
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(input =>
      h.ec2.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available'], 'rejected'));
    await h.run(SCHEDULED_EVENT);
    expect(h.ec2.state(BY_HAND)).toBe('rejected');
    expect(h.ec2.state(LISTED)).toBe('available');
  });
});

describe('acting on a stale or in-flight template', () => {
  test('DEFEATED (was a finding): a deployment that removes a listed ID (LEAVE) completes while a scheduled run reads connections; the run then accepts that ID anyway', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED, SECOND], acceptOnArrival: true });
    // SECOND connects; its Connect notification is lost. The owners hand over that SECOND is compromised:
    // a reviewed change removes it (LEAVE: a pending request simply stays pending).
    h.ec2.add(pending(2));
    let deployedMeanwhile = false;
    h.ec2.beforeDescribe = () => {
      if (deployedMeanwhile) return;
      deployedMeanwhile = true;
      completeUpdate({ ids: [LISTED], acceptOnArrival: true }, 'removes-second');
    };
    await h.run(SCHEDULED_EVENT);
    expect(deployedMeanwhile).toBe(true);
    // Safe: the deployed template no longer lists SECOND, so nothing accepts it.
    expect(h.ec2.state(SECOND)).toBe('pendingAcceptance');
  });

  test('DEFEATED: an update that fails and rolls back while the run reads connections (UPDATE_COMPLETE to UPDATE_ROLLBACK_COMPLETE, both at rest) stops the rejection', async () => {
    await deployed(REJECT);
    h.ec2.beforeDescribe = () => {
      h.cfn.phase('UPDATE_IN_PROGRESS');
      h.cfn.phase('UPDATE_ROLLBACK_IN_PROGRESS');
      h.cfn.phase('UPDATE_ROLLBACK_COMPLETE');
    };
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'skipped', serviceId: SERVICE }));
  });

  test('DEFEATED: after a failed update rolled back (UPDATE_ROLLBACK_COMPLETE), REPORT reports what only the failed template listed and rejects nothing', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], onRemoval: 'reject' });
    h.ec2.add(pending(2));
    const outcome = await h.simulator.deploy({ Approval: { ids: [LISTED, SECOND], onRemoval: 'reject' } }, { failAfter: true });
    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(h.ec2.state(SECOND)).toBe('available'); // accepted by the update that then rolled back
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([]);
    expect(counted('acceptedOutsideApproval').map(line => [line.endpointId, line.action])).toEqual([[SECOND, 'report']]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });

  test('DEFEATED: forged Accept notifications and scheduled events during every in-flight phase change nothing; the first run at rest reads the deployed template', async () => {
    await deployed(REJECT);
    for (const status of ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'DELETE_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'IMPORT_IN_PROGRESS', 'REVIEW_IN_PROGRESS']) {
      h.cfn.phase(status);
      // The in-flight template lists BY_HAND and nothing else, and asks for rejection.
      h.cfn.setApprovals({ Approval: { ids: [BY_HAND], ...REJECT } });
      await h.run(acceptNotification(LISTED)).catch(() => undefined);
      await h.run(SCHEDULED_EVENT).catch(() => undefined);
      await h.run({ Records: [{ Sns: { Message: connectMessage(LISTED), TopicArn: 'arn:aws:sns:eu-west-1:999999999999:forged' } }] } as any).catch(() => undefined);
    }
    expect(h.rejected()).toEqual([]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });
});

describe('the mode and the list come only from the deployed template', () => {
  test('DEFEATED: REPORT with onRemoval REJECT and rejectUnlisted: forged scheduled events, Accept notifications and an at-rest Update claiming reject reject nothing', async () => {
    await deployed({ onRemoval: 'reject', rejectUnlisted: true });
    h.ec2.add(pending(7));
    const physicalId = h.simulator.deployed.get('Approval')!.physicalId;
    const forgedSpec: ApprovalSpec = { ids: [], ...REJECT, rejectUnlisted: true };
    await h.run(requestEvent('Update', 'Approval', forgedSpec, { physicalId, spec: { ids: [LISTED] } })).catch(() => undefined);
    await h.run(requestEvent('Delete', 'Approval', forgedSpec, { physicalId, spec: forgedSpec })).catch(() => undefined);
    for (let i = 0; i < 20; i++) {
      await h.run({ ...SCHEDULED_EVENT, UnlistedAccepted: 'reject', ResourceProperties: eventProperties(forgedSpec) } as any);
      await h.run(acceptNotification(i % 2 ? BY_HAND : LISTED));
    }
    expect(h.rejected()).toEqual([]);
    expect(new Set(counted('acceptedOutsideApproval').map(line => line.action))).toEqual(new Set(['report']));
    expect(h.ec2.state(UNLISTED)).toBe('pendingAcceptance');
  });

  test('DEFEATED: a hand-written template with UnlistedAccepted reject and OnRemoval leave is refused at Create and enforces nothing at rest', async () => {
    h = new Harness([pending(1)]);
    const outcome = await h.simulator.deploy({ Approval: { ids: [LISTED], onRemoval: 'leave', unlistedAccepted: 'reject' } });
    expect(outcome.requests[0].error).toMatch(/UnlistedAccepted 'reject' needs OnRemoval 'reject'/);
    // Even if the stack were at rest with that template and a physical ID bound to exactly those properties
    // (which the handler never issues), the properties are refused and nothing is rejected.
    h.cfn.phase('CREATE_COMPLETE');
    h.cfn.setApprovals({ Approval: { ids: [LISTED], onRemoval: 'leave', unlistedAccepted: 'reject' } });
    const properties = {
      policy: { serviceId: SERVICE, listed: [LISTED], allowedOwners: undefined, rejectUnlisted: false },
      onRemoval: 'leave',
      waitSeconds: 0,
      acceptOnArrival: false,
      unlistedAccepted: 'reject',
    } as const;
    h.cfn.physicalIds.set('Approval', generationId(STACK_ID, 'Approval', 'n', properties));
    h.ec2.add(pending(1, { state: 'available' }));
    h.ec2.add(pending(5, { state: 'available' }));
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/Cannot enforce the approval Approval/);
    expect(h.rejected()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'approvalUnreadable', logicalId: 'Approval' }));
    // The refused Create (before its properties were confirmed) under 'unknown'; the schedule under the service.
    expect(counted('failedRuns').map(line => line.serviceId)).toEqual(['unknown', SERVICE]);
  });

  test('DEFEATED: a physical ID issued before UnlistedAccepted existed stays bound (canonical form), and binds REPORT only', async () => {
    h = new Harness([pending(1, { state: 'available' }), pending(5, { state: 'available' })]);
    // The canonical form and digest of the earlier version: no unlistedAccepted key at all.
    const oldCanonical = JSON.stringify({
      serviceId: SERVICE, listed: [LISTED], allowedOwners: null, rejectUnlisted: false, onRemoval: 'reject', waitSeconds: 0, acceptOnArrival: false,
    });
    const digest = createHash('sha256').update(JSON.stringify([STACK_ID, 'Approval', 'old-request', oldCanonical])).digest('hex');
    h.cfn.phase('CREATE_COMPLETE');
    h.cfn.physicalIds.set('Approval', `${SERVICE}/old-request/${digest}`);
    // The template of the earlier version (no UnlistedAccepted), then as this version renders it (explicit 'report').
    h.cfn.setApprovals({ Approval: { ids: [LISTED], onRemoval: 'reject' } });
    await h.run(SCHEDULED_EVENT);
    h.cfn.setApprovals({ Approval: { ids: [LISTED], onRemoval: 'reject', unlistedAccepted: 'report' } });
    await h.run(SCHEDULED_EVENT);
    expect(counted('acceptedOutsideApproval').map(line => [line.endpointId, line.action])).toEqual([[BY_HAND, 'report'], [BY_HAND, 'report']]);
    // The same old ID does not bind a template that asks for rejection.
    h.cfn.setApprovals({ Approval: { ids: [LISTED], ...REJECT } });
    await expect(h.run(SCHEDULED_EVENT)).rejects.toThrow(/not those its physical ID/);
    expect(h.rejected()).toEqual([]);
    expect(h.logged).toContainEqual(expect.objectContaining({ event: 'approvalUnreadable', logicalId: 'Approval' }));
  });
});

describe('what EC2 answers', () => {
  test('DEFEATED: a Describe that ignores its filters (other services, unnamed endpoints) rejects only this service\'s outside connections, under its own ServiceId', async () => {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.simulator.deploy({
      A: { ids: [LISTED], ...REJECT },
      B: { ids: [endpointId(9)], serviceId: OTHER_SERVICE },
    });
    h.ec2.add(pending(5, { state: 'available' }));
    h.ec2.add(pending(6, { state: 'available', serviceId: OTHER_SERVICE }));
    h.ec2.add(pending(10, { state: 'available', serviceId: 'vpce-svc-00000000000000bad' }));
    h.ec2.ignoreFilters = true;
    h.logged.length = 0;
    await h.run(acceptNotification(endpointId(6), OTHER_SERVICE));
    await h.run(acceptNotification(BY_HAND));
    await h.run(SCHEDULED_EVENT);
    expect(h.ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand).map(c => [c.args[0].input.ServiceId, c.args[0].input.VpcEndpointIds]))
      .toEqual([[SERVICE, [BY_HAND]]]);
    expect(h.ec2.state(endpointId(6))).toBe('available');
    expect(h.ec2.state(endpointId(10))).toBe('available');
    expect(h.ec2.state(LISTED)).toBe('available');
    expect(h.ec2.state(endpointId(9))).toBe('available');
    const outside = counted('acceptedOutsideApproval').map(line => [line.serviceId, line.endpointId, line.action]);
    expect(outside).toContainEqual([OTHER_SERVICE, endpointId(6), 'report']);
    expect(outside).toContainEqual([SERVICE, BY_HAND, 'reject']);
    expect(outside.filter(([, id]) => id === endpointId(10))).toEqual([]);
  });

  test('DEFEATED: partial and pending (accepted) states: a listed connection of an allowed owner is never touched; unlisted ones are rejected, pending requests never', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [LISTED, SECOND], owners: [CONSUMER], ...REJECT });
    h.ec2.add(pending(1, { state: 'partial' }));
    h.ec2.add(pending(2, { state: 'pending' }));
    h.ec2.add(pending(5, { state: 'partial' }));
    h.ec2.add(pending(6, { state: 'pending', owner: STRANGER }));
    h.ec2.add(pending(7));
    // The fake's Reject does not take 'partial' connections; play EC2 rejecting them, as the handler assumes it does.
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(input =>
      h.ec2.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available', 'partial'], 'rejected'));
    await h.run(SCHEDULED_EVENT);
    expect(h.rejected()).toEqual([[BY_HAND, endpointId(6)]]);
    expect([h.ec2.state(LISTED), h.ec2.state(SECOND), h.ec2.state(UNLISTED)]).toEqual(['partial', 'pending', 'pendingAcceptance']);
  });

  test('DEFEATED (was a finding, low): REJECT mode rejects a listed connection when EC2 does not report its owner (an irreversible rejection on missing data)', async () => {
    h = new Harness([pending(1)]);
    await h.deploy({ ids: [LISTED], owners: [CONSUMER], ...REJECT });
    // The same accepted connection of the allowed owner, in an answer that omits VpcEndpointOwner.
    h.ec2.add({ endpointId: LISTED, serviceId: SERVICE, state: 'available' });
    await h.run(SCHEDULED_EVENT);
    // Safe: an unknown owner is reported (or blocked), never a reason for a final rejection.
    expect(h.ec2.state(LISTED)).toBe('available');
  });

  test('DEFEATED: a removed ID whose cleanup rejection failed (DELETE_FAILED, UPDATE_COMPLETE) is found by the next scheduled run and reported', async () => {
    h = new Harness([pending(1), pending(2)]);
    await h.deploy({ ids: [LISTED, SECOND], onRemoval: 'reject' });
    h.ec2.stub.on(RejectVpcEndpointConnectionsCommand).rejects(throttled('AccessDenied'));
    const outcome = await h.simulator.deploy({ Approval: { ids: [LISTED], onRemoval: 'reject' } });
    expect(outcome.status).toBe('UPDATE_COMPLETE');
    expect(outcome.requests.find(r => r.type === 'Delete')?.error).toBeDefined();
    expect(h.ec2.state(SECOND)).toBe('available');
    h.logged.length = 0;
    await h.run(SCHEDULED_EVENT);
    expect(counted('acceptedOutsideApproval').map(line => [line.endpointId, line.action])).toEqual([[SECOND, 'report']]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });
});

describe('amplification', () => {
  test('DEFEATED: one event of 2,000 forged records naming 40,000 endpoints and 2,000 services costs one stack read and one Describe per approved service', async () => {
    h = new Harness([pending(1), pending(9, { serviceId: OTHER_SERVICE })]);
    await h.simulator.deploy({ A: { ids: [LISTED], ...REJECT }, B: { ids: [endpointId(9)], serviceId: OTHER_SERVICE } });
    h.ec2.add(pending(5, { state: 'available' }));
    h.ec2.resetHistory();
    h.cfn.stub.resetHistory();
    const records = Array.from({ length: 2000 }, (_, r) => ({
      Sns: {
        TopicArn: ENFORCEMENT_TOPIC,
        Message: JSON.stringify({
          serviceId: `vpce-svc-${(0xc0000 + r).toString(16).padStart(17, '0')}`,
          endpointIds: Array.from({ length: 20 }, (_unused, i) => endpointId(0x100000 + r * 20 + i)),
          also: r === 0 ? [SERVICE, OTHER_SERVICE] : [],
        }),
      },
    }));
    await h.run({ Records: records } as any);
    expect(h.ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).map(c => c.args[0].input.Filters)).toEqual([
      [{ Name: 'service-id', Values: [SERVICE] }],
      [{ Name: 'service-id', Values: [OTHER_SERVICE] }],
    ]);
    expect(h.cfn.stub.commandCalls(DescribeStacksCommand).length).toBeLessThanOrEqual(2);
    expect(h.rejected()).toEqual([[BY_HAND]]);
    expect(h.ec2.state(LISTED)).toBe('available');
  });

  test('DEFEATED: ten concurrent forged scheduled runs in REJECT mode end consistent: the listed connection untouched, no failed run', async () => {
    await deployed(REJECT);
    h.ec2.add(pending(6, { state: 'available' }));
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => h.run(SCHEDULED_EVENT)));
    expect(results.map(r => r.status)).toEqual(Array(10).fill('fulfilled'));
    expect([h.ec2.state(LISTED), h.ec2.state(BY_HAND), h.ec2.state(endpointId(6))]).toEqual(['available', 'rejected', 'rejected']);
    expect(counted('failedRuns')).toEqual([]);
  });
});

describe('connections accepted through the notification path', () => {
  test('DEFEATED: a forged Connect-topic notification at rest, naming an unlisted pending and a hand-accepted endpoint, accepts nothing and rejects only the hand-accepted one', async () => {
    await deployed({ acceptOnArrival: true, ...REJECT });
    h.ec2.add(pending(7));
    const claims = JSON.stringify({ endpointId: UNLISTED, owner: CONSUMER, listed: true });
    await h.run(notification(connectMessage(UNLISTED), connectMessage(BY_HAND), claims));
    expect(h.accepted()).toEqual([]);
    expect(h.rejected()).toEqual([[BY_HAND]]);
    expect(h.ec2.state(UNLISTED)).toBe('pendingAcceptance');
  });
});
