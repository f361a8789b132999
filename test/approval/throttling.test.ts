import { Readable } from 'stream';
import { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { acceptConnections, describeConnections, newEc2Client } from '../../lambda/approval/ec2';

// aws-sdk-client-mock replaces `send`, which skips the SDK's retry middleware; these tests
// answer at the HTTP layer instead, so the handler's real client configuration retries.
const THROTTLED = '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>'
  + '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>';
const ACCEPTED = '<AcceptVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
  + '<requestId>r</requestId><unsuccessful/></AcceptVpcEndpointConnectionsResponse>';
const DESCRIBED = '<DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>'
  + '<vpcEndpointConnectionSet><item><vpcEndpointId>vpce-0123456789abcdef0</vpcEndpointId><serviceId>vpce-svc-0123456789abcdef0</serviceId>'
  + '<vpcEndpointState>pendingAcceptance</vpcEndpointState><vpcEndpointOwner>222222222222</vpcEndpointOwner></item></vpcEndpointConnectionSet>'
  + '</DescribeVpcEndpointConnectionsResponse>';

function clientAnswering(...answers: Array<[number, string]>) {
  const requests: HttpRequest[] = [];
  const client = newEc2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        requests.push(request);
        const [statusCode, body] = answers[Math.min(requests.length, answers.length) - 1];
        return { response: new HttpResponse({ statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) }) };
      },
    },
  });
  return { client, requests };
}

test('Accept is retried after throttling and then succeeds', async () => {
  const { client, requests } = clientAnswering([503, THROTTLED], [503, THROTTLED], [200, ACCEPTED]);
  await expect(acceptConnections(client, 'vpce-svc-0123456789abcdef0', ['vpce-0123456789abcdef0'], async () => undefined)).resolves.toEqual([]);
  expect(requests).toHaveLength(3);
});

test('Describe is retried after throttling and then succeeds', async () => {
  const { client, requests } = clientAnswering([503, THROTTLED], [200, DESCRIBED]);
  await expect(describeConnections(client, 'vpce-svc-0123456789abcdef0')).resolves.toEqual([{
    endpointId: 'vpce-0123456789abcdef0', serviceId: 'vpce-svc-0123456789abcdef0', state: 'pendingAcceptance', owner: '222222222222',
  }]);
  expect(requests).toHaveLength(2);
});

test('the handler client uses the standard retry strategy with 8 attempts', async () => {
  const client = newEc2Client({ region: 'eu-west-1' });
  expect(await client.config.maxAttempts()).toBe(8);
  expect(client.config.retryMode).toBe('standard');
});
