import { isIPv4, isIPv6 } from 'net';
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { describe, fail, methodName, propName } from '../validation';

/** The address family of a route's destination. */
export type Family = 'ipv4' | 'ipv6';

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;
const GATEWAY_ID = /^igw-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** A literal CIDR block as numbers. */
interface Block {
  readonly family: Family;
  readonly network: bigint;
  readonly prefix: number;
}

/**
 * Why `cidr` is not a literal `family` CIDR block a route can take, as a sentence fragment;
 * `undefined` when it is one. Bits set after the prefix are refused: they would hide a
 * repeated destination.
 */
export function cidrProblem(cidr: string, family: Family): string | undefined {
  const [address, prefixText, ...rest] = cidr.split('/');
  const valid = family === 'ipv4' ? isIPv4(address) : isIPv6(address) && !address.includes('%');
  if (!valid || rest.length > 0 || !PREFIX.test(prefixText ?? '') || Number(prefixText) > BITS[family]) {
    return family === 'ipv4'
      ? "it is not an IPv4 CIDR block: expected one like '10.0.1.0/24' (four numbers from 0 to 255, a prefix from 0 to 32)"
      : "it is not an IPv6 CIDR block: expected one like '2001:db8:1::/64' (a prefix from 0 to 128)";
  }
  const prefix = Number(prefixText);
  const value = family === 'ipv4' ? ipv4Value(address) : ipv6Value(address);
  const network = value - value % 2n ** BigInt(BITS[family] - prefix);
  if (network !== value) return `it has bits set after the /${prefix} prefix: expected '${format({ family, network, prefix })}'`;
  return undefined;
}

/** The same text for the same literal block, however it is written; the resolved value otherwise. */
function destinationKey(stack: Stack, family: Family, cidr: unknown): string {
  if (typeof cidr === 'string' && !Token.isUnresolved(cidr) && cidrProblem(cidr, family) === undefined) {
    return format(parse(cidr, family));
  }
  return JSON.stringify(stack.resolve(cidr));
}

/** Whether literal block `outer` holds every address of literal block `inner`. */
function holds(outer: Block, inner: Block): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const size = 2n ** BigInt(BITS[outer.family] - outer.prefix);
  return inner.network - inner.network % size === outer.network;
}

/** Whether two literal blocks share an address. */
function overlap(a: Block, b: Block): boolean {
  return holds(a, b) || holds(b, a);
}

/** The literal IPv4 block of a string, `undefined` for a token or a malformed block. */
function literalIpv4(value: unknown): Block | undefined {
  if (typeof value !== 'string' || Token.isUnresolved(value) || cidrProblem(value, 'ipv4') !== undefined) return undefined;
  return parse(value, 'ipv4');
}

function parse(cidr: string, family: Family): Block {
  const [address, prefix] = cidr.split('/');
  return { family, network: family === 'ipv4' ? ipv4Value(address) : ipv6Value(address), prefix: Number(prefix) };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => value * 256n + BigInt(octet), 0n);
}

