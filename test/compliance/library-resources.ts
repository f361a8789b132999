import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import '../../src';

const SRC_DIR = path.resolve(__dirname, '..', '..', 'src') + path.sep;

/** Every class that a module under src/ exports (the modules the library loaded, index or not). */
function libraryClasses(): Set<Function> {
  const classes = new Set<Function>();
  for (const [file, loaded] of Object.entries(require.cache)) {
    if (!file.startsWith(SRC_DIR) || !loaded) continue;
    for (const value of Object.values(loaded.exports as Record<string, unknown>)) {
      if (typeof value === 'function' && value.prototype !== undefined) classes.add(value);
    }
  }
  return classes;
}

/** Whether `construct` is an instance of a class of the library (its own class or a base class). */
function isLibraryConstruct(construct: IConstruct, classes: Set<Function>): boolean {
  for (let proto = Object.getPrototypeOf(construct); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (classes.has(proto.constructor)) return true;
  }
  return false;
}

/**
 * A resource is the library's when it, or a construct it is inside, is an instance of a class that a
 * module under src/ defines (such as `InterfaceEndpoint`, or the stack's `ApprovalHandler`,
 * `CdkPrivateLinkConnectionApproval`). What the app makes with aws-cdk-lib itself (VPC, load balancers,
 * its topics, zone, bucket) is the user's, even when a library construct reads it or adds statements to it.
 */
export function isLibraryResource(resource: IConstruct): boolean {
  const classes = libraryClasses();
  for (let scope: IConstruct | undefined = resource; scope !== undefined; scope = scope.node.scope) {
    if (isLibraryConstruct(scope, classes)) return true;
  }
  return false;
}

/** The construct path of a resource of `stack` by its logical ID. */
export function resourceByLogicalId(stack: Stack, logicalId: string): CfnResource | undefined {
  return stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c) && stack.resolve(c.logicalId) === logicalId);
}

/** The construct at `constructPath` (as cdk-nag reports it) under `root`. */
export function constructAtPath(root: IConstruct, constructPath: string): IConstruct {
  const found = root.node.findAll().find(c => c.node.path === constructPath);
  if (!found) throw new Error(`no construct at ${constructPath}`);
  return found;
}
