import { Annotations, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct, IDependable } from 'constructs';

/** The address blocks of a VPC, and what must exist before a rule can use them. */
export interface VpcCidrBlocks {
  readonly ipv4: string[];
  readonly ipv6: string[];
  readonly dependencies: IDependable[];
}

/**
 * All CIDR blocks of `vpc` that the app knows: the primary IPv4 block, and every
 * `AWS::EC2::VPCCidrBlock` of the stack for this VPC (secondary IPv4 blocks, IPv6 blocks).
 * Amazon-provided IPv6 blocks are taken from the VPC's `Ipv6CidrBlocks` attribute.
 */
export function vpcCidrBlocks(scope: IConstruct, vpc: ec2.IVpc): VpcCidrBlocks {
  const stack = Stack.of(scope);
  const vpcKey = JSON.stringify(stack.resolve(vpc.vpcId));
  const associations = stack.node.findAll()
    .filter((c): c is ec2.CfnVPCCidrBlock => c instanceof ec2.CfnVPCCidrBlock)
    .filter(block => JSON.stringify(stack.resolve(block.vpcId)) === vpcKey);

  const ipv4 = [vpc.vpcCidrBlock];
  const ipv6: string[] = [];
  let unknownIpv6 = 0;
  for (const block of associations) {
    if (block.cidrBlock) {
      ipv4.push(block.cidrBlock);
    } else if (block.ipv6CidrBlock) {
      ipv6.push(block.ipv6CidrBlock);
    } else if (block.amazonProvidedIpv6CidrBlock || block.ipv6IpamPoolId || block.ipv6Pool) {
      unknownIpv6++;
    } else {
      Annotations.of(scope).addWarningV2('cdk-privatelink:unknownCidrBlock',
        `The CIDR block of ${block.node.path} is not known at synthesis (an IPAM pool): add it with allowedPeers if needed.`);
    }
  }
  const attribute = (vpc as ec2.IVpc & { vpcIpv6CidrBlocks?: string[] }).vpcIpv6CidrBlocks;
  if (unknownIpv6 > 0 && attribute) {
    // The order of the attribute is not documented; taking every index covers every block.
    for (let index = 0; index < unknownIpv6; index++) ipv6.push(Fn.select(index, attribute));
  }
  return { ipv4: unique(ipv4), ipv6: unique(ipv6), dependencies: associations };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
