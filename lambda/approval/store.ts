import { AttributeValue, DeleteItemCommand, DynamoDBClient, PutItemCommand, paginateQuery } from '@aws-sdk/client-dynamodb';
import { ApprovalPolicy, RemovalAction } from './decide';

/** One generation (physical ID) of an approval resource, as the handler remembers it. */
export interface Generation {
  readonly physicalId: string;
  readonly policy: ApprovalPolicy;
  readonly onRemoval: RemovalAction;
  /** Whether listed endpoints that connect later are accepted (the late-arrival path). */
  readonly acceptOnArrival: boolean;
}

/** What the store holds for one approval resource. */
export interface StoredApproval {
  readonly current: Generation;
  /** The generation that `current` replaced, until CloudFormation deletes it (or rolls back to it). */
  readonly previous?: Generation;
  /** Set while a run is in progress: an unconfirmed item is ignored after this time (epoch seconds). */
  readonly expiresAt?: number;
}

/**
 * A copy of the approvals' properties, for the paths that CloudFormation does not hand them
 * to: late arrivals (SNS), and deletes that must know what a newer generation still lists.
 * The custom resource's properties stay the one source: the deploy-time path writes them
 * here and removes them; one item per approval resource, keyed by service ID and approval ID
 * (stack and logical ID).
 */
export class ApprovalStore {
  constructor(private readonly dynamodb: DynamoDBClient, private readonly tableName: string) {}

  async put(approvalId: string, approval: StoredApproval): Promise<void> {
    const item: Record<string, AttributeValue> = {
      ServiceId: { S: approval.current.policy.serviceId },
      ApprovalId: { S: approvalId },
      Current: { S: JSON.stringify(approval.current) },
    };
    if (approval.previous) item.Previous = { S: JSON.stringify(approval.previous) };
    if (approval.expiresAt !== undefined) item.ExpiresAt = { N: String(approval.expiresAt) };
    await this.dynamodb.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
  }

  async delete(serviceId: string, approvalId: string): Promise<void> {
    await this.dynamodb.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { ServiceId: { S: serviceId }, ApprovalId: { S: approvalId } },
    }));
  }

  /** Every stored approval of the service, by approval ID, without those expired at `nowSeconds`. */
  async approvalsOf(serviceId: string, nowSeconds: number): Promise<Map<string, StoredApproval>> {
    const approvals = new Map<string, StoredApproval>();
    const pages = paginateQuery({ client: this.dynamodb }, {
      TableName: this.tableName,
      KeyConditionExpression: 'ServiceId = :service',
      ExpressionAttributeValues: { ':service': { S: serviceId } },
      ConsistentRead: true,
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const approvalId = item.ApprovalId?.S;
        const current = item.Current?.S;
        if (!approvalId || !current) continue;
        const expiresAt = item.ExpiresAt?.N === undefined ? undefined : Number(item.ExpiresAt.N);
        if (expiresAt !== undefined && expiresAt < nowSeconds) continue;
        approvals.set(approvalId, {
          current: JSON.parse(current) as Generation,
          previous: item.Previous?.S ? JSON.parse(item.Previous.S) as Generation : undefined,
          expiresAt,
        });
      }
    }
    return approvals;
  }
}

/** The IDs listed by the approvals of a service other than `approvalId`. */
export function listedByOthers(approvals: ReadonlyMap<string, StoredApproval>, approvalId: string): Set<string> {
  const ids = new Set<string>();
  for (const [id, approval] of approvals) {
    if (id !== approvalId) approval.current.policy.listed.forEach(endpointId => ids.add(endpointId));
  }
  return ids;
}
