import {
  CfnParameter, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, StringConcat, Token, Tokenization,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A reference of a value to an attribute of a construct. */
export interface StackReference {
  /** The stack of the referenced construct. */
  readonly stack: Stack;
  /** The reference as a user wrote it: `<construct path>.<attribute>`. */
  readonly text: string;
}

/** Notes every reference to a construct that resolution of a value meets, nested ones too. */
class ReferenceCollector extends DefaultTokenResolver {
  public readonly references = new Map<string, StackReference>();
  private readonly followedDefaults = new Set<CfnParameter>();

  constructor() {
    super(new StringConcat());
  }

  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (Reference.isReference(token) && !(token.target instanceof Stack)) {
      const text = `${token.target.node.path}.${token.displayName}`;
      this.references.set(text, { stack: topLevelStack(Stack.of(token.target)), text });
      // A parameter's default is what the stack gets unless a deployment passes another value.
      const target = token.target;
      if (target instanceof CfnParameter && target.default !== undefined && !this.followedDefaults.has(target)) {
        this.followedDefaults.add(target);
        Tokenization.resolve(target.default, { scope: Stack.of(target), resolver: this, preparing: true });
      }
    }
    return super.resolveToken(token, context, postProcessor);
  }
}

/**
 * The references of `value` to constructs of top-level stacks other than the one of `scope`, such
 * as `Consumer/Endpoint/Resource.Ref`, each with the top-level stack (nested stacks count as
 * their parent's); none for a literal. Pseudo parameters are not references.
 */
export function otherStackReferences(scope: IConstruct, value: unknown): StackReference[] {
  if (!containsToken(value)) return [];
  const here = topLevelStack(Stack.of(scope));
  const collector = new ReferenceCollector();
  Tokenization.resolve(value, { scope: Stack.of(scope), resolver: collector, preparing: true });
  return [...collector.references.values()].filter(reference => reference.stack !== here);
}

/** The stack a nested stack is deployed with: references within it are not hand-overs. */
export function topLevelStack(stack: Stack): Stack {
  let top = stack;
  while (top.nestedStackParent) top = top.nestedStackParent;
  return top;
}

function containsToken(value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsToken);
  return typeof value === 'object' && value !== null && Object.values(value).some(containsToken);
}

/** Whether two stacks are known to be in different accounts or Regions. */
export function inOtherEnvironment(a: Stack, b: Stack): boolean {
  const differ = (x: string, y: string) => !Token.isUnresolved(x) && !Token.isUnresolved(y) && x !== y;
  return differ(a.account, b.account) || differ(a.region, b.region);
}
