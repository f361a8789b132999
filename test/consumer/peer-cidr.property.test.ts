import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { InterfaceEndpoint } from '../../src';
import { peerCidrProblem } from '../../src/validation';
import { validationErrorOf } from '../helpers';

const SEED = 9;
const env = { account: '111111111111', region: 'eu-west-1' };

/** A CIDR block as numbers: the oracle below works on these, never on the text. */
interface Block {
  readonly v6: boolean;
  readonly address: bigint;
  readonly prefix: number;
}

type Verdict = 'too wide' | 'mapped' | 'public' | undefined;

const pow2 = (n: number) => 2n ** BigInt(n);
/** The first `n` of the `bits` bits of `address`. */
const top = (address: bigint, bits: number, n: number) => address / pow2(bits - n);
const v4 = (a: number, b: number, c: number, d: number) => BigInt(((a * 256 + b) * 256 + c) * 256 + d);
const PRIVATE_V4 = [[v4(10, 0, 0, 0), 8], [v4(172, 16, 0, 0), 12], [v4(192, 168, 0, 0), 16], [v4(100, 64, 0, 0), 10]] as const;
const UNIQUE_LOCAL = [0xfcn * pow2(120), 7] as const;
const MAPPED = [0xffffn * pow2(32), 96] as const;

/** The documented rule, restated with integer arithmetic on the address and its mask. */
function verdict(block: Block, allowPublic: boolean): Verdict {
  const bits = block.v6 ? 128 : 32;
  const inside = ([base, rangePrefix]: readonly [bigint, number]) =>
    block.prefix >= rangePrefix && top(block.address, bits, rangePrefix) === top(base, bits, rangePrefix);
  if (block.prefix < (block.v6 ? 32 : 8)) return 'too wide';
  // Two blocks overlap exactly when they agree on the bits of the shorter prefix.
  const overlaps = ([base, rangePrefix]: readonly [bigint, number]) => {
    const shorter = Math.min(block.prefix, rangePrefix);
    return top(block.address, bits, shorter) === top(base, bits, shorter);
  };
  if (block.v6 && overlaps(MAPPED)) return 'mapped';
  if (allowPublic || (block.v6 ? [UNIQUE_LOCAL] : PRIVATE_V4).some(inside)) return undefined;
  return 'public';
}

const MESSAGE: Record<NonNullable<Verdict>, RegExp> = {
  'too wide': /too wide for a peer even with allowPublicPeers set to true/,
  'mapped': /an IPv4-mapped IPv6 block: expected the IPv4 block itself/,
  'public': /which includes public addresses: expected .* or allowPublicPeers set to true/,
};

/** Addresses at, just inside and just outside the edges of every range the rule names. */
function edges(ranges: readonly (readonly [bigint, number])[], bits: number): bigint[] {
  const max = pow2(bits) - 1n;
  return ranges.flatMap(([base, rangePrefix]) => {
    const last = base + pow2(bits - rangePrefix) - 1n;
    return [base - 1n, base, base + 1n, last - 1n, last, last + 1n];
  }).filter(a => a >= 0n && a <= max).concat([0n, max]);
}

function addressOf(bits: number, interesting: bigint[]): fc.Arbitrary<bigint> {
  const max = pow2(bits) - 1n;
  return fc.oneof(
    fc.bigInt({ min: 0n, max }),
    fc.constantFrom(...interesting),
    fc.tuple(fc.constantFrom(...interesting), fc.bigInt({ min: -pow2(24), max: pow2(24) }))
      .map(([edge, delta]) => edge + delta)
      .filter(a => a >= 0n && a <= max),
  );
}

function prefixUpTo(max: number, interesting: number[]): fc.Arbitrary<number> {
  return fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(...interesting));
}

const ipv4Block: fc.Arbitrary<Block> = fc.record({
  v6: fc.constant(false),
  address: addressOf(32, edges(PRIVATE_V4, 32)),
  prefix: prefixUpTo(32, [7, 8, 9, 9, 10, 11, 11, 12, 13, 15, 16, 17, 32]),
});

const ipv6Block: fc.Arbitrary<Block> = fc.record({
  v6: fc.constant(true),
  address: addressOf(128, edges([UNIQUE_LOCAL, MAPPED], 128)),
  prefix: prefixUpTo(128, [6, 7, 8, 31, 32, 33, 95, 96, 97, 128]),
});

/** Also sets host bits beyond the prefix, which the rule ignores. */
const block = fc.oneof(ipv4Block, ipv6Block).chain(b => fc.boolean().map(masked => {
  const hosts = pow2((b.v6 ? 128 : 32) - b.prefix);
  return masked ? { ...b, address: (b.address / hosts) * hosts } : b;
}));

function ipv4Text(address: bigint): string {
  return [3, 2, 1, 0].map(octet => String(top(address, 32, 32 - 8 * octet) % 256n)).join('.');
}

