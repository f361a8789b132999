import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { fail } from './validation';

const NAMES_ID = 'CdkPrivateLinkOutputNames';
/** Path components aws-cdk-lib leaves out of logical IDs too. */
const HIDDEN = new Set(['Resource', 'Default']);

/** The output names of a stack, so that two outputs never get the same one. */
class OutputNames extends Construct {
  public static of(stack: Stack): OutputNames {
    return (stack.node.tryFindChild(NAMES_ID) as OutputNames | undefined) ?? new OutputNames(stack, NAMES_ID);
  }

  private readonly owners = new Map<string, string>();

  public claim(scope: IConstruct, name: string): void {
    const owner = this.owners.get(name);
    if (owner !== undefined) {
      fail(scope, `The stack output name ${name} of ${scope.node.path} is taken by ${owner}: expected constructs whose paths differ in more `
        + 'than punctuation, as output names are their paths without punctuation.');
    }
    this.owners.set(name, scope.node.path);
  }
}

/**
 * A stack output named after the path of `scope` below its stack and `suffix`, without hashes
 * (for example `PartnerEndpointId` for `Consumer/PartnerEndpoint` and `Id`), so that the names
 * users read after `cdk deploy` stay the same and explain themselves.
 */
export function readableOutput(scope: Construct, suffix: string, value: string, description: string): CfnOutput {
  const stack = Stack.of(scope);
  const name = [...pathBelowStack(scope), suffix].map(pascalCase).join('');
  if (name.length > 255) fail(scope, `The stack output name ${name} of ${scope.node.path} is longer than 255 characters: expected a shorter path.`);
  OutputNames.of(stack).claim(scope, name);
  const output = new CfnOutput(scope, `${suffix}Output`, { value, description });
  output.overrideLogicalId(name);
  return output;
}

/** The IDs of the path of `construct` below its stack, without those aws-cdk-lib leaves out of logical IDs. */
export function pathBelowStack(construct: IConstruct): string[] {
  const scopes = construct.node.scopes;
  return scopes.slice(scopes.indexOf(Stack.of(construct)) + 1).map(c => c.node.id).filter(id => !HIDDEN.has(id));
}

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