function ipv6Value(address: string): bigint {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const value = ipv4Value(dotted);
    text = `${text.slice(0, -dotted.length)}${digits(value, 65536n, 2).map(group => group.toString(16)).join(':')}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const all = tail === undefined ? groups(head)
    : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.reduce((value, group) => value * 65536n + BigInt(parseInt(group, 16)), 0n);
}

/** The `count` lowest digits of `value` in `base`, the most significant first. */
function digits(value: bigint, base: bigint, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => (value / base ** BigInt(count - 1 - i)) % base);
}

function format(block: Block): string {
  if (block.family === 'ipv4') {
    return `${digits(block.network, 256n, 4).join('.')}/${block.prefix}`;
  }
  const full = digits(block.network, 65536n, 8).map(group => group.toString(16)).join(':');
  // The URL parser writes an IPv6 address in its shortest form (RFC 5952).
  return `${new URL(`http://[${full}]/`).hostname.slice(1, -1)}/${block.prefix}`;
}

/** Fails unless `value` is a token or an internet gateway ID. */
export function validateInternetGateway(scope: IConstruct, value: unknown): void {
  if (typeof value === 'string' && (Token.isUnresolved(value) || GATEWAY_ID.test(value))) return;
  fail(scope, `Invalid internet gateway ID ${describe(value)} in ${propName('internetGatewayId')}: expected 'igw-' followed by 8 or 17 `
    + "lowercase hexadecimal characters, like 'igw-0123456789abcdef0'.");
}

/** The literal IPv4 blocks of a VPC the app knows; `complete` when no block of it is unknown (a token, an IPAM pool, an imported VPC). */
function vpcIpv4Blocks(vpc: ec2.IVpc): { blocks: Block[]; complete: boolean } {
  const cfnVpc = vpc.node.defaultChild;
  if (!(cfnVpc instanceof ec2.CfnVPC)) {
    let primary: string | undefined;
    try {
      primary = vpc.vpcCidrBlock;
    } catch {
      primary = undefined;
    }
    const block = literalIpv4(primary);
    return { blocks: block ? [block] : [], complete: false };
  }
  const primary = literalIpv4(cfnVpc.cidrBlock);
  let complete = primary !== undefined;
  const blocks = primary ? [primary] : [];
  const stack = Stack.of(vpc);
  const vpcKey = JSON.stringify(stack.resolve(vpc.vpcId));
  for (const association of stack.node.findAll()) {
    if (!(association instanceof ec2.CfnVPCCidrBlock) || JSON.stringify(stack.resolve(association.vpcId)) !== vpcKey) continue;
    const block = literalIpv4(association.cidrBlock);
    if (block) blocks.push(block);
    else if ([association.cidrBlock, association.ipv4IpamPoolId, association.ipv4NetmaskLength].some(v => v !== undefined)) complete = false;
  }
  return { blocks, complete };
}

/** The subnets of a VPC the app knows, with a literal IPv4 block: the VPC's subnet lists and every `AWS::EC2::Subnet` of the VPC in its stack. */
function knownSubnetBlocks(vpc: ec2.IVpc): Array<{ name: string; block: Block }> {
  const known: Array<{ name: string; block: Block }> = [];
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    let cidr: string | undefined;
    try {
      cidr = subnet.ipv4CidrBlock;
    } catch {
      cidr = undefined;
    }
    const block = literalIpv4(cidr);
    if (block) known.push({ name: subnet.node.path, block });
  }
  const stack = Stack.of(vpc);
  const vpcKey = JSON.stringify(stack.resolve(vpc.vpcId));
  for (const subnet of stack.node.findAll()) {
    if (!(subnet instanceof ec2.CfnSubnet) || JSON.stringify(stack.resolve(subnet.vpcId)) !== vpcKey) continue;
    const block = literalIpv4(subnet.cidrBlock);
    if (!block || known.some(k => k.block.network === block.network && k.block.prefix === block.prefix)) continue;
    known.push({ name: subnet.node.path, block });
  }
  return known;
}

/**
 * Why literal IPv4 `cidr` cannot be the destination of a route to a Gateway Load Balancer endpoint
 * in the gateway route table of `vpc`, as a sentence fragment; `undefined` when it can, or when the
 * app does not know enough to tell. AWS takes only the whole block of the VPC or of one of its subnets.
 */
export function ingressDestinationProblem(vpc: ec2.IVpc, cidr: string): string | undefined {
  const destination = literalIpv4(cidr);
  if (!destination) return undefined;
  const { blocks, complete } = vpcIpv4Blocks(vpc);
  const isVpcBlock = blocks.some(block => block.network === destination.network && block.prefix === destination.prefix);
  if (isVpcBlock) return undefined;
  const vpcBlocks = blocks.map(format).join(', ');
  const larger = blocks.find(block => holds(destination, block));
  if (larger) return `it is larger than the VPC block '${format(larger)}'`;
  if (complete && !blocks.some(block => holds(block, destination))) return `it is outside the VPC's blocks (${vpcBlocks})`;
  const partial = knownSubnetBlocks(vpc).find(known => overlap(known.block, destination)
    && !(known.block.network === destination.network && known.block.prefix === destination.prefix));
  if (partial) return `it is not the whole block of a subnet: it overlaps subnet ${partial.name} ('${format(partial.block)}')`;
  return undefined;
}

const INGRESS_ID = 'GatewayLoadBalancerIngress';

/**
 * The route table associated with a VPC's internet gateway (an edge association), made once per VPC.
 * Exported (not from the index) for the compliance tests' rule of which resources are the library's.
 */
export class IngressRouteTable extends Construct {
  public readonly routeTableId: string;

  constructor(vpc: ec2.IVpc, public readonly gatewayId: string) {
    super(vpc, INGRESS_ID);
    const table = new ec2.CfnRouteTable(this, 'RouteTable', { vpcId: vpc.vpcId });
    const association = new ec2.CfnGatewayRouteTableAssociation(this, 'GatewayAssociation', { gatewayId, routeTableId: table.ref });
    // A route table can be associated only with a gateway attached to its VPC.
    association.node.addDependency(vpc.internetConnectivityEstablished);
    const stack = Stack.of(this);
    // Also an attachment made beside the VPC construct (an imported VPC, or a gateway of your own), anywhere in the stack.
    const attachments = stack.node.findAll().filter((c): c is ec2.CfnVPCGatewayAttachment => c instanceof ec2.CfnVPCGatewayAttachment
      && JSON.stringify(stack.resolve(c.internetGatewayId)) === JSON.stringify(stack.resolve(gatewayId)));
    attachments.forEach(attachment => association.node.addDependency(attachment));
    RouteCheck.of(association).register(association);
    this.routeTableId = table.ref;
  }
}

