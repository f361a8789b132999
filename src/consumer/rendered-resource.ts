import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';

interface RenderedTemplate {
  readonly Resources?: Record<string, { readonly Type?: unknown; readonly Properties?: Record<string, unknown> }>;
}

/**
 * The resource as its stack's template will have it: resolved, with the overrides (`addOverride`,
 * `addPropertyOverride`, `addDeletionOverride`) applied, as aws-cdk-lib renders it when it synthesizes.
 */
function rendered(resource: CfnElement): { readonly Type?: unknown; readonly Properties?: Record<string, unknown> } {
  // aws-cdk-lib's own rendering (internal, but what synthesis calls): the L1 properties alone miss the overrides.
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') throw new Error(`aws-cdk-lib renders ${resource.node.path} in a way this library does not know`);
  const template = Stack.of(resource).resolve(render.call(resource)) as RenderedTemplate;
  return Object.values(template.Resources ?? {})[0] ?? {};
}

/** The properties of `resource` as its stack's template will have them (see {@link rendered}). */
export function renderedProperties(resource: CfnElement): Record<string, unknown> {
  return rendered(resource).Properties ?? {};
}

/** The type a resource's template will have: an override of `Type` included (rendered only when there is one). */
export function renderedTypeOf(resource: CfnResource): string {
  const overrides = (resource as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides;
  if (overrides && !('Type' in overrides)) return resource.cfnResourceType;
  const type = rendered(resource).Type;
  return typeof type === 'string' ? type : resource.cfnResourceType;
}
