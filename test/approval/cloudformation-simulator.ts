import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ApprovalSpec, FakeCloudFormation, STACK_ID, eventProperties } from './fake-cloudformation';

type Invoke = (event: CloudFormationCustomResourceEvent) => Promise<{ PhysicalResourceId: string } | void>;

/** What happened to one request that CloudFormation sent. */
export interface SentRequest {
  readonly type: 'Create' | 'Update' | 'Delete';
  readonly logicalId: string;
  readonly stackStatus: string;
  readonly error?: string;
}

export interface Outcome {
  /** The stack's status at the end. */
  readonly status: string;
  readonly requests: SentRequest[];
}

export interface DeployOptions {
  readonly failAfter?: boolean;
  readonly beforeCleanup?: () => void | Promise<void>;
}

interface Deployed {
  readonly physicalId: string;
  readonly spec: ApprovalSpec;
}

let requestCount = 0;

/**
 * Plays CloudFormation for a stack of approvals with literal properties, the way its
 * documentation describes custom resources: it writes the stack's and the resource's
 * `*_IN_PROGRESS` events before it sends a request, sends Create, Update and Delete to the
 * handler, deletes replaced generations in the cleanup after a successful update, and rolls
 * back (an update with the old properties for a resource whose update failed; deletes of new
 * generations in the rollback cleanup) when a request fails. `GetTemplate` returns the new
 * template from the start of an update, and the old one again once the rollback starts.
 */
export class CloudFormationSimulator {
  public readonly deployed = new Map<string, Deployed>();
  private specs: Record<string, ApprovalSpec> = {};

  constructor(private readonly cfn: FakeCloudFormation, private readonly invoke: Invoke) {}

