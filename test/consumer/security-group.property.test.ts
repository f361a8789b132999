import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import { GatewayEndpoint, InterfaceEndpoint } from '../../src';

const RUNS = 1000;
const env = { account: '111111111111', region: 'eu-west-1' };

const octet = fc.integer({ min: 0, max: 255 });
const ipv4Block = fc.tuple(octet, octet, fc.integer({ min: 8, max: 28 })).map(([a, b, prefix]) => `${a}.${b}.0.0/${prefix}`);
const ipv6Block = fc.tuple(fc.integer({ min: 0x2001, max: 0x2fff }), fc.integer({ min: 32, max: 64 }))
  .map(([head, prefix]) => `${head.toString(16)}:db8::/${prefix}`);
const openBlock = fc.constantFrom('0.0.0.0/0', '::/0', '::0/0', '0::/0', '10.0.0.0/0', '0:0:0:0:0:0:0:0/0');

/** The CIDRs that the endpoint's security groups admit, as rendered. */
function admitted(stack: Stack): string[] {
  return stack.node.findAll()
    .flatMap(c => c instanceof ec2.CfnSecurityGroup ? stack.resolve(c.securityGroupIngress) ?? []
      : c instanceof ec2.CfnSecurityGroupIngress ? [stack.resolve({ cidrIp: c.cidrIp, cidrIpv6: c.cidrIpv6 })] : [])
    .map((rule: any) => rule.cidrIp ?? rule.cidrIpv6)
    .filter((cidr: unknown) => cidr !== undefined)
    .map((cidr: unknown) => JSON.stringify(cidr));
}

describe('interface endpoint security groups (property-based)', () => {
  test('admit only the VPC blocks and the given peers, whatever the VPC, IP type and peers', () => {
    fc.assert(fc.property(
      fc.uniqueArray(ipv4Block, { maxLength: 3 }),
      fc.boolean(),
      fc.constantFrom(undefined, ec2.VpcEndpointIpAddressType.IPV4, ec2.VpcEndpointIpAddressType.DUALSTACK),
      fc.uniqueArray(fc.oneof(ipv4Block, ipv6Block), { maxLength: 3 }),
      (secondary, dualstack, ipAddressType, peers) => {
        fc.pre(dualstack || ipAddressType !== ec2.VpcEndpointIpAddressType.DUALSTACK);
        const stack = new Stack(new App(), 'Consumer', { env });
        const vpc = new ec2.Vpc(stack, 'Vpc', {
          maxAzs: 2,
          natGateways: 0,
          ipProtocol: dualstack ? ec2.IpProtocol.DUAL_STACK : ec2.IpProtocol.IPV4_ONLY,
          subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
        });
        secondary.forEach((block, i) => new ec2.CfnVPCCidrBlock(stack, `Block${i}`, { vpcId: vpc.vpcId, cidrBlock: block }));
        new InterfaceEndpoint(stack, 'Endpoint', {
          vpc,
          service: ec2.InterfaceVpcEndpointAwsService.STS,
          ipAddressType,
          allowedPeers: peers.map(peer => peer.includes(':') ? ec2.Peer.ipv6(peer) : ec2.Peer.ipv4(peer)),
          allowPublicPeers: true, // the peer blocks are mostly public; peer-cidr.property.test.ts covers the rule
        });

        const allowed = new Set([
          JSON.stringify(stack.resolve(vpc.vpcCidrBlock)),
          ...secondary.map(block => JSON.stringify(block)),
          ...peers.map(peer => JSON.stringify(peer)),
          ...(ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK ? [JSON.stringify(stack.resolve(Fn.select(0, vpc.vpcIpv6CidrBlocks)))] : []),
        ]);
        (stack.node.root as App).synth(); // the VPC's other blocks are admitted when aspects run
        const rules = admitted(stack);
        for (const cidr of rules) expect(allowed).toContain(cidr);
        for (const block of secondary) expect(rules).toContain(JSON.stringify(block));
        expect(rules.some(cidr => /\/0+"$/.test(cidr))).toBe(false);
      },
    ), { numRuns: RUNS });
  });

  test('refuse every peer that is a /0 block, even with allowPublicPeers', () => {
    fc.assert(fc.property(openBlock, fc.boolean(), (block, allowPublicPeers) => {
      const stack = new Stack(new App(), 'Consumer', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const peer = block.includes(':') ? ec2.Peer.ipv6(block) : ec2.Peer.ipv4(block);
      expect(() => new InterfaceEndpoint(stack, 'Endpoint', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [peer], allowPublicPeers }))
        .toThrow(/which is every IPv[46] address/);
    }), { numRuns: 50 });
  });
});

describe('gateway endpoint policies (property-based)', () => {
  test('a statement is taken exactly when its principal is everyone', () => {
    const principal = fc.oneof(
      fc.constant({ name: 'any', principal: new iam.AnyPrincipal(), everyone: true }),
      fc.constant({ name: 'star', principal: new iam.StarPrincipal(), everyone: true }),
      fc.stringMatching(/^\d{12}$/).map(id => ({ name: 'account', principal: new iam.AccountPrincipal(id), everyone: false })),
      fc.stringMatching(/^[a-z]{3,10}$/).map(name => ({ name: 'service', principal: new iam.ServicePrincipal(`${name}.amazonaws.com`), everyone: false })),
      fc.stringMatching(/^[a-z]{3,10}$/).map(name => ({ name: 'role', principal: new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/${name}`), everyone: false })),
    );
    const stack = new Stack(new App(), 'Consumer', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
    fc.assert(fc.property(principal, ({ principal: p, everyone }) => {
      const add = () => endpoint.addToPolicy(new iam.PolicyStatement({ principals: [p], actions: ['s3:GetObject'], resources: ['*'] }));
      if (everyone) expect(add).not.toThrow();
      else expect(add).toThrow(/must use Principal '\*'/);
    }), { numRuns: 1000 });
  });
});
