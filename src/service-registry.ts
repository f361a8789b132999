import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * For one kind of construct that a service may have only once per app: the path of the first
 * one of each service. The same service is recognized by its literal ID, by the same token
 * (also when used in two stacks), or by the same value resolved in its stack.
 */
export class ServiceRegistry {
  private readonly byApp = new WeakMap<IConstruct, Map<string, string>>();

  /** Records `scope` for `serviceId`; returns the path of the one recorded before, if any. */
  public claim(scope: IConstruct, serviceId: string): string | undefined {
    let paths = this.byApp.get(scope.node.root);
    if (!paths) this.byApp.set(scope.node.root, paths = new Map());
    const keys = serviceKeys(scope, serviceId);
    const first = keys.map(key => paths!.get(key)).find(path => path !== undefined);
    if (!first) keys.forEach(key => paths!.set(key, scope.node.path));
    return first;
  }
}

function serviceKeys(scope: IConstruct, serviceId: string): string[] {
  if (!Token.isUnresolved(serviceId)) return [literalKey(serviceId)];
  const resolved = Stack.of(scope).resolve(serviceId);
  // A reference resolves to the same {"Ref": ...} in every stack that has a resource of that logical ID.
  const resolvedKey = typeof resolved === 'string' ? literalKey(resolved) : `${referencedStack(scope, serviceId).node.path}|${JSON.stringify(resolved)}`;
  return [`token|${serviceId}`, resolvedKey];
}

function literalKey(serviceId: string): string {
  return `literal|${serviceId}`;
}

/** The stack of the resource that `serviceId` refers to, or else the scope's own. */
function referencedStack(scope: IConstruct, serviceId: string): Stack {
  const tokens = Tokenization.reverseString(serviceId).tokens;
  const target = tokens.length === 1 && Reference.isReference(tokens[0]) ? tokens[0].target : scope;
  return Stack.of(target);
}
