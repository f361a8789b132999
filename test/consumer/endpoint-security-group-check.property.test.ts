import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { newApp, newStack, newVpc } from './fixtures';
import { InterfaceEndpoint } from '../../src';

/*
 * The endpoint security group's promise as a property: whatever the way a rule reaches the group (the L2,
 * an override, an L1 or plain resource in its stack or another), the app synthesizes exactly when every CIDR
 * peer is one of the VPC's blocks or an allowed peer, and never with an outbound rule.
 */

const SECONDARY = '100.64.0.0/16';
const PEER = '10.20.0.0/16';
/** The VPC's primary block as the fixture VPC is made with it. */
const PRIMARY_LITERAL = '10.0.0.0/16';

type Mechanism = 'addIngressRule' | 'override' | 'l1' | 'plainResource' | 'otherStack' | 'egress';
const MECHANISMS: Mechanism[] = ['addIngressRule', 'override', 'l1', 'plainResource', 'otherStack', 'egress'];

/** A CIDR block: one the group admits by name, or any other. */
type Cidr = { kind: 'primary' } | { kind: 'literal'; block: string };

const octet = fc.integer({ min: 0, max: 255 });
const otherIpv4 = fc.tuple(octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, prefix]) => `${a}.${b}.0.0/${prefix}`);
const otherIpv6 = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 128 })).map(([head, prefix]) => `${head.toString(16)}::/${prefix}`);
const cidr: fc.Arbitrary<Cidr> = fc.oneof(
  fc.constant<Cidr>({ kind: 'primary' }),
  fc.constantFrom(SECONDARY, PEER, PRIMARY_LITERAL, '0.0.0.0/0', '::/0').map((block): Cidr => ({ kind: 'literal', block })),
  fc.oneof(otherIpv4, otherIpv6).map((block): Cidr => ({ kind: 'literal', block })),
);

function admitted(value: Cidr): boolean {
  return value.kind === 'primary' || [SECONDARY, PEER, PRIMARY_LITERAL].includes(value.block);
}

/** The rule's CIDR as given to CloudFormation properties: the key and the value. */
function cidrProperty(value: Cidr, vpc: ec2.Vpc): { CidrIp?: string; CidrIpv6?: string } {
  if (value.kind === 'primary') return { CidrIp: vpc.vpcCidrBlock };
  return value.block.includes(':') ? { CidrIpv6: value.block } : { CidrIp: value.block };
}

function peerOf(value: Cidr, vpc: ec2.Vpc): ec2.IPeer {
  if (value.kind === 'primary') return ec2.Peer.ipv4(vpc.vpcCidrBlock);
  return value.block.includes(':') ? ec2.Peer.ipv6(value.block) : ec2.Peer.ipv4(value.block);
}

function addRule(mechanism: Mechanism, value: Cidr, port: number, app: App, stack: Stack, vpc: ec2.Vpc, group: ec2.SecurityGroup): void {
  const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
  const rule = { IpProtocol: 'tcp', FromPort: port, ToPort: port, ...cidrProperty(value, vpc) };
  switch (mechanism) {
    case 'addIngressRule': group.addIngressRule(peerOf(value, vpc), ec2.Port.tcp(port)); break;
    case 'override': cfn.addPropertyOverride('SecurityGroupIngress.0', rule); break;
    case 'l1': new ec2.CfnSecurityGroupIngress(stack, 'Rule', {
      groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIp: rule.CidrIp, cidrIpv6: rule.CidrIpv6,
    }); break;
    case 'plainResource': new CfnResource(stack, 'Rule', { type: 'AWS::EC2::SecurityGroupIngress', properties: { GroupId: group.securityGroupId, ...rule } }); break;
    case 'otherStack': new ec2.CfnSecurityGroupIngress(newStack(app, 'Other'), 'Rule', {
      groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIp: rule.CidrIp, cidrIpv6: rule.CidrIpv6,
    }); break;
    case 'egress': group.addEgressRule(peerOf(value, vpc), ec2.Port.tcp(port)); break;
  }
}

function synthesizes(app: App): { ok: true } | { ok: false; message: string } {
  try {
    app.synth();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

describe('endpoint security group check (property-based)', () => {
  test('the app synthesizes exactly when every CIDR peer of the group is admitted, and never with an outbound rule', () => {
    fc.assert(fc.property(fc.constantFrom(...MECHANISMS), cidr, fc.integer({ min: 1, max: 65535 }), (mechanism, value, port) => {
      const app = newApp();
      const stack = newStack(app);
      const vpc = newVpc(stack);
      new ec2.CfnVPCCidrBlock(stack, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: SECONDARY });
      const endpoint = new InterfaceEndpoint(stack, 'Sts', {
        vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [ec2.Peer.ipv4(PEER)],
      });
      addRule(mechanism, value, port, app, stack, vpc, endpoint.securityGroup as ec2.SecurityGroup);

      const result = synthesizes(app);
      const expected = mechanism !== 'egress' && admitted(value);
      expect(result.ok).toBe(expected);
      if (!result.ok) {
        expect(result.message).toMatch(mechanism === 'egress' ? /allows outbound traffic/ : /is neither a CIDR block of VPC Consumer\/Vpc/);
        if (mechanism !== 'egress' && value.kind === 'literal') expect(result.message).toContain(`'${value.block}'`);
      }
    }), { numRuns: 150 });
  });
});
