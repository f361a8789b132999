import { CfnOutput, CfnResource, Reference, Stack, Stage, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { renderedProperties, renderedTypeOf } from './rendered-resource';

/** When a scan is taken: while aspects run (before references are resolved), or while the tree is validated. */
export type SynthesisPhase = 'aspects' | 'validation';

/** The scans of each stage (or construct tree without one), replaced when the phase changes: a new synthesis starts afresh. */
const scansByRoot = new WeakMap<IConstruct, SynthesisScans>();

/**
 * Walks of the construct tree shared by every endpoint security group of a stage during one phase
 * of a synthesis, so that the cost does not grow with the number of groups: each stack is walked at
 * most once for its `AWS::EC2::VPCCidrBlock`s while aspects run, and the stage once for its
 * `AWS::EC2::SecurityGroupIngress` and `...Egress` resources (as rendered), exports and prefix lists while
 * the tree is validated. Each endpoint security group takes the aspects' scan in every synthesis (an aspect
 * of its own), so a scan never outlives the synthesis it was taken in.
 */
export class SynthesisScans {
  public static of(scope: IConstruct, phase: SynthesisPhase): SynthesisScans {
    const root = Stage.of(scope) ?? scope.node.root;
    let scans = scansByRoot.get(root);
    if (scans?.phase !== phase) {
      scans = new SynthesisScans(root, phase);
      scansByRoot.set(root, scans);
    }
    return scans;
  }

  private readonly cidrBlocksByStack = new Map<Stack, Map<unknown, ec2.CfnVPCCidrBlock[]>>();
  private rendered?: RenderedResources;

  private constructor(private readonly root: IConstruct, private readonly phase: SynthesisPhase) {}

  /** The `AWS::EC2::VPCCidrBlock`s for `vpc` in its stack (nested stacks included), in the order of a pre-order walk. */
  public cidrBlocksOf(vpc: ec2.IVpc): ec2.CfnVPCCidrBlock[] {
    const stack = Stack.of(vpc);
    let byVpc = this.cidrBlocksByStack.get(stack);
    if (!byVpc) {
      byVpc = new Map();
      for (const construct of stack.node.findAll()) {
        if (!(construct instanceof ec2.CfnVPCCidrBlock)) continue;
        const key = vpcKey(stack, construct, construct.vpcId);
        if (key !== undefined) byVpc.set(key, [...byVpc.get(key) ?? [], construct]);
      }
      this.cidrBlocksByStack.set(stack, byVpc);
    }
    return byVpc.get(vpcKey(stack, vpc, vpc.vpcId)) ?? [];
  }

  /**
   * The `AWS::EC2::SecurityGroupIngress` and `...Egress` resources anywhere in the stage whose `GroupId`, as their
   * templates will have it (overrides included), is `group`: in the group's stack a `Ref` or `Fn::GetAtt GroupId` of it,
   * in another stack what CloudFormation's references or an `Fn::ImportValue` of an export of it become there. Any
   * `CfnResource` of the type counts (an L1, a plain `CfnResource`, one of `CfnInclude`).
   */
  public rulesOf(group: ec2.SecurityGroup): Record<RuleType, RenderedRule[]> {
    const rendered = this.renderAll();
    const none = { 'AWS::EC2::SecurityGroupIngress': [], 'AWS::EC2::SecurityGroupEgress': [] };
    if (rendered.rules.size === 0 && rendered.compound.length === 0) return none;
    const home = group.stack;
    const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
    // `Id` is the group ID too, for a group in a VPC.
    const names = [cfn.ref, cfn.attrGroupId, cfn.attrId];
    const atHome = namesIn(home, home, names);
    const exported = (rendered.exportsByStack.get(home) ?? [])
      .filter(output => atHome.includes(resolvedKey(home, output.value)))
      .map(output => JSON.stringify({ 'Fn::ImportValue': home.resolve(output.exportName) }));
    const keysByStack = new Map<Stack, string[]>([[home, atHome]]);
    const keysIn = (stack: Stack): string[] => {
      let keys = keysByStack.get(stack);
      if (keys) return keys;
      keys = [...namesIn(stack, home, names), ...exported];
      keysByStack.set(stack, keys);
      // Parameters of a nested stack that its parent fills with the group's ID, by CDK or by hand.
      const parent = stack.nested ? Stack.of(stack.nestedStackResource!) : undefined;
      const parameters = parent ? renderedProperties(stack.nestedStackResource!).Parameters : undefined;
      if (parent && parameters && typeof parameters === 'object') {
        const parentKeys = keysIn(parent);
        for (const [name, value] of Object.entries(parameters)) {
          if (parentKeys.includes(JSON.stringify(value))) keys.push(JSON.stringify({ Ref: name }));
        }
      }
      return keys;
    };
    const keys = new Set<string>();
    for (const stack of rendered.stacks) for (const key of keysIn(stack)) keys.add(`${stack.node.path}\u0000${key}`);
    // A GroupId that is not one reference (Fn::If, Fn::Select, Fn::Sub, ...) is the group's if it mentions the group.
    const logicalId = home.resolve(cfn.logicalId) as string;
    const mentioned = rendered.compound.filter(rule => mentionsAny(rule.groupId, keysIn(rule.stack))
      || (rule.stack === home && mentionsLogicalId(rule.groupId, logicalId)));
    const ofType = (type: RuleType): RenderedRule[] => [
      ...[...keys].flatMap(key => rendered.rules.get(`${type}\u0000${key}`) ?? []),
      ...mentioned.filter(rule => rule.type === type).map(({ resource, stack, properties }) => ({ resource, stack, properties })),
    ];
    return { 'AWS::EC2::SecurityGroupIngress': ofType('AWS::EC2::SecurityGroupIngress'), 'AWS::EC2::SecurityGroupEgress': ofType('AWS::EC2::SecurityGroupEgress') };
  }

  /** The prefix lists (`AWS::EC2::PrefixList`, of any construct) of the stage that `prefixListId` (resolved in `stack`) names or mentions. */
  public prefixListsOf(stack: Stack, prefixListId: unknown): CfnResource[] {
    const key = JSON.stringify(prefixListId);
    return this.renderAll().prefixLists.filter(list => {
      const listNames = namesIn(stack, Stack.of(list), [list.ref, list.getAtt('PrefixListId')]);
      return listNames.includes(key) || (typeof prefixListId !== 'string' && mentionsAny(key, listNames));
    });
  }

  /** One walk of the stage while the tree is validated: its ingress and egress rules as rendered, its exports and prefix lists. */
  private renderAll(): RenderedResources {
    if (this.rendered) return this.rendered;
    const rendered: RenderedResources = { rules: new Map(), compound: [], stacks: new Set(), exportsByStack: new Map(), prefixLists: [] };
    for (const construct of this.root.node.findAll()) {
      if (construct instanceof CfnOutput && construct.exportName !== undefined) {
        const stack = Stack.of(construct);
        rendered.exportsByStack.set(stack, [...rendered.exportsByStack.get(stack) ?? [], construct]);
      }
      if (!CfnResource.isCfnResource(construct)) continue;
      const renderedType = renderedTypeOf(construct);
      if (renderedType === 'AWS::EC2::PrefixList') rendered.prefixLists.push(construct);
      const type = RULE_TYPES.find(candidate => candidate === renderedType);
      if (!type) continue;
      const stack = Stack.of(construct);
      const properties = renderedProperties(construct);
      const groupId = JSON.stringify(properties.GroupId);
      rendered.stacks.add(stack);
      if (!isOneReference(properties.GroupId)) {
        rendered.compound.push({ resource: construct, stack, properties, type, groupId });
        continue;
      }
      const key = `${type}\u0000${stack.node.path}\u0000${groupId}`;
      rendered.rules.set(key, [...rendered.rules.get(key) ?? [], { resource: construct, stack, properties }]);
    }
    this.rendered = rendered;
    return rendered;
  }
}

const RULE_TYPES = ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'] as const;
/** The CloudFormation type of a separate security group rule. */
export type RuleType = typeof RULE_TYPES[number];

/** A security group rule resource, with its properties as its template will have them. */
export interface RenderedRule {
  readonly resource: CfnResource;
  readonly stack: Stack;
  readonly properties: Record<string, unknown>;
}

interface RenderedResources {
  /** By type, stack path and resolved `GroupId`. */
  readonly rules: Map<string, RenderedRule[]>;
  /** The rules whose `GroupId` is not a string or one reference: an intrinsic function around references, say. */
  readonly compound: Array<RenderedRule & { readonly type: RuleType; readonly groupId: string }>;
  readonly stacks: Set<Stack>;
  readonly exportsByStack: Map<Stack, CfnOutput[]>;
  readonly prefixLists: CfnResource[];
}

/** Whether a resolved value is a string, or one `Ref`, `Fn::GetAtt` (as a list) or `Fn::ImportValue` of a string. */
function isOneReference(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 1) return false;
  const [[key, argument]] = Object.entries(value);
  if (key === 'Ref' || key === 'Fn::ImportValue') return typeof argument === 'string';
  return key === 'Fn::GetAtt' && Array.isArray(argument) && argument.every(part => typeof part === 'string');
}

