import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  Stack,
  StackEvent,
  paginateDescribeStackEvents,
  paginateListExports,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { pagesOnce } from './pages';

/** What the handler reads of a stack's template: only what it resolves and looks up. */
export interface Template {
  readonly Parameters?: Record<string, { readonly Type?: string }>;
  readonly Resources?: Record<string, TemplateResource>;
}

export interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: unknown;
}

/** The parts of a stack's ARN. */
export interface StackArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const STACK_ARN = /^arn:([a-z0-9-]+):cloudformation:([a-z0-9-]+):(\d{12}):stack\/([A-Za-z][A-Za-z0-9-]*)\/[A-Za-z0-9-]+$/;

/** Reads a stack ARN; `undefined` when `stackId` is not one. */
export function parseStackArn(stackId: string): StackArn | undefined {
  const match = STACK_ARN.exec(stackId);
  return match ? { partition: match[1], region: match[2], account: match[3], name: match[4] } : undefined;
}

/**
 * What CloudFormation holds for the handler's own stack, read once per run and only when
 * needed: its status and parameters, its template, its resources' physical IDs and the
 * Region's exports. Nobody but CloudFormation writes any of these.
 */
export class StackReader {
  private stack?: Promise<Stack>;
  private template?: Promise<Template>;
  private physicalIds?: Promise<Map<string, string>>;
  private exports?: Promise<Map<string, string>>;

  constructor(private readonly cloudformation: CloudFormationClient, public readonly stackId: string) {}

  /** The stack as DescribeStacks reports it now (read again with `fresh`). */
  describe(fresh = false): Promise<Stack> {
    if (fresh || !this.stack) this.stack = this.readStack();
    return this.stack;
  }

  /** The template CloudFormation holds for the stack, after transforms. */
  getTemplate(): Promise<Template> {
    this.template ??= this.readTemplate();
    return this.template;
  }

  /** Physical IDs by logical ID, of the stack's resources. */
  getPhysicalIds(): Promise<Map<string, string>> {
    this.physicalIds ??= this.readPhysicalIds();
    return this.physicalIds;
  }

  /** Export values by export name, in the stack's account and Region. */
  getExports(): Promise<Map<string, string>> {
    this.exports ??= this.readExports();
    return this.exports;
  }

  /**
   * The events of the stack's current operation phase, newest first: every event newer than
   * the newest event of the stack itself, which marks the start of the phase; and that event's status.
   */
  async currentPhaseEvents(): Promise<{ phaseStatus?: string; events: StackEvent[] }> {
    const events: StackEvent[] = [];
    const pages = paginateDescribeStackEvents({ client: this.cloudformation, stopOnSameToken: true }, { StackName: this.stackId });
    for await (const page of pagesOnce(pages, `DescribeStackEvents for ${this.stackId}`)) {
      for (const event of page.StackEvents ?? []) {
        if (event.PhysicalResourceId === this.stackId && event.ResourceType === 'AWS::CloudFormation::Stack') {
          return { phaseStatus: event.ResourceStatus, events };
        }
        events.push(event);
      }
    }
    return { events };
  }

  private async readStack(): Promise<Stack> {
    const response = await this.cloudformation.send(new DescribeStacksCommand({ StackName: this.stackId }));
    const stack = response.Stacks?.find(s => s.StackId === this.stackId);
    if (!stack?.StackStatus) throw new Error(`DescribeStacks did not return the stack ${this.stackId} with its status.`);
    return stack;
  }

  private async readTemplate(): Promise<Template> {
    const response = await this.cloudformation.send(new GetTemplateCommand({ StackName: this.stackId, TemplateStage: 'Processed' }));
    try {
      const template = JSON.parse(response.TemplateBody ?? '');
      if (template === null || typeof template !== 'object') throw new Error('not an object');
      return template as Template;
    } catch (error) {
      throw new Error(`The template of stack ${this.stackId} is not a JSON object (${(error as Error).message}); `
        + 'the approval handler reads only JSON templates, as the AWS CDK writes them.');
    }
  }

  private async readPhysicalIds(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const pages = paginateListStackResources({ client: this.cloudformation, stopOnSameToken: true }, { StackName: this.stackId });
    for await (const page of pagesOnce(pages, `ListStackResources for ${this.stackId}`)) {
      for (const resource of page.StackResourceSummaries ?? []) {
        if (resource.LogicalResourceId && resource.PhysicalResourceId) ids.set(resource.LogicalResourceId, resource.PhysicalResourceId);
      }
    }
    return ids;
  }

  private async readExports(): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    const pages = paginateListExports({ client: this.cloudformation, stopOnSameToken: true }, {});
    for await (const page of pagesOnce(pages, 'ListExports')) {
      for (const entry of page.Exports ?? []) {
        if (entry.Name !== undefined && entry.Value !== undefined) values.set(entry.Name, entry.Value);
      }
    }
    return values;
  }
}
