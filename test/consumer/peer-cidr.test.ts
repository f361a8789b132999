import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { callerLanguage, CallerLanguage, PrivateLinkValidationError } from '../../src/validation';
import { validationErrorOf } from '../helpers';

const env = { account: '111111111111', region: 'eu-west-1' };
const PUBLIC = /which includes public addresses: expected .*, or allowPublicPeers set to true to admit public addresses/;
const TOO_WIDE = /too wide for a peer even with allowPublicPeers set to true: expected an IPv[46] block with a prefix of \/(8|32) or more/;
const MALFORMED = /which is not a CIDR block: expected an IPv4 block like '10\.20\.0\.0\/16'/;

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** A peer whose ingress rule config is `config`, as a JavaScript caller could pass. */
function rawPeer(config: Record<string, unknown>): ec2.IPeer {
  return { canInlineRule: true, uniqueId: 'raw', connections: undefined as any, toIngressRuleConfig: () => config, toEgressRuleConfig: () => config };
}

function peerOf(cidr: string): ec2.IPeer {
  return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
}

/** Builds an endpoint with `peers` and returns its stack's template. */
function endpointWith(peers: (stack: Stack) => ec2.IPeer[], allowPublicPeers?: boolean): Template {
  const stack = new Stack(new App(), 'Consumer', { env });
  new InterfaceEndpoint(stack, 'Sts', { vpc: vpcIn(stack), service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: peers(stack), allowPublicPeers });
  return Template.fromStack(stack);
}

function refusal(cidr: string | ec2.IPeer, allowPublicPeers?: boolean): PrivateLinkValidationError {
  return validationErrorOf(() => endpointWith(() => [typeof cidr === 'string' ? peerOf(cidr) : cidr], allowPublicPeers));
}

function expectAdmitted(template: Template, rule: Record<string, unknown>): void {
  template.hasResourceProperties('AWS::EC2::SecurityGroup', {
    SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp', ...rule })]),
  });
}

test('the tests run as a TypeScript caller (prop names unchanged)', () => {
  expect(callerLanguage()).toBe(CallerLanguage.TYPESCRIPT);
});

describe('allowedPeers: blocks wider than /8 (IPv4) or /32 (IPv6) are refused', () => {
  test.each([
    ['0.0.0.0/1', 'a /1 block'],
    ['128.0.0.0/1', 'a /1 block'],
    ['::/1', 'a /1 block'],
    ['0.0.0.0/0', 'which is every IPv4 address'],
    ['::/0', 'which is every IPv6 address'],
    ['10.0.0.0/7', 'a /7 block'],
    ['fc00::/7', 'a /7 block'],
    ['fd00::/8', 'a /8 block'],
    ['2600::/31', 'a /31 block'],
  ])('%s', (cidr, what) => {
    const error = refusal(cidr);
    expect(error.message).toContain(`allowedPeers has '${cidr}', ${what}`);
    expect(error.message).toMatch(TOO_WIDE);
    expect(error.message).toContain('[at Consumer/Sts]');
  });

  test('0.0.0.0/7 even with allowPublicPeers', () => {
    const error = refusal('0.0.0.0/7', true);
    expect(error.message).toContain("allowedPeers has '0.0.0.0/7', a /7 block");
    expect(error.message).toMatch(TOO_WIDE);
  });

  test('Peer.anyIpv4() and Peer.anyIpv6(), even with allowPublicPeers', () => {
    expect(refusal(ec2.Peer.anyIpv4(), true).message).toContain("'0.0.0.0/0', which is every IPv4 address");
    expect(refusal(ec2.Peer.anyIpv6(), true).message).toContain("'::/0', which is every IPv6 address");
  });

  test('0.0.0.0/1 and 128.0.0.0/1 together', () => {
    const error = validationErrorOf(() => endpointWith(() => [ec2.Peer.ipv4('0.0.0.0/1'), ec2.Peer.ipv4('128.0.0.0/1')], true));
    expect(error.message).toContain("'0.0.0.0/1', a /1 block");
  });
});

describe('allowedPeers: public blocks need allowPublicPeers', () => {
  test.each(['1.0.0.0/8', '8.8.8.8/32', '2001:db8::/32', '2600:1f18:abcd:1200::/56', '172.32.0.0/16', '192.169.0.0/16'])('%s is refused without it', cidr => {
    const error = refusal(cidr);
    expect(error.message).toContain(`allowedPeers has '${cidr}', which includes public addresses`);
    expect(error.message).toMatch(PUBLIC);
  });

  test('the message lists the ranges of the block\'s family', () => {
    expect(refusal('1.0.0.0/8').message).toContain('expected a block inside a private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or shared (100.64.0.0/10) range');
    expect(refusal('2001:db8::/32').message).toContain('expected a block inside the unique local range (fc00::/7)');
  });

  test('100.0.0.0/8 is refused: only part of it is shared address space', () => {
    expect(refusal('100.0.0.0/8').message).toMatch(PUBLIC);
  });

  test.each(['172.0.0.0/8', '192.0.0.0/8', '100.0.0.0/9'])('%s, which only overlaps a private range, is refused', cidr => {
    expect(refusal(cidr).message).toMatch(PUBLIC);
  });

  test.each([
    ['1.0.0.0/8', { CidrIp: '1.0.0.0/8' }],
    ['2001:db8::/32', { CidrIpv6: '2001:db8::/32' }],
    ['2600:1f18:abcd:1200::/56', { CidrIpv6: '2600:1f18:abcd:1200::/56' }],
  ])('%s is admitted with it', (cidr, rule) => {
    expectAdmitted(endpointWith(() => [peerOf(cidr)], true), rule);
  });

  test('allowPublicPeers must be a boolean', () => {
    const error = refusal('1.0.0.0/8', 'yes' as unknown as boolean);
    expect(error.message).toContain("allowPublicPeers is 'yes': expected true or false.");
  });
});

