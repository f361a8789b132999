import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommandInput,
  EC2Client,
  RejectVpcEndpointConnectionsCommand,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { Connection } from '../../lambda/approval/decide';

type Ec2Stub = AwsStub<any, any, any>;

/**
 * A stateful stand-in for the EC2 connection APIs, on top of aws-sdk-client-mock: Describe
 * filters and pages like EC2 (at most 1,000 per page), Accept and Reject change states and
 * report `Unsuccessful` for IDs they cannot change.
 */
export class FakeEc2 {
  public readonly stub: Ec2Stub;
  public readonly connections = new Map<string, Connection>();
  /** When set, Describe ignores its filters, as a misbehaving API might. */
  public ignoreFilters = false;
  /** Runs before each Describe answers, to change the world between calls. */
  public beforeDescribe?: () => void;
  private readonly describeInputs: DescribeVpcEndpointConnectionsCommandInput[] = [];

  constructor(connections: Connection[] = []) {
    connections.forEach(c => this.add(c));
    this.stub = mockClient(EC2Client);
    this.stub.on(DescribeVpcEndpointConnectionsCommand).callsFake(input => this.describe(input));
    this.stub.on(AcceptVpcEndpointConnectionsCommand).callsFake(input =>
      this.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance'], 'available'));
    this.stub.on(RejectVpcEndpointConnectionsCommand).callsFake(input =>
      this.change(input.ServiceId, input.VpcEndpointIds, ['pendingAcceptance', 'pending', 'available'], 'rejected'));
  }

  public add(connection: Connection): void {
    this.connections.set(connection.endpointId, connection);
  }

  public state(id: string): string | undefined {
    return this.connections.get(id)?.state;
  }

  /** The endpoint IDs sent to each Accept (or Reject) call. */
  public calls(command: typeof AcceptVpcEndpointConnectionsCommand | typeof RejectVpcEndpointConnectionsCommand): string[][] {
    return this.stub.commandCalls(command).map(call => call.args[0].input.VpcEndpointIds ?? []);
  }

  /** Copies of each Describe input as sent (the SDK paginator reuses one input object). */
  public describeCalls(): DescribeVpcEndpointConnectionsCommandInput[] {
    return [...this.describeInputs];
  }

  public resetHistory(): void {
    this.stub.resetHistory();
    this.describeInputs.length = 0;
  }

  public restore(): void {
    this.stub.restore();
  }

  private describe(input: DescribeVpcEndpointConnectionsCommandInput) {
    this.describeInputs.push(structuredClone(input));
    this.beforeDescribe?.();
    const filter = (name: string) => input.Filters?.find(f => f.Name === name)?.Values;
    const services = filter('service-id');
    const ids = filter('vpc-endpoint-id');
    const matching = [...this.connections.values()].filter(c => this.ignoreFilters
      || ((!services || services.includes(c.serviceId)) && (!ids || ids.includes(c.endpointId))));
    const pageSize = Math.min(input.MaxResults ?? 1000, 1000);
    const start = Number(input.NextToken ?? 0);
    const page = matching.slice(start, start + pageSize);
    const next = start + pageSize < matching.length ? String(start + pageSize) : undefined;
    return {
      VpcEndpointConnections: page.map(c => ({
        VpcEndpointId: c.endpointId,
        ServiceId: c.serviceId,
        VpcEndpointState: c.state,
        VpcEndpointOwner: c.owner,
      })),
      NextToken: next,
    };
  }

  public change(serviceId: string | undefined, endpointIds: string[] | undefined, from: string[], to: string) {
    const unsuccessful: UnsuccessfulItem[] = [];
    for (const id of endpointIds ?? []) {
      const connection = this.connections.get(id);
      if (!connection || connection.serviceId !== serviceId) {
        unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'not found' } });
      } else if (!from.includes(connection.state)) {
        unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidState', Message: `state is ${connection.state}` } });
      } else {
        this.connections.set(id, { ...connection, state: to });
      }
    }
    return { Unsuccessful: unsuccessful };
  }
}

/** A valid 17-hex-digit endpoint ID made from a number. */
export function endpointId(n: number): string {
  return `vpce-${n.toString(16).padStart(17, '0')}`;
}
