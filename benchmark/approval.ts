/**
 * The approval handler against mocked EC2 and CloudFormation APIs: one service with 5,000
 * pending connection requests, 1,000 of them listed. Runs a Create as CloudFormation sends it,
 * prints the calls per API next to the minimum (EC2: 1,000 connections per Describe page, one
 * Accept call, which has no documented limit; CloudFormation: one read each of the stack, its
 * events page and its template, which the handler needs to confirm the request), the
 * CloudFormation calls of an update, its cleanup, a late-arrival notification and a scheduled
 * enforcement run (with its EC2 calls: every connection of the service, 100 of them accepted
 * outside the approval and rejected), and the handler time. Exits with 1 if any API was called
 * more often than its minimum.
 * Run with `npx projen bench:approval`.
 */
import { performance } from 'perf_hooks';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AcceptVpcEndpointConnectionsCommand, DescribeVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { handle } from '../lambda/approval';
import { Dependencies } from '../lambda/approval/approve';
import { requestEvent } from '../test/approval/cloudformation-simulator';
import { ApprovalSpec, FakeCloudFormation, SERVICE, STACK_ID } from '../test/approval/fake-cloudformation';
import { FakeEc2, endpointId } from '../test/approval/fake-ec2';
import { SCHEDULED_EVENT } from '../test/approval/handler-harness';

const CONNECTIONS = 5000;
const LISTED = 1000;
const ROUNDS = 5;
/** DescribeVpcEndpointConnections returns at most 1,000 connections per page (API reference). */
const API_MAX_PAGE = 1000;

const deps = (): Dependencies => ({
  ec2: new EC2Client({ region: 'eu-west-1' }),
  cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
  stackId: STACK_ID,
  now: () => Date.now(),
  sleep: async () => undefined,
  pollIntervalMs: 0,
});

interface Round {
  readonly ms: number;
  readonly create: Record<string, number>;
  readonly cloudformation: Record<string, Record<string, number>>;
  readonly schedule: Record<string, number>;
}

async function once(): Promise<Round> {
  const ec2 = new FakeEc2(Array.from({ length: CONNECTIONS }, (_, n) => ({
    endpointId: endpointId(n), serviceId: SERVICE, state: 'pendingAcceptance', owner: '222222222222',
  })));
  const cfn = new FakeCloudFormation();
  cfn.eventsPageSize = 100;
  // Every fifth connection is listed, so the listed IDs are spread over all pages.
  const listed = Array.from({ length: LISTED }, (_, i) => endpointId(i * (CONNECTIONS / LISTED)));
  const spec: ApprovalSpec = { ids: listed, acceptOnArrival: true };
  const info = console.info;
  console.info = () => undefined;
  try {
    cfn.phase('CREATE_IN_PROGRESS');
    cfn.setApprovals({ Approval: spec });
    cfn.resourceEvent('Approval', 'CREATE_IN_PROGRESS');
    const start = performance.now();
    const created = await handle(requestEvent('Create', 'Approval', spec), deps(), () => 900_000) as { PhysicalResourceId: string };
    const ms = performance.now() - start;
    const create = {
      DescribeVpcEndpointConnections: ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).length,
      AcceptVpcEndpointConnections: ec2.stub.commandCalls(AcceptVpcEndpointConnectionsCommand).length,
      RejectVpcEndpointConnections: ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand).length,
      ...prefixed(cfn.callCounts()),
    };
    const accepted = [...ec2.connections.values()].filter(c => c.state === 'available').length;
    if (accepted !== LISTED) throw new Error(`expected ${LISTED} accepted connections, got ${accepted}`);
    const cloudformation: Record<string, Record<string, number>> = { Create: cfn.callCounts() };
    cfn.physicalIds.set('Approval', created.PhysicalResourceId);

    const before = { physicalId: created.PhysicalResourceId, spec };
    const next: ApprovalSpec = { ...spec, ids: listed.slice(1), onRemoval: 'reject' };
    cfn.phase('CREATE_COMPLETE');
    cfn.phase('UPDATE_IN_PROGRESS');
    cfn.setApprovals({ Approval: next });
    cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', before.physicalId);
    cloudformation.Update = await counted(cfn, async () => {
      const updated = await handle(requestEvent('Update', 'Approval', next, before), deps(), () => 900_000) as { PhysicalResourceId: string };
      cfn.physicalIds.set('Approval', updated.PhysicalResourceId);
    });
    cfn.phase('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    cfn.resourceEvent('Approval', 'DELETE_IN_PROGRESS', before.physicalId);
    cloudformation['Delete (cleanup)'] = await counted(cfn, () => handle(requestEvent('Delete', 'Approval', spec, before), deps(), () => 900_000));
    cfn.phase('UPDATE_COMPLETE');
    const message = JSON.stringify({ serviceId: SERVICE, endpointId: listed[5], notificationType: 'Connect' });
    cloudformation.Notification = await counted(cfn, () => handle({ Records: [{ Sns: { Message: message } } as any] }, deps(), () => 900_000));

    // Enforcement needs an approval deployed with UnlistedAccepted 'reject'; 100 connections are accepted by hand.
    const enforcing: ApprovalSpec = { ...next, unlistedAccepted: 'reject' };
    cfn.phase('UPDATE_IN_PROGRESS');
    cfn.setApprovals({ Approval: enforcing });
    cfn.resourceEvent('Approval', 'UPDATE_IN_PROGRESS', cfn.physicalIds.get('Approval'));
    const previous = { physicalId: cfn.physicalIds.get('Approval')!, spec: next };
    const enforced = await handle(requestEvent('Update', 'Approval', enforcing, previous), deps(), () => 900_000) as { PhysicalResourceId: string };
    cfn.physicalIds.set('Approval', enforced.PhysicalResourceId);
    cfn.phase('UPDATE_COMPLETE');
    const byHand = [...ec2.connections.values()].filter(c => c.state === 'pendingAcceptance').slice(0, 100);
    byHand.forEach(c => ec2.add({ ...c, state: 'available' }));
    ec2.resetHistory();
    cloudformation.Schedule = await counted(cfn, () => handle(SCHEDULED_EVENT, deps(), () => 900_000));
    const schedule = {
      DescribeVpcEndpointConnections: ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).length,
      RejectVpcEndpointConnections: ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand).length,
    };
    const rejected = byHand.filter(c => ec2.state(c.endpointId) === 'rejected').length;
    if (rejected !== byHand.length) throw new Error(`expected ${byHand.length} connections rejected by enforcement, got ${rejected}`);
    return { ms, create, cloudformation, schedule };
  } finally {
    console.info = info;
    ec2.restore();
    cfn.restore();
  }
}