/**
 * The ID of the route table associated with the internet gateway of `vpc`, a child of the VPC,
 * so that every endpoint of the VPC routes ingress in the same table: a gateway has one.
 */
export function ingressRouteTableOf(scope: IConstruct, vpc: ec2.IVpc, gatewayId: string): string {
  const existing = ingressRouteTableIfAny(vpc);
  if (!(existing instanceof IngressRouteTable)) return new IngressRouteTable(vpc, gatewayId).routeTableId;
  const stack = Stack.of(scope);
  if (JSON.stringify(stack.resolve(existing.gatewayId)) !== JSON.stringify(stack.resolve(gatewayId))) {
    fail(scope, `${propName('internetGatewayId')} ${describe(gatewayId)} is not the gateway of the ingress route table `
      + `${existing.node.path}, ${describe(existing.gatewayId)}: expected the same internet gateway for every endpoint of the VPC.`);
  }
  return existing.routeTableId;
}

/** The ID of the ingress route table this library made for `vpc`, if any. */
export function ingressRouteTableIdOf(vpc: ec2.IVpc): string | undefined {
  return ingressRouteTableIfAny(vpc)?.routeTableId;
}

function ingressRouteTableIfAny(vpc: ec2.IVpc): IngressRouteTable | undefined {
  const existing = vpc.node.tryFindChild(INGRESS_ID);
  return existing instanceof IngressRouteTable ? existing : undefined;
}

/** An endpoint as the route check sees it. */
export interface RoutedEndpoint extends IConstruct {
  readonly vpcEndpointId: string;
}

/** The traffic of a subnet from the internet gateway, routed through an endpoint. */
interface IngressFlow {
  readonly endpoint: RoutedEndpoint;
  readonly subnet: ec2.ISubnet;
  readonly family: Family;
}

const CHECK_ID = 'CdkPrivateLinkGatewayLoadBalancerRoutes';

/**
 * Checks, when the stack is synthesized, that no route of a Gateway Load Balancer endpoint has
 * the route table and destination of another route of the stack (also one made with aws-cdk-lib,
 * such as the default route of an `ec2.Vpc` public subnet), and that no internet gateway the
 * library associates a route table with has another one: CloudFormation would fail on the second.
 */