describe('allowedPeers: private, shared and unique local blocks are admitted without opt-in', () => {
  test.each([
    ['10.0.0.0/8', { CidrIp: '10.0.0.0/8' }],
    ['172.16.0.0/12', { CidrIp: '172.16.0.0/12' }],
    ['192.168.10.0/24', { CidrIp: '192.168.10.0/24' }],
    ['100.64.0.0/10', { CidrIp: '100.64.0.0/10' }],
    ['100.127.255.255/32', { CidrIp: '100.127.255.255/32' }],
    ['fd00:1234:5678::/48', { CidrIpv6: 'fd00:1234:5678::/48' }],
    ['fc00::/32', { CidrIpv6: 'fc00::/32' }],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', { CidrIpv6: 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128' }],
  ])('%s', (cidr, rule) => {
    expectAdmitted(endpointWith(() => [peerOf(cidr)]), rule);
  });
});

describe('allowedPeers: peers that are not literal CIDR blocks pass', () => {
  test('a token CIDR block', () => {
    const template = endpointWith(stack => [ec2.Peer.ipv4(new CfnParameter(stack, 'PeerCidr').valueAsString)]);
    expectAdmitted(template, { CidrIp: { Ref: 'PeerCidr' } });
  });

  test('a token IPv6 block', () => {
    const template = endpointWith(stack => [ec2.Peer.ipv6(new CfnParameter(stack, 'PeerCidr').valueAsString)]);
    expectAdmitted(template, { CidrIpv6: { Ref: 'PeerCidr' } });
  });

  test('a prefix list', () => {
    const template = endpointWith(() => [ec2.Peer.prefixList('pl-0123456789abcdef0')]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, SourcePrefixListId: 'pl-0123456789abcdef0' });
  });

  test('a security group', () => {
    const template = endpointWith(() => [ec2.Peer.securityGroupId('sg-0123456789abcdef0')]);
    expectAdmitted(template, { SourceSecurityGroupId: 'sg-0123456789abcdef0' });
  });
});

describe('allowedPeers: malformed blocks are refused', () => {
  test.each(['300.0.0.0/8', '10.0.0.0/33', '10.0.0/8', '010.0.0.0/8', '10.0.0.0/08', 'fd00::/129', 'fd00::1::/64', 'fd00::/64/1', 'fe80::1%eth0/64', '10.0.0.0', '', 'fd00::gg/64'])(
    '%p', cidr => {
      const error = refusal(rawPeer(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIp: cidr }), true);
      expect(error.message).toContain(`allowedPeers has '${cidr}', which is not a CIDR block`);
      expect(error.message).toMatch(MALFORMED);
    });

  test('a value that is not a string', () => {
    expect(refusal(rawPeer({ cidrIp: 167772160 }), true).message).toContain('allowedPeers has 167772160, which is not a CIDR block');
  });

  test('ec2.Peer.ipv4() checks only the shape, so the range is checked here', () => {
    expect(refusal('999.1.1.1/8', true).message).toMatch(MALFORMED);
  });
});

describe('allowedPeers: IPv4-mapped IPv6 blocks are refused', () => {
  test.each(['::ffff:a00:0/104', '::ffff:10.0.0.0/104', '0:0:0:0:0:ffff:c0a8:0/112'])('%s', cidr => {
    const error = refusal(rawPeer({ cidrIpv6: cidr }), true);
    expect(error.message).toContain(`allowedPeers has '${cidr}', an IPv4-mapped IPv6 block: expected the IPv4 block itself, with Peer.ipv4().`);
  });

  test('a wider block around the mapped range is refused too, even with allowPublicPeers', () => {
    expect(refusal(rawPeer({ cidrIpv6: '::ffff:0:0/95' })).message).toMatch(/an IPv4-mapped IPv6 block/);
    expect(refusal(rawPeer({ cidrIpv6: '::/32' }), true).message).toMatch(/an IPv4-mapped IPv6 block/);
  });
});

describe('allowedPeers through AwsServiceEndpoints', () => {
  function endpoints(peers: ec2.IPeer[], allowPublicPeers?: boolean): Template {
    const stack = new Stack(new App(), 'Consumer', { env });
    new AwsServiceEndpoints(stack, 'Ssm', { vpc: vpcIn(stack), services: AwsServiceEndpoints.sessionManager(), allowedPeers: peers, allowPublicPeers });
    return Template.fromStack(stack);
  }

  test('refuses a public block without allowPublicPeers', () => {
    const error = validationErrorOf(() => endpoints([ec2.Peer.ipv4('1.0.0.0/8')]));
    expect(error.message).toMatch(PUBLIC);
    expect(error.message).toContain("'1.0.0.0/8'");
    expect(error.message).toContain('[at Consumer/Ssm/');
  });

  test('refuses a wide block with allowPublicPeers', () => {
    expect(validationErrorOf(() => endpoints([ec2.Peer.ipv6('::/1')], true)).message).toMatch(TOO_WIDE);
  });

  test('admits a private block, and a public one with allowPublicPeers, in the shared group', () => {
    expectAdmitted(endpoints([ec2.Peer.ipv4('192.168.0.0/16')]), { CidrIp: '192.168.0.0/16' });
    expectAdmitted(endpoints([ec2.Peer.ipv4('1.0.0.0/8')], true), { CidrIp: '1.0.0.0/8' });
  });
});
