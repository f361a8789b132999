import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Dependencies } from '../approval/approve';
import { boundId, isBoundId } from '../approval/generation';
import { logEvent } from '../approval/log';
import { Phase, ResourceRequest, currentPhase, isInProgress, notCarriedOut } from '../approval/phase';
import { TemplateResolver } from '../approval/resolve';
import { StackReader, TemplateResource } from '../approval/stack';

/** How one custom resource type's properties are read, checked and bound to a physical ID. */
export interface ResourceKind<P extends { serviceId: string }> {
  readonly type: string;
  /** The names of its own properties (not `ServiceToken`). */
  readonly propertyNames: readonly string[];
  readonly parse: (raw: Record<string, unknown> | undefined) => P;
  readonly canonical: (properties: P) => string;
}

/** A request CloudFormation is carrying out, with the properties it is confirmed for. */
export interface ConfirmedRequest<P> {
  readonly properties: P;
  readonly phase: Phase;
  /** An update in a rollback that puts back the properties its physical ID was issued for. */
  readonly putBack: boolean;
  /** The stack, as read for the confirmation. */
  readonly stack: StackReader;
}

/**
 * The event is only a claim: anyone who may invoke the function can send one. It is carried
 * out only when CloudFormation's stack events show this very resource being created, updated or
 * deleted now, and with properties that CloudFormation holds: those of the stack's template, or
 * those the physical ID was issued for (a delete, or a rollback that puts them back).
 * (The own stack and the resource type are checked before this.)
 */
export async function confirmRequest<P extends { serviceId: string }>(
  event: CloudFormationCustomResourceEvent, deps: Dependencies, kind: ResourceKind<P>,
): Promise<ConfirmedRequest<P>> {
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const { phase, status } = await currentPhase(stack);
  const request: ResourceRequest = {
    requestType: event.RequestType,
    logicalId: event.LogicalResourceId,
    physicalId: event.RequestType === 'Create' ? undefined : event.PhysicalResourceId,
  };
  const allowed: Record<string, Phase[]> = { Create: ['create', 'update'], Update: ['update', 'rollback'], Delete: ['cleanup', 'delete', 'rollback'] };
  if (!allowed[event.RequestType].includes(phase)) throw notCarriedOut(request, `the stack is ${status}`);
  if (!await isInProgress(stack, request, deps.sleep)) {
    throw notCarriedOut(request, 'the stack\'s events show no such operation in progress for this resource');
  }
  const claimed = tryParse(kind, event.ResourceProperties);
  const issued = request.physicalId !== undefined && claimed !== undefined
    && isBoundId(request.physicalId, deps.stackId, event.LogicalResourceId, claimed.serviceId, kind.canonical(claimed));
  if (event.RequestType === 'Delete' || phase === 'rollback') {
    if (issued) return { properties: claimed!, phase, putBack: event.RequestType === 'Update', stack };
    if (phase === 'delete') return { properties: await templateProperties(stack, event.LogicalResourceId, kind), phase, putBack: false, stack };
    throw notCarriedOut(request, 'its properties are not those its physical ID was issued for');
  }
  const held = await templateProperties(stack, event.LogicalResourceId, kind);
  if (!claimed || kind.canonical(claimed) !== kind.canonical(held)) {
    throw new Error(`The properties of this ${event.RequestType} of ${event.LogicalResourceId} are not the ones the stack's template `
      + `holds (request: ${claimed ? kind.canonical(claimed) : 'unreadable'}; template: ${kind.canonical(held)}). Nothing was changed.`);
  }
  return { properties: held, phase, putBack: false, stack };
}

/** The physical ID that binds these confirmed properties. */
export function issuedId<P extends { serviceId: string }>(event: CloudFormationCustomResourceEvent, deps: Dependencies,
  kind: ResourceKind<P>, properties: P): string {
  return boundId(deps.stackId, event.LogicalResourceId, event.RequestId, properties.serviceId, kind.canonical(properties));
}

async function templateProperties<P extends { serviceId: string }>(stack: StackReader, logicalId: string, kind: ResourceKind<P>): Promise<P> {
  const resource = (await stack.getTemplate()).Resources?.[logicalId];
  if (resource?.Type !== kind.type) throw new Error(`The template of stack ${stack.stackId} has no ${kind.type} named ${logicalId}. Nothing was changed.`);
  if (resource.Condition !== undefined) throw new Error(`The resource ${logicalId} has a Condition, which the handler does not evaluate. Nothing was changed.`);
  try {
    return await resolveOwn(stack, kind, resource);
  } catch (error) {
    throw new Error(`Cannot confirm the properties of ${logicalId} with the stack's template: ${(error as Error).message} Nothing was changed.`);
  }
}

async function resolveOwn<P extends { serviceId: string }>(stack: StackReader, kind: ResourceKind<P>, resource: TemplateResource): Promise<P> {
  const all = resource.Properties ?? {};
  const own = Object.fromEntries(kind.propertyNames.filter(name => name in all).map(name => [name, all[name]]));
  return kind.parse(await new TemplateResolver(stack).resolve(own) as Record<string, unknown>);
}

/**
 * A resource of the kind in the stack's template, other than `except`, that the stack has and
 * whose properties resolve to ones `holds` accepts: for a delete, another generation that holds
 * the same name now (the resource renamed to another logical ID, or replaced with equal
 * properties), whose name must stay. Resources whose properties do not resolve are passed over.
 */
export async function templateHolder<P extends { serviceId: string }>(stack: StackReader, kind: ResourceKind<P>,
  holds: (properties: P) => boolean, except?: string): Promise<string | undefined> {
  const existing = await stack.getPhysicalIds();
  for (const [logicalId, resource] of Object.entries((await stack.getTemplate()).Resources ?? {})) {
    if (logicalId === except || resource?.Type !== kind.type || !existing.has(logicalId)) continue;
    try {
      if (holds(await resolveOwn(stack, kind, resource))) return logicalId;
    } catch (error) {
      logEvent('skipped', { logicalId, reason: `its properties do not resolve: ${(error as Error).message}` });
    }
  }
  return undefined;
}

function tryParse<P>(kind: ResourceKind<P & { serviceId: string }>, raw: Record<string, unknown> | undefined): P | undefined {
  try {
    return kind.parse(raw);
  } catch {
    return undefined;
  }
}