/** Whether the JSON `value` has one of `keys` (resolved references, as JSON) inside it. */
function mentionsAny(value: string, keys: string[]): boolean {
  return keys.some(key => value.includes(key));
}

/** Whether the JSON `value` names the resource `logicalId` in an `Fn::Sub` string or the string form of `Fn::GetAtt`. */
function mentionsLogicalId(value: string, logicalId: string): boolean {
  const id = logicalId.replace(/[^A-Za-z0-9]/g, '');
  return new RegExp(`\\$\\{${id}(\\.(GroupId|Id))?\\}|"${id}\\.(GroupId|Id)"`).test(value);
}

/**
 * What a VPC ID names: the VPC resource a reference points at (so that VPCs with the same logical ID in two
 * stacks stay two VPCs), or else, for a construct in the VPC's stack itself, the resolved value.
 */
function vpcKey(stack: Stack, scope: IConstruct, vpcId: string): unknown {
  const fragments = Tokenization.reverseString(vpcId);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token !== undefined && Reference.isReference(token)) return token.target;
  return Stack.of(scope) === stack ? resolvedKey(stack, vpcId) : undefined;
}

/**
 * What references to a resource of `home` are in `stack`'s template, as JSON: in `home` itself the references;
 * in another stack only what aws-cdk-lib replaced them with there (an `Fn::ImportValue`, a nested stack's
 * parameter or output), since an equal logical ID in another stack names another resource.
 */
function namesIn(stack: Stack, home: Stack, references: unknown[]): string[] {
  const atHome = references.map(reference => resolvedKey(home, reference));
  if (stack === home) return atHome;
  return references.map(reference => resolvedKey(stack, reference)).filter(key => !atHome.includes(key));
}

function resolvedKey(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}
