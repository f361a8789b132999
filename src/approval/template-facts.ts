import { CfnElement, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';

/** What the approval handler finds in its stack's template, as the construct tree will render it. */
export interface TemplateFacts {
  /** Whether the template has a parameter with this logical ID. */
  hasParameter(logicalId: string): boolean;
  /** The type of the template's resource with this logical ID; none when there is no such resource. */
  resourceType(logicalId: string): string | undefined;
}

/**
 * The parameters and resources of `stack`'s own template (not those of nested stacks), read
 * from the construct tree on the first question: one walk of the tree, with each element's
 * logical ID resolved (overrides included).
 */
export function stackTemplateFacts(stack: Stack): TemplateFacts {
  let index: { parameters: Set<string>; resourceTypes: Map<string, string> } | undefined;
  const get = () => index ??= indexStack(stack);
  return {
    hasParameter: logicalId => get().parameters.has(logicalId),
    resourceType: logicalId => get().resourceTypes.get(logicalId),
  };
}

function indexStack(stack: Stack): { parameters: Set<string>; resourceTypes: Map<string, string> } {
  const parameters = new Set<string>();
  const resourceTypes = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(construct) || construct.stack !== stack) continue;
    if (construct instanceof CfnParameter) parameters.add(stack.resolve(construct.logicalId));
    if (CfnResource.isCfnResource(construct)) resourceTypes.set(stack.resolve(construct.logicalId), construct.cfnResourceType);
  }
  return { parameters, resourceTypes };
}
