import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { FakeCloudFormation, STACK_ID } from './fake-cloudformation';
import { FakeEc2, endpointId } from './fake-ec2';
import { describeConnections } from '../../lambda/approval/ec2';
import { MAX_PAGES } from '../../lambda/approval/pages';
import { StackReader } from '../../lambda/approval/stack';

const SERVICE = 'vpce-svc-0123456789abcdef0';

describe('DescribeVpcEndpointConnections pagination fails closed (finding 5)', () => {
  let ec2: FakeEc2;
  beforeEach(() => { ec2 = new FakeEc2(); });
  afterEach(() => ec2.restore());

  function answerWithTokens(next: (call: number) => string | undefined) {
    let call = 0;
    ec2.stub.on(DescribeVpcEndpointConnectionsCommand).callsFake(() => ({
      VpcEndpointConnections: [{ VpcEndpointId: endpointId(call), ServiceId: SERVICE, VpcEndpointState: 'pendingAcceptance' }],
      NextToken: next(call++),
    }));
  }

  test.each([
    ['repeats the same NextToken', () => 'same'],
    ['cycles through two tokens', (call: number) => (call % 2 === 0 ? 'a' : 'b')],
    ['cycles after a while', (call: number) => ['t1', 't2', 't3', 't4', 't2'][call]],
  ])('stops with a clear error when the API %s', async (_name, next) => {
    answerWithTokens(next);
    await expect(describeConnections(new EC2Client({ region: 'eu-west-1' }), SERVICE)).rejects.toThrow(/a second time after \d+ pages: the API is looping/);
    expect(ec2.stub.commandCalls(DescribeVpcEndpointConnectionsCommand).length).toBeLessThanOrEqual(6);
  });

  test('stops after the page limit on an API that never ends', async () => {
    answerWithTokens(call => `t${call}`);
    await expect(describeConnections(new EC2Client({ region: 'eu-west-1' }), SERVICE)).rejects.toThrow(`more than ${MAX_PAGES} pages`);
  });

  test('reads distinct tokens to the end', async () => {
    answerWithTokens(call => (call < 3 ? `t${call}` : undefined));
    await expect(describeConnections(new EC2Client({ region: 'eu-west-1' }), SERVICE)).resolves.toHaveLength(4);
  });
});

test('stack events that loop fail closed as well', async () => {
  const cfn = new FakeCloudFormation();
  try {
    for (let i = 0; i < 10; i++) cfn.resourceEvent(`R${i}`, 'UPDATE_COMPLETE');
    cfn.eventsNextToken = page => (page % 2 === 0 ? 'x' : 'y');
    const reader = new StackReader(new CloudFormationClient({ region: 'eu-west-1' }), STACK_ID);
    await expect(reader.currentPhaseEvents()).rejects.toThrow('DescribeStackEvents');
  } finally {
    cfn.restore();
  }
});
