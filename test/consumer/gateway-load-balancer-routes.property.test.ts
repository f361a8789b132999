import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { GatewayLoadBalancerEndpoint, GatewayLoadBalancerService } from '../../src';
import { cidrProblem, ingressDestinationProblem } from '../../src/consumer/gateway-load-balancer-routes';

const SEED = 7;
const env = { account: '123456789012', region: 'eu-west-1' };

/** A dualstack endpoint in an imported VPC: nothing but the endpoint and its routes in the template. */
function newEndpoint(): { stack: Stack; endpoint: GatewayLoadBalancerEndpoint } {
  const stack = new Stack(new App(), 'Consumer', { env });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] });
  const endpoint = new GatewayLoadBalancerEndpoint(stack, 'Endpoint', {
    vpc,
    service: GatewayLoadBalancerService.fromServiceName('com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0'),
    subnet: ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0123456789abcdef0'),
    ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
  });
  return { stack, endpoint };
}

const pow2 = (n: number) => 2n ** BigInt(n);
/** `value` with every bit after the first `prefix` of `bits` cleared: the network of a block. */
const network = (value: bigint, bits: number, prefix: number) => (value / pow2(bits - prefix)) * pow2(bits - prefix);
const hex = (n: number, length: number) => n.toString(16).padStart(length, '0');
/** A 32-bit value as four decimal octets. */
const dotted = (value: bigint) => [3, 2, 1, 0].map(k => (value / pow2(8 * k)) % 256n).join('.');

const routeTableId = fc.constantFrom('rtb-0123456789abcdef0', 'rtb-11111111', 'rtb-22222222', 'rtb-0fedcba9876543210', 'rtb-abcdef01');
/** Distinct IPv4 networks, written canonically. */
const ipv4Blocks = fc.uniqueArray(
  fc.tuple(fc.bigInt({ min: 0n, max: pow2(32) - 1n }), fc.integer({ min: 1, max: 32 })).map(([value, prefix]) => {
    const n = network(value, 32, prefix);
    return `${dotted(n)}/${prefix}`;
  }),
  { minLength: 1, maxLength: 4 },
);

/** An IPv6 network as eight 16-bit groups, with runs of zero groups so that it can be written with `::`. */
const ipv6Network = fc.tuple(
  fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
  fc.integer({ min: 0, max: 128 }),
).map(([groups, prefix]) => {
  const value = network(groups.reduce((v, g) => v * 65536n + BigInt(g), 0n), 128, prefix);
  return { groups: [7, 6, 5, 4, 3, 2, 1, 0].map(k => Number((value / pow2(16 * k)) % 65536n)), prefix };
});

/** One of the RFC 4291 text forms of the network: full or short groups, any case, one run of zeros as `::`, or a dotted IPv4 tail. */
function ipv6Form(groups: number[], prefix: number, form: { padded: boolean; upper: boolean; dotted: boolean; zeroRun: number }): string {
  const text = (gs: number[]) => gs.map(g => hex(g, form.padded ? 4 : 1));
  let words = text(groups);
  if (form.dotted) {
    const [high, low] = groups.slice(6);
    words = [...text(groups.slice(0, 6)), [Math.floor(high / 256), high % 256, Math.floor(low / 256), low % 256].join('.')];
  }
  const runs: Array<[number, number]> = [];
  const limit = form.dotted ? 6 : 8;
  for (let i = 0; i < limit; i++) {
    if (groups[i] !== 0) continue;
    let end = i;
    while (end + 1 < limit && groups[end + 1] === 0) end++;
    runs.push([i, end]);
    i = end;
  }
  let address = words.join(':');
  if (runs.length > 0) {
    const [start, end] = runs[form.zeroRun % runs.length];
    address = `${words.slice(0, start).join(':')}::${words.slice(end + 1).join(':')}`;
  }
  return `${form.upper ? address.toUpperCase() : address}/${prefix}`;
}

const form = fc.record({ padded: fc.boolean(), upper: fc.boolean(), dotted: fc.boolean(), zeroRun: fc.nat(3) });

