import { Annotations, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct, IDependable } from 'constructs';
import { fail } from '../validation';

/** The address blocks of a VPC, and what must exist before a rule can use them. */
export interface VpcCidrBlocks {
  readonly ipv4: string[];
  readonly ipv6: string[];
  readonly dependencies: IDependable[];
}

/**
 * All CIDR blocks of `vpc` that the app knows when this is called: the primary IPv4 block, and
 * every `AWS::EC2::VPCCidrBlock` for this VPC in the VPC's stack (secondary IPv4 blocks, IPv6
 * blocks). IPv6 blocks that are not literal are taken from the VPC's `Ipv6CidrBlocks` attribute.
 * Of an imported VPC only the primary IPv4 block is known; that is warned about.
 */
export function vpcCidrBlocks(scope: IConstruct, vpc: ec2.IVpc): VpcCidrBlocks {
  let primary: string;
  try {
    primary = vpc.vpcCidrBlock;
  } catch {
    fail(scope, `The CIDR block of VPC ${vpc.node.path} is not known: expected an imported VPC with vpcCidrBlock, or security groups of your own.`);
  }
  const cfnVpc = vpc.node.defaultChild;
  if (!(cfnVpc instanceof ec2.CfnVPC)) {
    Annotations.of(scope).addWarningV2('cdk-privatelink:importedVpcBlocks',
      `VPC ${vpc.node.path} is imported: only its primary IPv4 block is admitted. Add its other blocks with allowedPeers.`);
    return { ipv4: [primary], ipv6: [], dependencies: [] };
  }

  const stack = Stack.of(vpc);
  const vpcKey = JSON.stringify(stack.resolve(vpc.vpcId));
  const associations = stack.node.findAll()
    .filter((c): c is ec2.CfnVPCCidrBlock => c instanceof ec2.CfnVPCCidrBlock)
    .filter(block => JSON.stringify(stack.resolve(block.vpcId)) === vpcKey);

  const ipv4 = [primary];
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
