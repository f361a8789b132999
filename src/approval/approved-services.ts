import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, methodName } from '../validation';

/** For each app (construct tree root): the path of the approval of each service, by service key. */
const APPROVALS_BY_APP = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `approval` approves the connections of `serviceId`; a second approval of the
 * same service anywhere in the app is refused, naming both. Two approvals of one service would
 * reject each other's IDs. The same service is recognized by its literal ID, by the same token
 * (also when used in two stacks), or by the same value resolved in its stack.
 */
export function registerApprovedService(approval: IConstruct, serviceId: string): void {
  let approvals = APPROVALS_BY_APP.get(approval.node.root);
  if (!approvals) APPROVALS_BY_APP.set(approval.node.root, approvals = new Map());
  const keys = serviceKeys(approval, serviceId);
  const first = keys.map(key => approvals!.get(key)).find(path => path !== undefined);
  if (first) {
    fail(approval, `Endpoint service ${shown(approval, serviceId)} already has a connection approval in this app (${first}): `
      + `expected one approval per service; add endpoint IDs to it with ${methodName('addEndpointIds')} or ${methodName('approveEndpoints')}.`);
  }
  keys.forEach(key => approvals!.set(key, approval.node.path));
}

function serviceKeys(approval: IConstruct, serviceId: string): string[] {
  if (!Token.isUnresolved(serviceId)) return [literalKey(serviceId)];
  const resolved = Stack.of(approval).resolve(serviceId);
  // A reference resolves to the same {"Ref": ...} in every stack that has a resource of that logical ID.
  const resolvedKey = typeof resolved === 'string' ? literalKey(resolved) : `${referencedStack(approval, serviceId).node.path}|${JSON.stringify(resolved)}`;
  return [`token|${serviceId}`, resolvedKey];
}

function literalKey(serviceId: string): string {
  return `literal|${serviceId}`;
}

/** The stack of the resource that `serviceId` refers to, or else the approval's own. */
function referencedStack(approval: IConstruct, serviceId: string): Stack {
  const tokens = Tokenization.reverseString(serviceId).tokens;
  const target = tokens.length === 1 && Reference.isReference(tokens[0]) ? tokens[0].target : approval;
  return Stack.of(target);
}

function shown(approval: IConstruct, serviceId: string): string {
  return Token.isUnresolved(serviceId) ? JSON.stringify(Stack.of(approval).resolve(serviceId)) : serviceId;
}