async function counted(cfn: FakeCloudFormation, run: () => Promise<unknown>): Promise<Record<string, number>> {
  cfn.stub.resetHistory();
  await run();
  return cfn.callCounts();
}

function prefixed(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([api, n]) => [`cloudformation:${api}`, n]));
}

async function main(): Promise<void> {
  const minimum: Record<string, number> = {
    'DescribeVpcEndpointConnections': Math.ceil(CONNECTIONS / API_MAX_PAGE),
    'AcceptVpcEndpointConnections': 1,
    'RejectVpcEndpointConnections': 0,
    // The status, one page of events (the resource's event is the newest), the template.
    'cloudformation:DescribeStacks': 1,
    'cloudformation:DescribeStackEvents': 1,
    'cloudformation:GetTemplate': 1,
  };
  const times: number[] = [];
  let last: Round | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    last = await once();
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  console.log(`Approval handler: ${CONNECTIONS} pending connections, ${LISTED} listed, ${ROUNDS} rounds`);
  console.log(`Create, handler time: median ${times[Math.floor(ROUNDS / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)} ms, max ${times[ROUNDS - 1].toFixed(1)} ms)`);
  let excess = false;
  for (const [api, count] of Object.entries(last!.create)) {
    console.log(`${api.padEnd(40)} ${String(count).padStart(4)} calls (minimum ${minimum[api] ?? 0})`);
    excess ||= count > (minimum[api] ?? 0);
  }
  console.log('CloudFormation calls per run:');
  for (const [run, counts] of Object.entries(last!.cloudformation)) {
    console.log(`  ${run.padEnd(18)} ${Object.entries(counts).map(([api, n]) => `${api} ${n}`).join(', ')}`);
  }
  const scheduleMinimum: Record<string, number> = {
    DescribeVpcEndpointConnections: Math.ceil(CONNECTIONS / API_MAX_PAGE),
    RejectVpcEndpointConnections: 1,
  };
  console.log('EC2 calls of a scheduled enforcement run:');
  for (const [api, count] of Object.entries(last!.schedule)) {
    console.log(`  ${api.padEnd(38)} ${String(count).padStart(4)} calls (minimum ${scheduleMinimum[api]})`);
    excess ||= count > scheduleMinimum[api];
  }
  if (excess) {
    console.log('More calls than the minimum.');
    process.exitCode = 1;
  }
}

void main();