interface Ipv6Style {
  readonly compress: boolean;
  readonly pad: boolean;
  readonly upper: boolean;
  readonly dottedTail: boolean;
}

/** An IPv6 address in one of its RFC 4291 text forms. */
function ipv6Text(address: bigint, style: Ipv6Style): string {
  const groupCount = style.dottedTail ? 6 : 8;
  const groups = Array.from({ length: groupCount }, (_, i) => {
    const group = (top(address, 128, 16 * (i + 1)) % 65536n).toString(16);
    return style.pad ? group.padStart(4, '0') : group;
  });
  const tail = style.dottedTail ? [ipv4Text(address % pow2(32))] : [];
  let text = [...groups, ...tail].join(':');
  if (style.compress) {
    let best = { start: -1, length: 0 };
    for (let start = 0; start < groupCount; start++) {
      let length = 0;
      while (start + length < groupCount && /^0+$/.test(groups[start + length])) length++;
      if (length > best.length) best = { start, length };
    }
    if (best.length >= 2) {
      const head = groups.slice(0, best.start).join(':');
      const rest = [...groups.slice(best.start + best.length), ...tail].join(':');
      text = `${head}::${rest}`;
    }
  }
  return style.upper ? text.toUpperCase() : text;
}

const ipv6Style: fc.Arbitrary<Ipv6Style> = fc.record({ compress: fc.boolean(), pad: fc.boolean(), upper: fc.boolean(), dottedTail: fc.boolean() });
const plainStyle = ipv6Style.map(style => ({ ...style, upper: false, dottedTail: false }));

function cidrText(b: Block, style: Ipv6Style): string {
  return `${b.v6 ? ipv6Text(b.address, style) : ipv4Text(b.address)}/${b.prefix}`;
}

describe('peer CIDR rule (property-based)', () => {
  test('peerCidrProblem admits a block exactly when the documented rule does, with and without allowPublicPeers', () => {
    fc.assert(fc.property(block, ipv6Style, fc.boolean(), (b, style, allowPublic) => {
      const cidr = cidrText(b, style);
      const expected = verdict(b, allowPublic);
      const problem = peerCidrProblem(cidr, allowPublic);
      if (expected === undefined) {
        expect(problem).toBeUndefined();
      } else {
        expect(problem).toMatch(MESSAGE[expected]);
        expect(problem).toContain(`'${cidr}'`);
      }
    }), { numRuns: 1000, seed: SEED });
  });

  test('malformed blocks are refused as malformed', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const malformed = fc.oneof(
      fc.tuple(octet, octet, octet, fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
      fc.tuple(ipv4Block, fc.integer({ min: 33, max: 999 })).map(([b, p]) => `${ipv4Text(b.address)}/${p}`),
      fc.tuple(ipv6Block, ipv6Style, fc.integer({ min: 129, max: 999 })).map(([b, style, p]) => `${ipv6Text(b.address, style)}/${p}`),
      fc.tuple(block, ipv6Style).map(([b, style]) => cidrText(b, style).split('/')[0]),
      fc.tuple(block, ipv6Style).map(([b, style]) => `${cidrText(b, style)}/8`),
      fc.tuple(block, ipv6Style).map(([b, style]) => cidrText(b, style).replace('/', '/0')),
      fc.tuple(ipv6Block, plainStyle).map(([b, style]) => `${ipv6Text(b.address, style)}%eth0/${b.prefix}`),
      fc.tuple(octet, octet, octet, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 8, max: 32 })).map(([a, b, c, d, p]) => `${a}.${b}.${c}.0${d}/${p}`),
      fc.string().filter(text => !text.includes('/')),
    );
    fc.assert(fc.property(malformed, fc.boolean(), (cidr, allowPublic) => {
      expect(peerCidrProblem(cidr, allowPublic)).toMatch(/which is not a CIDR block: expected an IPv4 block like/);
    }), { numRuns: 1000, seed: SEED });
  });

  test('InterfaceEndpoint admits a peer exactly when the rule does, and renders it in its security group', () => {
    fc.assert(fc.property(block, plainStyle, fc.boolean(), (b, style, allowPublic) => {
      const cidr = cidrText(b, style);
      const stack = new Stack(new App(), 'Consumer', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const peer = b.v6 ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
      const create = () => new InterfaceEndpoint(stack, 'Endpoint', {
        vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [peer], allowPublicPeers: allowPublic,
      });
      const expected = verdict(b, allowPublic);
      if (expected !== undefined) {
        expect(validationErrorOf(create).message).toMatch(MESSAGE[expected]);
        return;
      }
      create();
      const ingress = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup'))
        .flatMap(group => group.Properties.SecurityGroupIngress ?? []);
      expect(ingress).toContainEqual(expect.objectContaining({ [b.v6 ? 'CidrIpv6' : 'CidrIp']: cidr, FromPort: 443, ToPort: 443 }));
    }), { numRuns: 100, seed: SEED });
  });
});
