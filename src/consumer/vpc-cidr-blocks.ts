import { Annotations, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct, IDependable } from 'constructs';
import { SynthesisScans } from './synthesis-scans';
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
