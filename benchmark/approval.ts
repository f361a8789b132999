/**
 * The approval handler against a mocked EC2 API: one service with 5,000 pending connection
 * requests, 1,000 of them listed. Prints the calls per API next to the minimum the API
 * allows (1,000 connections per Describe page; one Accept call, which has no documented limit) and the handler
 * time, and exits with 1 if any API was called more often than that.
 * A Create never reads the stack status (only updates and deletes do), so CloudFormation is not called.
 * Run with `npx projen bench:approval`.
 */
import { performance } from 'perf_hooks';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { AcceptVpcEndpointConnectionsCommand, DescribeVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handle } from '../lambda/approval';
import { ApprovalStore } from '../lambda/approval/store';
import { FakeEc2, endpointId } from '../test/approval/fake-ec2';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const CONNECTIONS = 5000;
const LISTED = 1000;
const ROUNDS = 5;
/** DescribeVpcEndpointConnections returns at most 1,000 connections per page (API reference). */
const API_MAX_PAGE = 1000;

async function once(): Promise<{ ms: number; calls: Record<string, number> }> {
  const ec2 = new FakeEc2(Array.from({ length: CONNECTIONS }, (_, n) => ({
    endpointId: endpointId(n), serviceId: SERVICE, state: 'pendingAcceptance', owner: '222222222222',
  })));
  const dynamodb = mockClient(DynamoDBClient);
  dynamodb.on(QueryCommand).resolves({ Items: [] });
  dynamodb.on(PutItemCommand).resolves({});
  // Every fifth connection is listed, so the listed IDs are spread over all pages.
  const listed = Array.from({ length: LISTED }, (_, i) => endpointId(i * (CONNECTIONS / LISTED)));
  const info = console.info;
  console.info = () => undefined;
  const start = performance.now();
  try {
    await handle({
      RequestType: 'Create',
      ServiceToken: 'token',
      ResponseURL: 'https://example.invalid',
      RequestId: 'r',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Bench/guid',
      LogicalResourceId: 'Approval',
      ResourceType: 'Custom::VpcEndpointConnectionApproval',
      ResourceProperties: { ServiceToken: 'token', ServiceId: SERVICE, EndpointIds: listed, RejectUnlisted: 'false', OnRemoval: 'leave', WaitSeconds: '0' },
    }, {
      ec2: new EC2Client({ region: 'eu-west-1' }),
      cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
      store: new ApprovalStore(new DynamoDBClient({ region: 'eu-west-1' }), 'Approvals'),
      now: () => Date.now(),
      sleep: async () => undefined,
      pollIntervalMs: 0,
    }, () => 900_000);
  } finally {
    console.info = info;
  }
  const ms = performance.now() - start;
  const calls = {
    'DescribeVpcEndpointConnections': ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).length,
    'AcceptVpcEndpointConnections': ec2.stub.commandCalls(AcceptVpcEndpointConnectionsCommand).length,
    'RejectVpcEndpointConnections': ec2.stub.commandCalls(RejectVpcEndpointConnectionsCommand).length,
    'DynamoDB Query': dynamodb.commandCalls(QueryCommand).length,
    'DynamoDB PutItem': dynamodb.commandCalls(PutItemCommand).length,
  };
  const accepted = [...ec2.connections.values()].filter(c => c.state === 'available').length;
  if (accepted !== LISTED) throw new Error(`expected ${LISTED} accepted connections, got ${accepted}`);
  ec2.restore();
  dynamodb.restore();
  return { ms, calls };
}

async function main(): Promise<void> {
  const minimum: Record<string, number> = {
    'DescribeVpcEndpointConnections': Math.ceil(CONNECTIONS / API_MAX_PAGE),
    // The API reference gives no maximum number of IDs per call: one call is the minimum.
    'AcceptVpcEndpointConnections': 1,
    'RejectVpcEndpointConnections': 0,
    // By design: one read of the stored lists, one unconfirmed and one confirmed write.
    'DynamoDB Query': 1,
    'DynamoDB PutItem': 2,
  };
  const times: number[] = [];
  let calls: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const result = await once();
    times.push(result.ms);
    calls = result.calls;
  }
  times.sort((a, b) => a - b);
  console.log(`Approval handler: ${CONNECTIONS} pending connections, ${LISTED} listed, ${ROUNDS} rounds`);
  console.log(`Handler time: median ${times[Math.floor(ROUNDS / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)} ms, max ${times[ROUNDS - 1].toFixed(1)} ms)`);
  let excess = false;
  for (const [api, count] of Object.entries(calls)) {
    console.log(`${api.padEnd(32)} ${String(count).padStart(4)} calls (minimum ${minimum[api]})`);
    excess ||= count > minimum[api];
  }
  if (excess) {
    console.log('More calls than the minimum.');
    process.exitCode = 1;
  }
}

void main();
