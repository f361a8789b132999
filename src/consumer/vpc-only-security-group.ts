import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { vpcCidrBlocks } from './vpc-cidr-blocks';
import { acknowledgeRule, acknowledgeRuleInPacks, fail, HIPAA_SECURITY, NIST_800_53_R5, PCI_DSS_321 } from '../validation';

/**
 * A security group for interface endpoints that admits only the VPC's own CIDR blocks (all
 * IPv4 blocks and, for an IPv6 or dualstack endpoint, all IPv6 blocks) on the given TCP ports. It never
 * admits `0.0.0.0/0` or `::/0`, and allows no outbound traffic (endpoints answer, they do
 * not call out). Unless `extraPeers` (the caller adds peers of its own), the compliance packs' rules on
 * unrestricted ports are acknowledged on it: they cannot read the VPC's blocks, references.
 */
export function vpcOnlySecurityGroup(
  scope: Construct, id: string, vpc: ec2.IVpc, ports: number[], ipAddressType?: ec2.VpcEndpointIpAddressType, extraPeers = false,
): ec2.SecurityGroup {
  const ipv6 = ipAddressType === ec2.VpcEndpointIpAddressType.IPV6 || ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK;
  const group = new ec2.SecurityGroup(scope, id, {
    vpc,
    description: `Interface endpoints of ${scope.node.path}: TCP ${ports.join(', ')} from the VPC only`,
    allowAllOutbound: false,
    allowAllIpv6Outbound: false,
  });
  const blocks = vpcCidrBlocks(scope, vpc);
  if (ipv6 && blocks.ipv6.length === 0) {
    fail(scope, `No IPv6 CIDR block of VPC ${vpc.node.path} is known for this IPv6 or dualstack endpoint: expected a dualstack `
      + 'VPC of this app, or security groups of your own (securityGroups).');
  }
  const peers = [...blocks.ipv4.map(block => ec2.Peer.ipv4(block)), ...(ipv6 ? blocks.ipv6.map(block => ec2.Peer.ipv6(block)) : [])];
  for (const peer of peers) {
    for (const port of ports) group.addIngressRule(peer, ec2.Port.tcp(port), `TCP ${port} from the VPC`);
  }
  group.node.addDependency(...blocks.dependencies);
  acknowledgeRule(group, 'AwsSolutions-EC23',
    'Ingress only from the VPC\'s own CIDR blocks, which are CloudFormation references that cdk-nag cannot read; never 0.0.0.0/0 or ::/0.');
  if (!extraPeers) {
    for (const rule of ['EC2RestrictedCommonPorts', 'EC2RestrictedSSH']) {
      acknowledgeRuleInPacks(group, rule, [NIST_800_53_R5, HIPAA_SECURITY, PCI_DSS_321],
        `The library admits only the VPC's own CIDR blocks, on TCP ${ports.join(', ')}: CloudFormation references that cdk-nag cannot `
        + 'read. Never 0.0.0.0/0 or ::/0; with allowedPeers this is not acknowledged.');
    }
  }
  return group;
}
