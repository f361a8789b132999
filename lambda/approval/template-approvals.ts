import { isGenerationOf } from './generation';
import { logEvent } from './log';
import { ApprovalProperties, parseProperties } from './properties';
import { NotCreatedYetError, TemplateResolver, UnresolvableError } from './resolve';
import { StackReader, TemplateResource } from './stack';
import { APPROVAL_PROPERTY, APPROVAL_RESOURCE_TYPE } from '../../src/approval/handler-contract';
import { isEndpointServiceId } from '../../src/validation/formats';

/** An approval of the template that cannot be used: nothing is accepted or rejected for it. */
export class UnreadableApprovalError extends Error {}

/** An approval left out, with the service it is for when that resolved. */
export interface UnreadableApproval {
  readonly logicalId: string;
  readonly serviceId?: string;
  readonly reason: string;
}

/** An approval of the stack's template, with its properties resolved as CloudFormation holds them. */
export interface TemplateApproval {
  readonly logicalId: string;
  readonly properties: ApprovalProperties;
}

/**
 * The approvals in the stack's current template, resolved. With `serviceIds`, only those of
 * these services: their other properties are not even resolved. An approval whose service
 * cannot be resolved is left out with a log line (nothing is accepted for it); `strict` fails
 * instead, naming it, except for an approval whose service CloudFormation has not created yet
 * (its own create will check it). With `deployedOnly`, an approval counts only when its
 * resolved properties are those its current physical ID was issued for: what CloudFormation
 * deployed, whichever template `GetTemplate` returns and whatever a parameter resolves to now.
 */
export async function templateApprovals(
  stack: StackReader,
  options: { serviceIds?: ReadonlySet<string>; strict?: boolean; deployedOnly?: boolean; unreadable?: UnreadableApproval[] } = {},
): Promise<TemplateApproval[]> {
  const template = await stack.getTemplate();
  const resolver = new TemplateResolver(stack);
  const approvals: TemplateApproval[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource?.Type !== APPROVAL_RESOURCE_TYPE) continue;
    let serviceId: string | undefined;
    try {
      serviceId = String(await resolver.resolve(properties(logicalId, resource)[APPROVAL_PROPERTY.serviceId]));
      if (options.serviceIds && !options.serviceIds.has(serviceId)) continue;
      const approval = parsed(await resolver.resolve(properties(logicalId, resource)) as Record<string, unknown>);
      if (options.deployedOnly) await checkDeployed(stack, logicalId, approval);
      approvals.push({ logicalId, properties: approval });
    } catch (error) {
      // A failed read of the stack (throttling, a looping page) is not an unreadable approval: the run fails.
      if (!(error instanceof UnresolvableError || error instanceof UnreadableApprovalError)) throw error;
      const reason = `approval ${logicalId} of the template: ${(error as Error).message}`;
      const notCreated = error instanceof NotCreatedYetError && !options.deployedOnly;
      if (options.strict && !notCreated) throw new Error(`Cannot read the ${reason}`);
      logEvent('approvalUnreadable', { logicalId, reason });
      options.unreadable?.push({ logicalId, serviceId: isEndpointServiceId(serviceId ?? '') ? serviceId : undefined, reason });
    }
  }
  return approvals;
}

/** The approval of `logicalId` in the template, resolved; fails when the template has none. */
export async function templateApproval(stack: StackReader, logicalId: string): Promise<TemplateApproval> {
  const resource = (await stack.getTemplate()).Resources?.[logicalId];
  if (resource?.Type !== APPROVAL_RESOURCE_TYPE) {
    throw new Error(`The template of stack ${stack.stackId} has no ${APPROVAL_RESOURCE_TYPE} named ${logicalId}.`);
  }
  const resolved = await new TemplateResolver(stack).resolve(properties(logicalId, resource));
  return { logicalId, properties: parseProperties(resolved as Record<string, unknown>) };
}

function parsed(raw: Record<string, unknown>): ApprovalProperties {
  try {
    return parseProperties(raw);
  } catch (error) {
    throw new UnreadableApprovalError((error as Error).message);
  }
}

async function checkDeployed(stack: StackReader, logicalId: string, approval: ApprovalProperties): Promise<void> {
  const physicalId = (await stack.getPhysicalIds()).get(logicalId);
  if (!physicalId || !isGenerationOf(physicalId, stack.stackId, logicalId, approval)) {
    throw new UnreadableApprovalError(`its resolved properties are not those its physical ID ${physicalId ?? '(none)'} was issued for: `
      + 'the template or a parameter is not what CloudFormation deployed, or the approval is not deployed yet.');
  }
}

/** The approval's own properties; `ServiceToken` (the provider framework's function) is not one of them. */
function properties(logicalId: string, resource: TemplateResource): Record<string, unknown> {
  if (resource.Condition !== undefined) {
    throw new UnreadableApprovalError(`the resource ${logicalId} has a Condition, which the approval handler does not evaluate`);
  }
  const all = resource.Properties ?? {};
  return Object.fromEntries(APPROVAL_PROPERTY_NAMES.filter(name => name in all).map(name => [name, all[name]]));
}

const APPROVAL_PROPERTY_NAMES: readonly string[] = Object.values(APPROVAL_PROPERTY);
