import { BlockList, isIPv4, isIPv6 } from 'net';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { methodName, propName } from './caller-names';
import { describe } from './enum-value';
import { fail } from './errors';
import { literalShape } from './literal-shape';

type Family = 'ipv4' | 'ipv6';

interface Range {
  readonly family: Family;
  readonly prefix: number;
  readonly addresses: BlockList;
}

function range(family: Family, network: string, prefix: number): Range {
  const addresses = new BlockList();
  addresses.addSubnet(network, prefix, family);
  return { family, prefix, addresses };
}

/** RFC 1918 private, RFC 6598 shared and RFC 4193 unique local addresses: peers need no opt-in here. */
const NON_PUBLIC = [
  range('ipv4', '10.0.0.0', 8),
  range('ipv4', '172.16.0.0', 12),
  range('ipv4', '192.168.0.0', 16),
  range('ipv4', '100.64.0.0', 10),
  range('ipv6', 'fc00::', 7),
];
const IPV4_MAPPED = range('ipv6', '::ffff:0:0', 96);
const BITS = { ipv4: 32, ipv6: 128 };
/** The widest block a security group peer may be, by family: /8 for IPv4, /32 for IPv6. */
export const WIDEST_PEER_PREFIX = { ipv4: 8, ipv6: 32 } as const;
const NAME = { ipv4: 'IPv4', ipv6: 'IPv6' };
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Why a literal CIDR block cannot be a security group peer, or `undefined` if it can:
 * - it must be an IPv4 block (dotted quad, prefix 0-32) or an IPv6 block (any RFC 4291 text
 *   form, no zone, prefix 0-128);
 * - its prefix must be at least /8 (IPv4) or /32 (IPv6), even when `allowPublic`;
 * - an IPv6 block that shares addresses with the IPv4-mapped range `::ffff:0:0/96` is refused
 *   rather than judged as IPv4: the IPv4 block must be given as such;
 * - unless `allowPublic`, it must lie wholly inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
 *   100.64.0.0/10 or fc00::/7.
 * Host bits set after the prefix are ignored: `10.1.2.3/8` is judged as `10.0.0.0/8`.
 */
export function peerCidrProblem(cidr: unknown, allowPublic: boolean): string | undefined {
  const prop = propName('allowedPeers');
  const [address, prefixText, ...rest] = typeof cidr === 'string' ? cidr.split('/') : [];
  const family: Family | undefined = isIPv4(address ?? '') ? 'ipv4' : isIPv6(address ?? '') && !address.includes('%') ? 'ipv6' : undefined;
  const prefix = Number(prefixText);
  if (!family || rest.length > 0 || !PREFIX.test(prefixText ?? '') || prefix > BITS[family]) {
    return `${prop} has ${describe(cidr)}, which is not a CIDR block: expected an IPv4 block like '10.20.0.0/16' (four numbers `
      + "from 0 to 255, a prefix from 0 to 32) or an IPv6 block like 'fd00:1234::/48' (a prefix from 0 to 128).";
  }
  const kind = NAME[family];
  if (prefix < WIDEST_PEER_PREFIX[family]) {
    return `${prop} has '${cidr}', ${prefix === 0 ? `which is every ${kind} address` : `a /${prefix} block`}, too wide for a peer `
      + `even with ${propName('allowPublicPeers')} set to true: expected an ${kind} block with a prefix of /${WIDEST_PEER_PREFIX[family]} or more, `
      + "such as a peered VPC's CIDR block.";
  }
  if (family === 'ipv6' && overlapsIpv4Mapped(address, prefix)) {
    return `${prop} has '${cidr}', an IPv4-mapped IPv6 block: expected the IPv4 block itself, with ${methodName('ipv4', 'Peer')}.`;
  }
  if (allowPublic || NON_PUBLIC.some(r => r.family === family && prefix >= r.prefix && r.addresses.check(address, family))) {
    return undefined;
  }
  const expected = family === 'ipv4'
    ? 'a block inside a private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or shared (100.64.0.0/10) range'
    : 'a block inside the unique local range (fc00::/7)';
  return `${prop} has '${cidr}', which includes public addresses: expected ${expected}, `
    + `or ${propName('allowPublicPeers')} set to true to admit public addresses.`;
}

/** Whether the block shares addresses with `::ffff:0:0/96`: it lies inside it, or holds all of it. */
function overlapsIpv4Mapped(address: string, prefix: number): boolean {
  if (prefix >= 96) return IPV4_MAPPED.addresses.check(address, 'ipv6');
  const block = new BlockList();
  block.addSubnet(address, prefix, 'ipv6');
  return block.check('::ffff:0:0', 'ipv6');
}

/**
 * Fails if `peer` is a literal CIDR block that {@link peerCidrProblem} refuses. Security groups
 * and prefix lists pass. A block given as a token is checked again at synthesis, as the template
 * will have it: wholly, once its tokens resolve to text, or else by its literal prefix.
 */
export function validatePeer(scope: IConstruct, peer: ec2.IPeer, allowPublic: boolean): void {
  const rule = peer.toIngressRuleConfig();
  for (const [family, cidr] of [['ipv4', rule.cidrIp], ['ipv6', rule.cidrIpv6]] as Array<[Family, unknown]>) {
    if (cidr === undefined) continue;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      scope.node.addValidation({ validate: () => synthesizedProblems(scope, family, cidr, allowPublic) });
      continue;
    }
    const problem = peerCidrProblem(cidr, allowPublic);
    if (problem) fail(scope, problem);
  }
}

function synthesizedProblems(scope: IConstruct, family: Family, cidr: string, allowPublic: boolean): string[] {
  const shape = literalShape(scope, cidr);
  if (shape === undefined) return [];
  if (!Token.isUnresolved(shape)) return [peerCidrProblem(shape, allowPublic) ?? []].flat();
  const prefix = /\/(\d+)$/.exec(shape)?.[1];
  if (prefix === undefined || Number(prefix) >= WIDEST_PEER_PREFIX[family]) return [];
  return [`${propName('allowedPeers')} has a ${NAME[family]} block '${shape}' (with a reference) of prefix /${prefix}, too wide for a peer `
    + `whatever the reference resolves to: expected a prefix of /${WIDEST_PEER_PREFIX[family]} or more.`];
}
