import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  Parameter,
  ResourceStatus,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { Template } from '../../lambda/approval/stack';

export const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Provider/0a1b2c3d-guid';
export const STACK_NAME = 'Provider';
export const APPROVAL_TYPE = 'Custom::VpcEndpointConnectionApproval';

/** An approval as a test writes it. */
export interface ApprovalSpec {
  readonly ids: readonly unknown[];
  readonly owners?: readonly unknown[];
  readonly rejectUnlisted?: boolean;
  readonly onRemoval?: 'reject' | 'leave';
  readonly waitSeconds?: number;
  readonly acceptOnArrival?: boolean;
  readonly unlistedAccepted?: 'report' | 'reject';
  readonly serviceId?: unknown;
}

export const SERVICE = 'vpce-svc-0123456789abcdef0';
export const OTHER_SERVICE = 'vpce-svc-0fedcba9876543210';

/** The properties as the template holds them: JSON booleans and numbers, intrinsics where the spec has them. */
export function templateProperties(spec: ApprovalSpec): Record<string, unknown> {
  return {
    ServiceToken: { 'Fn::GetAtt': ['ProviderframeworkonEvent', 'Arn'] },
    ServiceId: spec.serviceId ?? SERVICE,
    EndpointIds: spec.ids,
    ...(spec.owners ? { AllowedOwners: spec.owners } : {}),
    RejectUnlisted: spec.rejectUnlisted ?? false,
    OnRemoval: spec.onRemoval ?? 'leave',
    WaitSeconds: spec.waitSeconds ?? 0,
    AcceptOnArrival: spec.acceptOnArrival ?? false,
    ...(spec.unlistedAccepted ? { UnlistedAccepted: spec.unlistedAccepted } : {}),
  };
}

/** The properties as CloudFormation sends them to the function: every scalar a string (literal specs only). */
export function eventProperties(spec: ApprovalSpec): Record<string, unknown> {
  const stringify = (value: unknown): unknown => Array.isArray(value) ? value.map(stringify)
    : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringify(v)]))
      : String(value);
  const props = templateProperties(spec);
  return { ...stringify(props) as Record<string, unknown>, ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework' };
}

/**
 * A stateful stand-in for the CloudFormation reads of the approval handler, on top of
 * aws-sdk-client-mock: the stack's status and parameters, its template, its resources'
 * physical IDs, the Region's exports, and its events, newest first, paged.
 */
export class FakeCloudFormation {
  public readonly stub: AwsStub<any, any, any>;
  public status = 'CREATE_IN_PROGRESS';
  /** DescribeStacks' `LastUpdatedTime`: set when an update starts. */
  public lastUpdated?: Date;
  public template: Template = { Resources: {} };
  public parameters: Parameter[] = [];
  public readonly physicalIds = new Map<string, string>();
  public readonly exports = new Map<string, string>();
  /** Newest first, as DescribeStackEvents returns them. */
  public events: StackEvent[] = [];
  public eventsPageSize = 4;
  /** When set, answers DescribeStacks with this error. */
  public describeStacksError?: Error;
  /** Replaces the NextToken of every events page (to play an API that loops). */
  public eventsNextToken?: (page: number) => string | undefined;
  private eventCount = 0;

  constructor() {
    this.stub = mockClient(CloudFormationClient);
    this.stub.on(DescribeStacksCommand).callsFake(() => {
      if (this.describeStacksError) throw this.describeStacksError;
      const stack = {
        StackId: STACK_ID,
        StackName: STACK_NAME,
        StackStatus: this.status,
        Parameters: this.parameters,
        CreationTime: new Date(0),
        LastUpdatedTime: this.lastUpdated,
      };
      return { Stacks: [stack] };
    });
    this.stub.on(GetTemplateCommand).callsFake(() => ({ TemplateBody: JSON.stringify(this.template) }));
    this.stub.on(ListStackResourcesCommand).callsFake(() => ({
      StackResourceSummaries: [...this.physicalIds].map(([LogicalResourceId, PhysicalResourceId]) => ({
        LogicalResourceId,
        PhysicalResourceId,
        ResourceType: this.template.Resources?.[LogicalResourceId]?.Type ?? 'AWS::EC2::VPCEndpoint',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(0),
      })),
    }));
    this.stub.on(ListExportsCommand).callsFake(() => ({ Exports: [...this.exports].map(([Name, Value]) => ({ Name, Value })) }));
    this.stub.on(DescribeStackEventsCommand).callsFake(input => {
      const start = Number(input.NextToken ?? 0);
      const page = this.events.slice(start, start + this.eventsPageSize);
      const pageNumber = start / this.eventsPageSize;
      const next = this.eventsNextToken ? this.eventsNextToken(pageNumber)
        : start + this.eventsPageSize < this.events.length ? String(start + this.eventsPageSize) : undefined;
      return { StackEvents: page, NextToken: next };
    });
  }

  /** Starts a phase of the stack: its status, and the stack's own event. */
  public phase(status: string): void {
    this.status = status;
    if (status === 'UPDATE_IN_PROGRESS') this.lastUpdated = new Date(this.eventCount + 1);
    this.events.unshift({
      StackId: STACK_ID,
      StackName: STACK_NAME,
      EventId: `e${++this.eventCount}`,
      LogicalResourceId: STACK_NAME,
      PhysicalResourceId: STACK_ID,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: status as ResourceStatus,
      Timestamp: new Date(this.eventCount),
    });
  }

  /** Records an event of a resource of the stack. */
  public resourceEvent(logicalId: string, status: string, physicalId = '', type = APPROVAL_TYPE): void {
    this.events.unshift({
      StackId: STACK_ID,
      StackName: STACK_NAME,
      EventId: `e${++this.eventCount}`,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      ResourceStatus: status as ResourceStatus,
      Timestamp: new Date(this.eventCount),
    });
  }

  /** Sets the template's approvals (and keeps its other resources). */
  public setApprovals(approvals: Record<string, ApprovalSpec>): void {
    const others = Object.entries(this.template.Resources ?? {}).filter(([, resource]) => resource.Type !== APPROVAL_TYPE);
    this.template = {
      ...this.template,
      Resources: {
        ...Object.fromEntries(others),
        ...Object.fromEntries(Object.entries(approvals).map(([id, spec]) => [id, { Type: APPROVAL_TYPE, Properties: templateProperties(spec) }])),
      },
    };
  }

  public approvalsInTemplate(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(Object.entries(this.template.Resources ?? {})
      .filter(([, resource]) => resource.Type === APPROVAL_TYPE).map(([id, resource]) => [id, resource.Properties ?? {}]));
  }

  public callCounts(): Record<string, number> {
    return callCounts(this.stub);
  }

  public restore(): void {
    this.stub.restore();
  }
}

/** How often each command was sent to a mocked client, by command name without `Command`. */
export function callCounts(stub: AwsStub<any, any, any>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of stub.calls()) {
    const name = (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
