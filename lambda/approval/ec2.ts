import {
  AcceptVpcEndpointConnectionsCommand,
  EC2Client,
  EC2ClientConfig,
  Filter,
  RejectVpcEndpointConnectionsCommand,
  UnsuccessfulItem,
  paginateDescribeVpcEndpointConnections,
} from '@aws-sdk/client-ec2';
import { Connection } from './decide';
import { pagesOnce } from './pages';

/** The largest page DescribeVpcEndpointConnections returns. */
export const PAGE_SIZE = 1000;
/** Endpoint IDs per Accept/Reject call. */
export const BATCH_SIZE = 1000;

/** The SDK's standard retry strategy, for every client of the handler: exponential backoff, throttling retried. */
export const SDK_RETRY = { retryMode: 'standard', maxAttempts: 8 } as const;

/** An EC2 client whose standard retry strategy backs off and retries throttled calls. */
export function newEc2Client(config: EC2ClientConfig = {}): EC2Client {
  return new EC2Client({ ...SDK_RETRY, ...config });
}

/**
 * The connections of one endpoint service, filtered by the service ID on the server
 * (and by endpoint IDs when given), read page by page with the SDK paginator.
 */
export async function describeConnections(ec2: EC2Client, serviceId: string, endpointIds?: readonly string[]): Promise<Connection[]> {
  const filters: Filter[] = [{ Name: 'service-id', Values: [serviceId] }];
  if (endpointIds) filters.push({ Name: 'vpc-endpoint-id', Values: [...endpointIds] });
  const connections: Connection[] = [];
  const pages = paginateDescribeVpcEndpointConnections({ client: ec2, pageSize: PAGE_SIZE, stopOnSameToken: true }, { Filters: filters });
  for await (const page of pagesOnce(pages, `DescribeVpcEndpointConnections for ${serviceId}`)) {
    for (const item of page.VpcEndpointConnections ?? []) {
      if (!item.VpcEndpointId || !item.ServiceId) continue;
      connections.push({
        endpointId: item.VpcEndpointId,
        serviceId: item.ServiceId,
        state: item.VpcEndpointState ?? 'unknown',
        owner: item.VpcEndpointOwner,
      });
    }
  }
  return connections;
}

/** Stands for the endpoint ID of an `Unsuccessful` entry that names none. */
export const NO_RESOURCE_ID = '(no resource ID)';

/** An endpoint ID that Accept or Reject reported in `Unsuccessful`. */
export interface Failure {
  readonly endpointId: string;
  readonly code: string;
  readonly message: string;
}

/** Waits between retries of a call that IAM does not allow yet. */
export type Sleep = (milliseconds: number) => Promise<void>;

/**
 * A policy created just before the approval runs can take seconds to reach EC2, so a first
 * Accept or Reject may be refused; these are the waits before each new try.
 */
export const PERMISSION_RETRY_DELAYS_MS = [5_000, 10_000, 20_000, 30_000];

/** Accepts the IDs in as few calls as the batch size allows; returns every `Unsuccessful` entry. */
export function acceptConnections(ec2: EC2Client, serviceId: string, endpointIds: readonly string[], sleep: Sleep): Promise<Failure[]> {
  return changeConnections(ec2, AcceptVpcEndpointConnectionsCommand, serviceId, endpointIds, sleep);
}

/** Rejects the IDs in as few calls as the batch size allows; returns every `Unsuccessful` entry. */
export function rejectConnections(ec2: EC2Client, serviceId: string, endpointIds: readonly string[], sleep: Sleep): Promise<Failure[]> {
  return changeConnections(ec2, RejectVpcEndpointConnectionsCommand, serviceId, endpointIds, sleep);
}

type ChangeCommand = typeof AcceptVpcEndpointConnectionsCommand | typeof RejectVpcEndpointConnectionsCommand;

async function changeConnections(
  ec2: EC2Client, command: ChangeCommand, serviceId: string, endpointIds: readonly string[], sleep: Sleep,
): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const batch of batches(endpointIds)) {
    const response = await withPermissionRetry(() => ec2.send(new command({ ServiceId: serviceId, VpcEndpointIds: batch })), sleep);
    failures.push(...toFailures(response.Unsuccessful));
  }
  return failures;
}

export async function withPermissionRetry<T>(call: () => Promise<T>, sleep: Sleep): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if ((error as Error).name !== 'UnauthorizedOperation' || attempt >= PERMISSION_RETRY_DELAYS_MS.length) throw error;
      await sleep(PERMISSION_RETRY_DELAYS_MS[attempt]);
    }
  }
}

function batches(ids: readonly string[]): string[][] {
  const result: string[][] = [];
  for (let start = 0; start < ids.length; start += BATCH_SIZE) result.push(ids.slice(start, start + BATCH_SIZE));
  return result;
}

function toFailures(items: UnsuccessfulItem[] | undefined): Failure[] {
  return (items ?? []).map(item => ({
    endpointId: item.ResourceId ?? NO_RESOURCE_ID,
    code: item.Error?.Code ?? '(no code)',
    message: item.Error?.Message ?? '',
  }));
}
