import { Annotations, Fn, Stack, Stage } from 'aws-cdk-lib';
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
 * `AWS::EC2::SecurityGroupIngress` rules with CIDR peers while the tree is validated. Aspects run before validation
 * in every synthesis, so a scan never outlives the synthesis it was taken in.
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

  private readonly cidrBlocksByStack = new Map<Stack, Map<string, ec2.CfnVPCCidrBlock[]>>();
  private cidrIngressRulesByGroup?: Map<string, ec2.CfnSecurityGroupIngress[]>;

  private constructor(private readonly root: IConstruct, private readonly phase: SynthesisPhase) {}

  /** The `AWS::EC2::VPCCidrBlock`s for `vpc` in its stack (nested stacks included), in the order of a pre-order walk. */
  public cidrBlocksOf(vpc: ec2.IVpc): ec2.CfnVPCCidrBlock[] {
    const stack = Stack.of(vpc);
    let byVpc = this.cidrBlocksByStack.get(stack);
    if (!byVpc) {
      byVpc = new Map();
      for (const construct of stack.node.findAll()) {
        if (!(construct instanceof ec2.CfnVPCCidrBlock)) continue;
        const key = resolvedKey(stack, construct.vpcId);
        byVpc.set(key, [...byVpc.get(key) ?? [], construct]);
      }
      this.cidrBlocksByStack.set(stack, byVpc);
    }
    return byVpc.get(resolvedKey(stack, vpc.vpcId)) ?? [];
  }

  /**
   * The `AWS::EC2::SecurityGroupIngress` resources with a CIDR peer anywhere in the stage whose `GroupId`
   * is `group`: the same reference, or in the group's stack a `Ref` or `Fn::GetAtt GroupId` of it.
   */
  public cidrIngressRulesOf(group: ec2.SecurityGroup): ec2.CfnSecurityGroupIngress[] {
    if (!this.cidrIngressRulesByGroup) {
      this.cidrIngressRulesByGroup = new Map();
      for (const construct of this.root.node.findAll()) {
        if (!(construct instanceof ec2.CfnSecurityGroupIngress) || construct.groupId === undefined) continue;
        if (construct.cidrIp === undefined && construct.cidrIpv6 === undefined) continue;
        for (const key of new Set([construct.groupId, stackKey(Stack.of(construct), construct.groupId)])) {
          this.cidrIngressRulesByGroup.set(key, [...this.cidrIngressRulesByGroup.get(key) ?? [], construct]);
        }
      }
    }
    if (this.cidrIngressRulesByGroup.size === 0) return [];
    const stack = group.stack;
    const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
    const keys = [group.securityGroupId, stackKey(stack, cfn.ref), stackKey(stack, cfn.attrGroupId)];
    return [...new Set(keys.flatMap(key => this.cidrIngressRulesByGroup!.get(key) ?? []))];
  }
}

function resolvedKey(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}

function stackKey(stack: Stack, value: unknown): string {
  return `${stack.node.path}\u0000${resolvedKey(stack, value)}`;
}