export class RouteCheck extends Construct {
  /** The stack's checker, created on first use. */
  public static of(scope: IConstruct): RouteCheck {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(CHECK_ID) as RouteCheck | undefined) ?? new RouteCheck(stack, CHECK_ID);
  }

  private readonly ours = new Set<IConstruct>();
  private readonly ingressTables: Array<{ vpc: ec2.IVpc; table: string; endpoint: IConstruct }> = [];
  private readonly flows: IngressFlow[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.check() });
  }

  /** Includes a route or gateway association of the library in the check. */
  public register(resource: ec2.CfnRoute | ec2.CfnGatewayRouteTableAssociation): void {
    this.ours.add(resource);
  }

  /** Records that `endpoint` routes ingress of `vpc` in route table `table`: a VPC has one internet gateway, so one such table. */
  public registerIngressTable(vpc: ec2.IVpc, table: string, endpoint: IConstruct): void {
    this.ingressTables.push({ vpc, table, endpoint });
  }

  /** Records that the traffic of `subnet` from the internet gateway goes through `endpoint`; its return traffic must too. */
  public registerIngressFlow(endpoint: RoutedEndpoint, subnet: ec2.ISubnet, family: Family): void {
    this.flows.push({ endpoint, subnet, family });
  }

  private check(): string[] {
    return [...this.duplicateErrors(), ...this.ingressTableErrors(), ...this.symmetryErrors()];
  }

  private ingressTableErrors(): string[] {
    const stack = Stack.of(this);
    const byVpc = groupBy(this.ingressTables, entry => JSON.stringify(stack.resolve(entry.vpc.vpcId)));
    const errors: string[] = [];
    for (const [vpc, entries] of byVpc) {
      const tables = groupBy(entries, entry => JSON.stringify(stack.resolve(entry.table)));
      if (tables.size < 2) continue;
      errors.push(`The ingress routes of VPC ${vpc} are in ${tables.size} route tables: `
        + `${[...tables].map(([table, users]) => `${table} (${[...new Set(users.map(u => u.endpoint.node.path))].join(', ')})`).join('; ')}. `
        + 'Expected one, as a VPC has one internet gateway and a gateway one route table: give the same ' + `${propName('routeTableId')} `
        + `(or none) to every ${methodName('addIngressRoutes')} of the VPC.`);
    }
    return errors;
  }

  /**
   * The default route of each subnet whose ingress goes through an endpoint must go through the
   * same endpoint: through another one the appliances see one direction of each flow and drop it
   * (an error); to the internet gateway or elsewhere the return traffic bypasses the inspection (a warning).
   */
  private symmetryErrors(): string[] {
    const stack = Stack.of(this);
    const routes = stack.node.findAll().filter((c): c is ec2.CfnRoute => c instanceof ec2.CfnRoute);
    const errors: string[] = [];
    const seen = new Set<string>();
    for (const { endpoint, subnet, family } of this.flows) {
      const table = subnet.routeTable?.routeTableId;
      if (table === undefined) continue;
      const defaultKey = `${JSON.stringify(stack.resolve(table))} ${family} ${family === 'ipv4' ? '0.0.0.0/0' : '::/0'}`;
      const mine = JSON.stringify(stack.resolve(endpoint.vpcEndpointId));
      for (const route of routes.filter(r => routeKey(stack, r) === defaultKey)) {
        const once = `${endpoint.node.path} ${route.node.path}`;
        if (seen.has(once)) continue;
        seen.add(once);
        if (route.vpcEndpointId !== undefined) {
          if (JSON.stringify(stack.resolve(route.vpcEndpointId)) === mine) continue;
          errors.push(`Subnet ${subnetLabel(subnet)} gets its ${family === 'ipv4' ? 'IPv4' : 'IPv6'} traffic from the internet gateway through `
            + `${endpoint.node.path}, but its route table sends the return traffic through another endpoint (${route.node.path}): expected `
            + 'the same endpoint for both directions, as appliances that see only one direction of a flow drop it. Route the ingress and '
            + 'the return of a subnet through one endpoint.');
        } else {
          Annotations.of(endpoint).addWarningV2('cdk-privatelink:gwlbReturnBypass',
            `Subnet ${subnetLabel(subnet)} gets its traffic from the internet gateway through this endpoint, but its route table's default `
            + `route ${route.node.path} does not go through it: the return traffic bypasses the inspection, and stateful appliances drop `
            + `the flows. Use ${methodName('addReturnRoutes')} on an application subnet without a default route of its own.`);
        }
      }
    }
    return errors;
  }

  private duplicateErrors(): string[] {
    const stack = Stack.of(this);
    const all = stack.node.findAll();
    const routes = groupBy(all.filter((c): c is ec2.CfnRoute => c instanceof ec2.CfnRoute), route => routeKey(stack, route));
    const associations = groupBy(all.filter((c): c is ec2.CfnGatewayRouteTableAssociation => c instanceof ec2.CfnGatewayRouteTableAssociation),
      association => JSON.stringify(stack.resolve(association.gatewayId)));
    const errors: string[] = [];
    for (const [key, members] of routes) {
      if (key === undefined || members.length < 2 || !members.some(m => this.ours.has(m))) continue;
      const route = members[0];
      const destination = route.destinationCidrBlock ?? route.destinationIpv6CidrBlock;
      errors.push(`The route to ${describe(destination)} on route table ${describe(route.routeTableId)} is defined `
        + `${members.length} times: ${members.map(m => m.node.path).join(', ')}. Expected one route per destination and route table; `
        + 'remove the others (an ec2.Vpc public subnet routes 0.0.0.0/0 and ::/0 to the internet gateway: put the application '
        + 'in subnets without that route).');
    }
    for (const [gateway, members] of associations) {
      if (members.length < 2 || !members.some(m => this.ours.has(m))) continue;
      errors.push(`Internet gateway ${gateway} is associated with ${members.length} route tables: ${members.map(m => m.node.path).join(', ')}. `
        + `Expected one (a gateway has one route table): give that table as ${propName('routeTableId')} of ${methodName('addIngressRoutes')}.`);
    }
    return errors;
  }
}

function routeKey(stack: Stack, route: ec2.CfnRoute): string | undefined {
  const table = JSON.stringify(stack.resolve(route.routeTableId));
  if (route.destinationCidrBlock !== undefined) return `${table} ipv4 ${destinationKey(stack, 'ipv4', route.destinationCidrBlock)}`;
  if (route.destinationIpv6CidrBlock !== undefined) return `${table} ipv6 ${destinationKey(stack, 'ipv6', route.destinationIpv6CidrBlock)}`;
  return undefined;
}

function subnetLabel(subnet: ec2.ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

function groupBy<T, K>(values: T[], key: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) groups.set(key(value), [...groups.get(key(value)) ?? [], value]);
  return groups;
}

/** A key for a route of `route table` to `destination`, the same for the same block however it is written. */
export function routeId(stack: Stack, routeTableId: string, family: Family, destination: string): string {
  return `${JSON.stringify(stack.resolve(routeTableId))} ${family} ${destinationKey(stack, family, destination)}`;
}