describe('GatewayLoadBalancerEndpoint routes (property)', () => {
  test('every given route table gets exactly one route to each destination, through the endpoint', () => {
    fc.assert(fc.property(fc.array(routeTableId, { minLength: 1, maxLength: 6 }), ipv4Blocks, (tables, destinations) => {
      const { stack, endpoint } = newEndpoint();
      endpoint.addReturnRoutes({ routeTableIds: tables, ipv4Destinations: destinations, ipv6Destinations: [] });
      const routes = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Route')).map(r => r.Properties);
      const expected = [...new Set(tables)].flatMap(table => destinations.map(destination => `${table} ${destination}`)).sort();
      expect(routes.map(r => `${r.RouteTableId} ${r.DestinationCidrBlock}`).sort()).toEqual(expected);
      expect(routes.every(r => JSON.stringify(r.VpcEndpointId) === JSON.stringify(stack.resolve(endpoint.vpcEndpointId)))).toBe(true);
    }), { seed: SEED, numRuns: 60 });
  });

  test('an IPv6 block is one destination however it is written; different blocks are different destinations', () => {
    fc.assert(fc.property(ipv6Network, ipv6Network, form, form, ({ groups, prefix }, other, first, second) => {
      const { endpoint } = newEndpoint();
      const given = ipv6Form(groups, prefix, first);
      expect(cidrProblem(given, 'ipv6')).toBeUndefined();
      endpoint.addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: [given] });
      const again = () => endpoint.addReturnRoutes({
        routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: [ipv6Form(groups, prefix, second)],
      });
      expect(again).toThrow(/is already defined by Consumer\/Endpoint\/ReturnRoute/);
      const same = other.prefix === prefix && other.groups.every((g, i) => g === groups[i]);
      const different = () => endpoint.addReturnRoutes({
        routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: [ipv6Form(other.groups, other.prefix, second)],
      });
      if (same) expect(different).toThrow(/already defined/);
      else expect(different).not.toThrow();
    }), { seed: SEED, numRuns: 150 });
  });

  test('a block with bits set after its prefix is refused, naming its network', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: pow2(32) - 1n }), fc.integer({ min: 0, max: 32 }), (value, prefix) => {
      const address = dotted(value);
      const n = network(value, 32, prefix);
      const problem = cidrProblem(`${address}/${prefix}`, 'ipv4');
      if (n === value) {
        expect(problem).toBeUndefined();
      } else {
        expect(problem).toBe(`it has bits set after the /${prefix} prefix: expected '${dotted(n)}/${prefix}'`);
      }
    }), { seed: SEED, numRuns: 300 });
  });

  test('an ingress destination is refused exactly when it is neither the VPC block nor a subnet block AWS could take', () => {
    const stack = new Stack(new App(), 'Blocks', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'endpoint', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const toBlock = (cidr: string) => {
      const [address, prefix] = cidr.split('/');
      return { value: address.split('.').reduce((v, octet) => v * 256n + BigInt(octet), 0n), prefix: Number(prefix) };
    };
    const inside = (outer: { value: bigint; prefix: number }, inner: { value: bigint; prefix: number }) =>
      outer.prefix <= inner.prefix && network(inner.value, 32, outer.prefix) === outer.value;
    const vpcBlock = toBlock('10.0.0.0/16');
    const subnets = [...vpc.publicSubnets, ...vpc.isolatedSubnets].map(subnet => toBlock(subnet.ipv4CidrBlock));
    expect(subnets).toHaveLength(4);
    // Mostly blocks near the VPC, so that every case comes up.
    const value = fc.oneof(fc.bigInt({ min: 0n, max: pow2(32) - 1n }), fc.bigInt({ min: 0x0a000000n, max: 0x0a0003ffn }));
    fc.assert(fc.property(value, fc.integer({ min: 1, max: 32 }), (v, prefix) => {
      const destination = { value: network(v, 32, prefix), prefix };
      const same = (b: { value: bigint; prefix: number }) => b.value === destination.value && b.prefix === destination.prefix;
      const valid = same(vpcBlock) || (inside(vpcBlock, destination)
        && subnets.every(subnet => same(subnet) || !(inside(subnet, destination) || inside(destination, subnet))));
      const problem = ingressDestinationProblem(vpc, `${dotted(destination.value)}/${prefix}`);
      expect(problem === undefined).toBe(valid);
    }), { seed: SEED, numRuns: 400 });
  });
});
