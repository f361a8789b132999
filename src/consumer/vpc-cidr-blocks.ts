import { Annotations, CfnElement, CfnOutput, CfnResource, Fn, Reference, Stack, Stage, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct, IDependable } from 'constructs';
import { fail } from '../validation';

/** The address blocks of a VPC, and what must exist before a rule can use them. */
export interface VpcCidrBlocks {
  readonly ipv4: string[];
  readonly ipv6: string[];
  readonly dependencies: IDependable[];
}

/** The primary IPv4 block of `vpc`; fails if the VPC does not know it (an imported VPC without `vpcCidrBlock`). */
export function primaryCidrBlock(scope: IConstruct, vpc: ec2.IVpc): string {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    fail(scope, `The CIDR block of VPC ${vpc.node.path} is not known: expected an imported VPC with vpcCidrBlock, or security groups of your own.`);
  }
}

/** Whether the app defines `vpc` (its `AWS::EC2::VPC` is in a template), so its other blocks can be found. */
export function definesVpc(vpc: ec2.IVpc): boolean {
  return vpc.node.defaultChild instanceof ec2.CfnVPC;
}

/**
 * The CIDR blocks of a VPC that the app defines, as the app has them when aspects run: the primary
 * IPv4 block, and every `AWS::EC2::VPCCidrBlock` for this VPC in the VPC's stack and its nested
 * stacks (secondary IPv4 blocks, IPv6 blocks), whenever they were added. IPv6 blocks that are not
 * literal are taken from the VPC's `Ipv6CidrBlocks` attribute. Blocks from an IPv4 IPAM pool are
 * warned about on `scope`. Call it only when aspects run: see {@link SynthesisScans}.
 */
export function vpcCidrBlocks(scope: IConstruct, vpc: ec2.IVpc): VpcCidrBlocks {
  const associations = SynthesisScans.of(vpc, 'aspects').cidrBlocksOf(vpc);
  const ipv4 = [vpc.vpcCidrBlock];
  const literalIpv6: string[] = [];
  let ipv6Count = 0;
  let unknownIpv6 = false;
  for (const block of associations) {
    if (block.cidrBlock) {
      ipv4.push(block.cidrBlock);
    } else if (block.ipv6CidrBlock || block.amazonProvidedIpv6CidrBlock || block.ipv6IpamPoolId || block.ipv6Pool) {
      ipv6Count++;
      if (block.ipv6CidrBlock) literalIpv6.push(block.ipv6CidrBlock);
      else unknownIpv6 = true;
    } else {
      Annotations.of(scope).addWarningV2('cdk-privatelink:unknownCidrBlock',
        `The CIDR block of ${block.node.path} is not known at synthesis (an IPAM pool): add it with allowedPeers if needed.`);
    }
  }
  // The order of the attribute is not documented: with any block not literal, every index is taken.
  const attribute = (vpc as ec2.IVpc & { vpcIpv6CidrBlocks?: string[] }).vpcIpv6CidrBlocks;
  const ipv6 = unknownIpv6 && attribute
    ? Array.from({ length: ipv6Count }, (_, index) => Fn.select(index, attribute))
    : literalIpv6;
  return { ipv4: [...new Set(ipv4)], ipv6: [...new Set(ipv6)], dependencies: associations };
}

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
   * The `AWS::EC2::SecurityGroupIngress` (or `...Egress`) resources anywhere in the stage whose `GroupId`, as their
   * templates will have it (overrides included), is `group`: in the group's stack a `Ref` or `Fn::GetAtt GroupId` of it,
   * in another stack what CloudFormation's references or an `Fn::ImportValue` of an export of it become there. Any
   * `CfnResource` of the type counts (an L1, a plain `CfnResource`, one of `CfnInclude`).
   */
  public rulesOf(group: ec2.SecurityGroup, type: RuleType): RenderedRule[] {
    const rendered = this.renderAll();
    if (rendered.rules.size === 0) return [];
    const home = group.stack;
    const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
    const names = [cfn.ref, cfn.attrGroupId];
    const atHome = namesIn(home, home, names);
    const exported = (rendered.exportsByStack.get(home) ?? [])
      .filter(output => atHome.includes(resolvedKey(home, output.value)))
      .map(output => JSON.stringify({ 'Fn::ImportValue': home.resolve(output.exportName) }));
    const keys = new Set(atHome.map(key => `${type}\u0000${home.node.path}\u0000${key}`));
    for (const stack of rendered.stacks) {
      if (stack === home) continue;
      for (const key of [...namesIn(stack, home, names), ...exported]) keys.add(`${type}\u0000${stack.node.path}\u0000${key}`);
    }
    return [...keys].flatMap(key => rendered.rules.get(key) ?? []);
  }

  /** The `AWS::EC2::PrefixList` of the stage that `prefixListId` (resolved in `stack`) names, if any. */
  public prefixListOf(stack: Stack, prefixListId: unknown): ec2.CfnPrefixList | undefined {
    const key = JSON.stringify(prefixListId);
    return this.renderAll().prefixLists.find(list => namesIn(stack, Stack.of(list), [list.ref, list.attrPrefixListId]).includes(key));
  }

  /** One walk of the stage while the tree is validated: its ingress and egress rules as rendered, its exports and prefix lists. */
  private renderAll(): RenderedResources {
    if (this.rendered) return this.rendered;
    const rendered: RenderedResources = { rules: new Map(), stacks: new Set(), exportsByStack: new Map(), prefixLists: [] };
    for (const construct of this.root.node.findAll()) {
      if (construct instanceof CfnOutput && construct.exportName !== undefined) {
        const stack = Stack.of(construct);
        rendered.exportsByStack.set(stack, [...rendered.exportsByStack.get(stack) ?? [], construct]);
      }
      if (construct instanceof ec2.CfnPrefixList) rendered.prefixLists.push(construct);
      if (!CfnResource.isCfnResource(construct)) continue;
      const type = RULE_TYPES.find(candidate => candidate === construct.cfnResourceType);
      if (!type) continue;
      const stack = Stack.of(construct);
      const properties = renderedProperties(construct);
      const key = `${type}\u0000${stack.node.path}\u0000${JSON.stringify(properties.GroupId)}`;
      rendered.rules.set(key, [...rendered.rules.get(key) ?? [], { resource: construct, stack, properties }]);
      rendered.stacks.add(stack);
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
  readonly stacks: Set<Stack>;
  readonly exportsByStack: Map<Stack, CfnOutput[]>;
  readonly prefixLists: ec2.CfnPrefixList[];
}

/**
 * The properties of `resource` as its stack's template will have them: resolved, with the overrides
 * (`addPropertyOverride`, `addOverride`) applied, as aws-cdk-lib renders it.
 */
export function renderedProperties(resource: CfnElement): Record<string, unknown> {
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') throw new Error(`aws-cdk-lib renders ${resource.node.path} in a way this library does not know`);
  const template = Stack.of(resource).resolve(render.call(resource)) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  return Object.values(template.Resources ?? {})[0]?.Properties ?? {};
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