  /**
   * Creates the stack, or updates it to these approvals; `failAfter` fails the update after the
   * approvals (as another resource would), `beforeCleanup` runs when the cleanup starts.
   */
  async deploy(approvals: Record<string, ApprovalSpec>, options: DeployOptions = {}): Promise<Outcome> {
    const creating = this.deployed.size === 0 && Object.keys(this.specs).length === 0;
    const old = this.specs;
    const requests: SentRequest[] = [];
    this.cfn.phase(creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    this.cfn.setApprovals(approvals);
    this.specs = approvals;
    const replaced: Array<[string, Deployed]> = [];
    const created: string[] = [];
    const updatedInPlace: Array<[string, Deployed]> = [];
    let failed = false;
    for (const [logicalId, spec] of Object.entries(approvals)) {
      const before = this.deployed.get(logicalId);
      if (before && JSON.stringify(before.spec) === JSON.stringify(spec)) continue;
      const type = before ? 'Update' : 'Create';
      this.cfn.resourceEvent(logicalId, `${type.toUpperCase()}_IN_PROGRESS`, before?.physicalId ?? '');
      const result = await this.send(requests, type, logicalId, spec, before);
      if (result === undefined) {
        this.cfn.resourceEvent(logicalId, `${type.toUpperCase()}_FAILED`, before?.physicalId ?? '');
        failed = true;
        break;
      }
      this.cfn.resourceEvent(logicalId, `${type.toUpperCase()}_COMPLETE`, result);
      this.cfn.physicalIds.set(logicalId, result);
      const now = { physicalId: result, spec };
      if (before && before.physicalId !== result) replaced.push([logicalId, before]);
      if (before && before.physicalId === result) updatedInPlace.push([logicalId, before]);
      if (!before) created.push(logicalId);
      this.deployed.set(logicalId, now);
    }
    if (failed || options.failAfter) return this.rollBack(creating, old, requests, replaced, created, updatedInPlace);

    if (creating) {
      this.cfn.phase('CREATE_COMPLETE');
      return { status: this.cfn.status, requests };
    }
    this.cfn.phase('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    await options.beforeCleanup?.();
    const removed = [...this.deployed].filter(([logicalId]) => !(logicalId in approvals));
    for (const [logicalId, generation] of [...replaced, ...removed]) {
      this.cfn.resourceEvent(logicalId, 'DELETE_IN_PROGRESS', generation.physicalId);
      const ok = await this.send(requests, 'Delete', logicalId, generation.spec, generation);
      this.cfn.resourceEvent(logicalId, ok === undefined ? 'DELETE_FAILED' : 'DELETE_COMPLETE', generation.physicalId);
      if (!(logicalId in approvals)) {
        this.deployed.delete(logicalId);
        this.cfn.physicalIds.delete(logicalId);
      }
    }
    this.cfn.phase('UPDATE_COMPLETE');
    return { status: this.cfn.status, requests };
  }

  async deleteStack(): Promise<Outcome> {
    const requests: SentRequest[] = [];
    this.cfn.phase('DELETE_IN_PROGRESS');
    for (const [logicalId, generation] of [...this.deployed].reverse()) {
      this.cfn.resourceEvent(logicalId, 'DELETE_IN_PROGRESS', generation.physicalId);
      const ok = await this.send(requests, 'Delete', logicalId, generation.spec, generation);
      this.cfn.resourceEvent(logicalId, ok === undefined ? 'DELETE_FAILED' : 'DELETE_COMPLETE', generation.physicalId);
      if (ok === undefined) {
        this.cfn.phase('DELETE_FAILED');
        return { status: this.cfn.status, requests };
      }
      this.deployed.delete(logicalId);
    }
    this.cfn.phase('DELETE_COMPLETE');
    return { status: this.cfn.status, requests };
  }

  private async rollBack(creating: boolean, old: Record<string, ApprovalSpec>, requests: SentRequest[],
    replaced: Array<[string, Deployed]>, created: string[], updatedInPlace: Array<[string, Deployed]>): Promise<Outcome> {
    this.cfn.phase(creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS');
    this.cfn.setApprovals(old);
    this.specs = old;
    const failedUpdate = requests.find(r => r.error && r.type === 'Update');
    for (const [logicalId, before] of updatedInPlace) await this.putBack(requests, logicalId, before);
    if (failedUpdate) await this.putBack(requests, failedUpdate.logicalId, this.deployed.get(failedUpdate.logicalId)!);
    if (!creating) this.cfn.phase('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    for (const [logicalId, previous] of replaced) {
      const current = this.deployed.get(logicalId)!;
      this.cfn.resourceEvent(logicalId, 'DELETE_IN_PROGRESS', current.physicalId);
      await this.send(requests, 'Delete', logicalId, current.spec, current);
      this.cfn.resourceEvent(logicalId, 'DELETE_COMPLETE', current.physicalId);
      this.deployed.set(logicalId, previous);
      this.cfn.physicalIds.set(logicalId, previous.physicalId);
    }
    for (const logicalId of created) {
      const current = this.deployed.get(logicalId)!;
      this.cfn.resourceEvent(logicalId, 'DELETE_IN_PROGRESS', current.physicalId);
      await this.send(requests, 'Delete', logicalId, current.spec, current);
      this.cfn.resourceEvent(logicalId, 'DELETE_COMPLETE', current.physicalId);
      this.deployed.delete(logicalId);
      this.cfn.physicalIds.delete(logicalId);
    }
    this.cfn.phase(creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE');
    return { status: this.cfn.status, requests };
  }

  /** The update CloudFormation sends to put a resource back: the old properties, the same physical ID. */
  private async putBack(requests: SentRequest[], logicalId: string, generation: Deployed): Promise<void> {
    const spec = generation.spec;
    this.cfn.resourceEvent(logicalId, 'UPDATE_IN_PROGRESS', generation.physicalId);
    await this.send(requests, 'Update', logicalId, spec, generation);
    this.cfn.resourceEvent(logicalId, 'UPDATE_COMPLETE', generation.physicalId);
    this.deployed.set(logicalId, generation);
  }

  private async send(requests: SentRequest[], type: 'Create' | 'Update' | 'Delete', logicalId: string, spec: ApprovalSpec,
    before?: Deployed): Promise<string | undefined> {
    const event = requestEvent(type, logicalId, spec, before);
    try {
      const response = await this.invoke(event);
      requests.push({ type, logicalId, stackStatus: this.cfn.status });
      return response ? response.PhysicalResourceId : before?.physicalId;
    } catch (error) {
      requests.push({ type, logicalId, stackStatus: this.cfn.status, error: (error as Error).message });
      return undefined;
    }
  }
}

/** A request as CloudFormation sends it (through the provider framework) for an approval of the stack. */
export function requestEvent(type: 'Create' | 'Update' | 'Delete', logicalId: string, spec: ApprovalSpec,
  before?: { physicalId: string; spec: ApprovalSpec }, stackId = STACK_ID): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework',
    ResponseURL: 'https://example.invalid/response',
    StackId: stackId,
    RequestId: `0000${++requestCount}-1111-2222-3333-444455556666`,
    LogicalResourceId: logicalId,
    ResourceType: 'Custom::VpcEndpointConnectionApproval',
    ResourceProperties: eventProperties(spec) as any,
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') {
    return { ...common, RequestType: 'Update', PhysicalResourceId: before!.physicalId, OldResourceProperties: eventProperties(before!.spec) as any };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: before!.physicalId };
}
