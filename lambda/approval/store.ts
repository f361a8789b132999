import { DeleteItemCommand, DynamoDBClient, PutItemCommand, paginateQuery } from '@aws-sdk/client-dynamodb';
import { ApprovalPolicy } from './decide';

/**
 * Where the late-arrival path finds the approved lists. The custom resource's properties are
 * the one source: the deploy-time path writes them here after each successful run and removes
 * them on delete; a notification only reads them. One item per approval resource, keyed by
 * the service ID and the approval's stack and logical ID.
 */
export class ApprovalStore {
  constructor(private readonly dynamodb: DynamoDBClient, private readonly tableName: string) {}

  async put(approvalId: string, policy: ApprovalPolicy): Promise<void> {
    await this.dynamodb.send(new PutItemCommand({
      TableName: this.tableName,
      Item: {
        ServiceId: { S: policy.serviceId },
        ApprovalId: { S: approvalId },
        Policy: { S: JSON.stringify(policy) },
      },
    }));
  }

  async delete(serviceId: string, approvalId: string): Promise<void> {
    await this.dynamodb.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { ServiceId: { S: serviceId }, ApprovalId: { S: approvalId } },
    }));
  }

  /** Every stored approval of the service, by approval ID. */
  async policiesOf(serviceId: string): Promise<Map<string, ApprovalPolicy>> {
    const policies = new Map<string, ApprovalPolicy>();
    const pages = paginateQuery({ client: this.dynamodb }, {
      TableName: this.tableName,
      KeyConditionExpression: 'ServiceId = :service',
      ExpressionAttributeValues: { ':service': { S: serviceId } },
      ConsistentRead: true,
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const approvalId = item.ApprovalId?.S;
        const policy = item.Policy?.S;
        if (approvalId && policy) policies.set(approvalId, JSON.parse(policy) as ApprovalPolicy);
      }
    }
    return policies;
  }
}

/** The IDs listed by the approvals of a service other than `approvalId`. */
export function listedByOthers(policies: ReadonlyMap<string, ApprovalPolicy>, approvalId: string): Set<string> {
  const ids = new Set<string>();
  for (const [id, policy] of policies) {
    if (id !== approvalId) policy.listed.forEach(endpointId => ids.add(endpointId));
  }
  return ids;
}
