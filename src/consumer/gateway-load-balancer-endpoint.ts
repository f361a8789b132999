import { createHash } from 'crypto';
import { Annotations, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EndpointLimits, validateInterfaceQuota } from './endpoint-limits';
import {
  Family, RouteCheck, cidrProblem, ingressDestinationProblem, ingressRouteTableIdOf, ingressRouteTableOf, routeId, validateInternetGateway,
} from './gateway-load-balancer-routes';
import { GatewayLoadBalancerService } from './gateway-load-balancer-service';
import { validateIpAddressTypes } from './ip-address-types';
import { checkServiceNameSource } from '../handover/handover-check';
import { readableOutput } from '../readable-output';
import {
  EnumType, describe, enumMemberName, fail, methodName, propName, validateBoolean, validateEnumValue, validateList,
} from '../validation';
import { validateRouteTableId } from '../validation/route-table-id';

const IP_ADDRESS_TYPE: EnumType<ec2.VpcEndpointIpAddressType> = { name: 'VpcEndpointIpAddressType', members: { ...ec2.VpcEndpointIpAddressType } };
const { IPV4, DUALSTACK } = ec2.VpcEndpointIpAddressType;

/** Properties of a {@link GatewayLoadBalancerEndpoint}. */
export interface GatewayLoadBalancerEndpointProps {
  /** The VPC of the endpoint. */
  readonly vpc: ec2.IVpc;

  /**
   * The endpoint service on Gateway Load Balancers:
   * `GatewayLoadBalancerService.fromServiceName('com.amazonaws.vpce.<region>.vpce-svc-...')` or
   * `GatewayLoadBalancerService.fromEndpointService(service)`.
   */
  readonly service: GatewayLoadBalancerService;

  /**
   * The subnet of the endpoint, in an Availability Zone of the Gateway Load Balancer. Give this
   * or `subnets`, not both.
   * @default - the one subnet of `subnets`
   */
  readonly subnet?: ec2.ISubnet;

  /**
   * A selection of exactly one subnet of the VPC for the endpoint, such as a subnet group and
   * one Availability Zone. Give this or `subnet`, not both.
   * @default - the subnet given as `subnet`
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The IP addresses of the endpoint: IPv4, or dualstack (IPv4 and IPv6, which needs a subnet
   * with both ranges and a service that supports IPv6). IPv6 alone is refused.
   * @default - IPv4 (AWS's default)
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * The number of interface and Gateway Load Balancer endpoints this VPC may have, after AWS
   * raised the quota; a whole number. It can raise the bound, never lower it. Context
   * `cdk-privatelink:interfaceEndpointsPerVpc` raises it for every VPC.
   * @default - the context value, or 50
   */
  readonly interfaceEndpointsQuota?: number;

  /**
   * A stack output with the endpoint's ID, named after the construct's path below the stack
   * (`<path>VpcEndpointId`, such as `Inspection1VpcEndpointId` for a construct `Inspection1`):
   * what the consumer hands over to the service's provider for the approval.
   * @default false
   */
  readonly createOutputs?: boolean;
}

/** Options of {@link GatewayLoadBalancerEndpoint.addIngressRoutes}. */
export interface GatewayLoadBalancerIngressRoutesOptions {
  /**
   * The application subnets whose traffic from the internet gateway goes through the endpoint:
   * a route for each subnet's IPv4 block and, for a dualstack endpoint, its IPv6 block (known for
   * subnets defined in the app; add those of imported subnets to `ipv6Destinations`).
   * @default - none; then `ipv4Destinations` or `ipv6Destinations` are required
   */
  readonly destinationSubnets?: ec2.SubnetSelection;

  /**
   * More IPv4 destinations, each the whole CIDR block of a subnet or of the VPC (a gateway route
   * table takes no other destination for an endpoint).
   * @default - none
   */
  readonly ipv4Destinations?: string[];

  /**
   * More IPv6 destinations, each the whole CIDR block of a subnet or of the VPC. Only for a
   * dualstack endpoint.
   * @default - none
   */
  readonly ipv6Destinations?: string[];

  /**
   * A route table already associated with the internet gateway to add the routes to. Give this or
   * `internetGatewayId`, not both.
   * @default - the VPC's ingress route table, created on first use and associated with the
   * internet gateway; the same table for every endpoint of the VPC, since a gateway has one
   */
  readonly routeTableId?: string;

  /**
   * The internet gateway of the VPC, for the ingress route table created here.
   * @default - the internet gateway of an `ec2.Vpc`
   */
  readonly internetGatewayId?: string;
}

/** Options of {@link GatewayLoadBalancerEndpoint.addReturnRoutes}. */
export interface GatewayLoadBalancerReturnRoutesOptions {
  /**
   * The application subnets whose route tables get the routes. Give these or `routeTableIds`,
   * not both.
   * @default - none; then `routeTableIds` is required
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The route tables that get the routes. Give these or `subnets`, not both.
   * @default - the route tables of `subnets`
   */
  readonly routeTableIds?: string[];

  /**
   * The IPv4 destinations routed through the endpoint.
   * @default ['0.0.0.0/0']
   */
  readonly ipv4Destinations?: string[];

  /**
   * The IPv6 destinations routed through the endpoint; only for a dualstack endpoint.
   * @default - ['::/0'] for a dualstack endpoint, none for an IPv4 one
   */
  readonly ipv6Destinations?: string[];
}

interface Destination {
  readonly family: Family;
  readonly cidr: string;
  /** The application subnet whose block this is, when known. */
  readonly subnet?: ec2.ISubnet;
}

/**
 * A Gateway Load Balancer endpoint (AWS PrivateLink, "Access virtual appliances"): one subnet,
 * no security group, no policy and no private DNS, as AWS allows none for this endpoint type.
 * `addIngressRoutes()` sends traffic from the internet gateway to the application subnets through
 * the endpoint; `addReturnRoutes()` sends the application subnets' traffic back through it. The
 * route of the endpoint's own subnet to the internet gateway is yours to make.
 */
export class GatewayLoadBalancerEndpoint extends Resource implements ec2.IVpcEndpoint {
  /** The ID of the endpoint, like `vpce-0123456789abcdef0`. */
  public readonly vpcEndpointId: string;
  /** The name of the endpoint service. */
  public readonly serviceName: string;
  /** The subnet of the endpoint. */
  public readonly subnet: ec2.ISubnet;
  /** The IP address type of the endpoint. */
  public readonly ipAddressType: ec2.VpcEndpointIpAddressType;

  private readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: GatewayLoadBalancerEndpointProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') fail(this, `The props are ${describe(props)}: expected an object with ${propName('vpc')} and ${propName('service')}.`);
    const vpc: unknown = props.vpc;
    if (typeof (vpc as Partial<ec2.IVpc> | null)?.selectSubnets !== 'function' || typeof (vpc as Partial<ec2.IVpc>).vpcId !== 'string') {
      fail(this, `${propName('vpc')} is ${describe(vpc)}: expected a VPC, such as an ec2.Vpc or ec2.Vpc.fromLookup().`);
    }
    this.vpc = props.vpc;
    if (!(props.service instanceof GatewayLoadBalancerService)) {
      fail(this, `${propName('service')} is ${describe(props.service)}: expected ${methodName('fromServiceName', 'GatewayLoadBalancerService')} `
        + `or ${methodName('fromEndpointService', 'GatewayLoadBalancerService')}.`);
    }
    this.ipAddressType = this.checkIpAddressType(props.ipAddressType);
    props.service._validate(this, this.ipAddressType);
    this.serviceName = props.service.serviceName;
    checkServiceNameSource(this, this.serviceName);
    this.subnet = this.selectSubnet(props);
    validateIpAddressTypes(this, [this.subnet], this.ipAddressType);

    const endpoint = new ec2.CfnVPCEndpoint(this, 'Resource', {
      vpcEndpointType: ec2.VpcEndpointType.GATEWAYLOADBALANCER,
      serviceName: this.serviceName,
      vpcId: props.vpc.vpcId,
      subnetIds: [this.subnet.subnetId],
      ipAddressType: props.ipAddressType,
    });
    this.vpcEndpointId = endpoint.ref;
    if (validateBoolean(this, 'createOutputs', props.createOutputs)) {
      readableOutput(this, 'VpcEndpointId', this.vpcEndpointId, `Endpoint ID of ${this.node.path}: hand it to the service's provider for the approval`);
    }

    const limits = EndpointLimits.of(this);
    if (props.interfaceEndpointsQuota !== undefined) {
      validateInterfaceQuota(this, props.interfaceEndpointsQuota);
      limits.raiseInterfaceQuota(props.vpc, props.interfaceEndpointsQuota);
    }
  }

  /** A reference to this endpoint. */
  public get vpcEndpointRef(): ec2.VPCEndpointReference {
    return { vpcEndpointId: this.vpcEndpointId };
  }

  /**
   * Routes traffic from the internet gateway to the application subnets through this endpoint:
   * a route for each destination, with the endpoint as target, in the route table associated with
   * the internet gateway (by default the VPC's ingress route table, created on first use). Returns
   * the routes.
   */
  public addIngressRoutes(options: GatewayLoadBalancerIngressRoutesOptions): ec2.CfnRoute[] {
    this.checkOptions('addIngressRoutes', options);
    const { destinationSubnets, routeTableId, internetGatewayId } = options ?? {};
    if (routeTableId !== undefined && internetGatewayId !== undefined) {
      fail(this, `Both ${propName('routeTableId')} and ${propName('internetGatewayId')} are given to ${methodName('addIngressRoutes')}: expected `
        + `${propName('routeTableId')} for a route table already associated with the gateway, or ${propName('internetGatewayId')} for one made here.`);
    }
    const destinations = [
      ...destinationSubnets === undefined ? [] : this.subnetBlocks(destinationSubnets),
      ...this.destinations('ipv4Destinations', 'ipv4', options?.ipv4Destinations),
      ...this.destinations('ipv6Destinations', 'ipv6', options?.ipv6Destinations),
    ];
    const ownBlock = literalIpv4BlockOf(this.subnet);
    for (const { cidr, family, subnet } of destinations) {
      if (Token.isUnresolved(cidr)) continue;
      if (cidr.endsWith('/0')) {
        fail(this, `Ingress destination '${cidr}' is every address: expected the CIDR block of an application subnet, or of the VPC `
          + '(a route table associated with an internet gateway takes no other destination for a Gateway Load Balancer endpoint).');
      }
      if (family !== 'ipv4' || subnet !== undefined) continue;
      if (ownBlock !== undefined && routeId(this.stack, '', 'ipv4', ownBlock) === routeId(this.stack, '', 'ipv4', cidr)) {
        fail(this, `Ingress destination '${cidr}' in ${propName('ipv4Destinations')} is the block of the endpoint's own subnet ${subnetName(this.subnet)}: `
          + "expected the blocks of the application subnets, as the endpoint's subnet routes to the internet gateway.");
      }
      const problem = ingressDestinationProblem(this.vpc, cidr);
      if (problem) {
        fail(this, `Ingress destination '${cidr}' in ${propName('ipv4Destinations')} is refused: ${problem}. Expected the whole CIDR block of the VPC or `
          + 'of one of its subnets, the only destinations a route table associated with an internet gateway takes for a Gateway Load Balancer endpoint.');
      }
    }
    if (destinations.length === 0) {
      fail(this, `${methodName('addIngressRoutes')} has no destination: expected ${propName('destinationSubnets')}, ${propName('ipv4Destinations')} `
        + `or ${propName('ipv6Destinations')}.`);
    }
    let table = routeTableId;
    if (table !== undefined) {
      validateRouteTableId(this, table, 'routeTableId');
    } else {
      const gateway = internetGatewayId ?? (this.vpc instanceof ec2.Vpc ? this.vpc.internetGatewayId : undefined);
      if (gateway === undefined) {
        fail(this, `The internet gateway of VPC ${this.vpc.node.path} is not known here: expected ${propName('internetGatewayId')}, or ${propName('routeTableId')} `
          + 'of a route table associated with the gateway.');
      }
      validateInternetGateway(this, gateway);
      table = ingressRouteTableOf(this, this.vpc, gateway);
    }
    const check = RouteCheck.of(this);
    check.registerIngressTable(this.vpc, table, this);
    const flows = destinations.map(destination => ({ ...destination, subnet: destination.subnet ?? this.knownSubnetOf(destination) }));
    for (const { subnet, family } of flows) {
      if (subnet === undefined) continue;
      check.registerIngressFlow(this, subnet, family);
    }
    this.warnCrossZone('addIngressRoutes', flows.map(flow => flow.subnet));
    return this.addRoutes('Ingress', [table], destinations);
  }

  /**
   * Routes the traffic of the application subnets through this endpoint: by default `0.0.0.0/0`
   * (and `::/0` for a dualstack endpoint) in each of their route tables, with the endpoint as
   * target. Not for the endpoint's own subnet, whose default route goes to the internet gateway.
   * Returns the routes.
   */
  public addReturnRoutes(options: GatewayLoadBalancerReturnRoutesOptions): ec2.CfnRoute[] {
    this.checkOptions('addReturnRoutes', options);
    const tables = this.returnRouteTables(options ?? {});
    const ipv6 = options?.ipv6Destinations ?? (this.ipAddressType === DUALSTACK ? ['::/0'] : []);
    const destinations = [
      ...this.destinations('ipv4Destinations', 'ipv4', options?.ipv4Destinations ?? ['0.0.0.0/0']),
      ...this.destinations('ipv6Destinations', 'ipv6', ipv6),
    ];
    if (destinations.length === 0) {
      fail(this, `${methodName('addReturnRoutes')} has no destination, as ${propName('ipv4Destinations')} and ${propName('ipv6Destinations')} are empty: `
        + "expected at least one, such as '0.0.0.0/0'.");
    }
    if (options?.subnets !== undefined) this.warnCrossZone('addReturnRoutes', this.vpc.selectSubnets(options.subnets).subnets);
    return this.addRoutes('Return', tables, destinations);
  }

  private checkIpAddressType(value: ec2.VpcEndpointIpAddressType | undefined): ec2.VpcEndpointIpAddressType {
    if (value === undefined) return IPV4;
    const type = validateEnumValue(this, 'ipAddressType', value, IP_ADDRESS_TYPE);
    if (type !== IPV4 && type !== DUALSTACK) {
      fail(this, `${propName('ipAddressType')} ${type} is not supported by Gateway Load Balancer endpoints: expected `
        + `${enumMemberName('VpcEndpointIpAddressType', 'IPV4')} or ${enumMemberName('VpcEndpointIpAddressType', 'DUALSTACK')}.`);
    }
    return type;
  }

  private selectSubnet(props: GatewayLoadBalancerEndpointProps): ec2.ISubnet {
    if (props.subnet !== undefined && props.subnets !== undefined) {
      fail(this, `Both ${propName('subnet')} and ${propName('subnets')} are given: expected one of them, not both.`);
    }
    if (props.subnet !== undefined) {
      if (typeof (props.subnet as Partial<ec2.ISubnet> | null)?.subnetId !== 'string') {
        fail(this, `${propName('subnet')} is ${describe(props.subnet)}: expected a subnet, such as ec2.Subnet.fromSubnetId().`);
      }
      this.checkSubnetOfVpc(props.subnet);
      return props.subnet;
    }
    if (props.subnets === undefined) {
      fail(this, `No subnet given: expected ${propName('subnet')}, or ${propName('subnets')} that selects one subnet `
        + '(a Gateway Load Balancer endpoint has exactly one).');
    }
    const subnets = this.selectSubnets('subnets', props.subnets);
    if (subnets.length !== 1) {
      fail(this, `${propName('subnets')} selects ${subnets.length} subnets${subnets.length ? ` (${subnets.map(subnetName).join(', ')})` : ''}: `
        + 'expected exactly one, as a Gateway Load Balancer endpoint has one subnet. Narrow the selection, for example to one Availability Zone, '
        + 'and make one endpoint per zone.');
    }
    return subnets[0];
  }

  /** The subnets of a selection prop, which must be a selection object (not a string or a list from an untyped language). */
  private selectSubnets(prop: string, selection: ec2.SubnetSelection): ec2.ISubnet[] {
    if (selection === null || typeof selection !== 'object' || Array.isArray(selection)) {
      fail(this, `${propName(prop)} is ${describe(selection)}: expected a subnet selection, such as { subnetGroupName: 'app', availabilityZones: ['eu-west-1a'] }.`);
    }
    return this.vpc.selectSubnets(selection).subnets;
  }

  /** Fails when a subnet defined in the app belongs to another VPC than the endpoint's; CloudFormation would refuse it. */
  private checkSubnetOfVpc(subnet: ec2.ISubnet): void {
    const cfn = subnet.node.defaultChild;
    if (!(cfn instanceof ec2.CfnSubnet) || !(this.vpc.node.defaultChild instanceof ec2.CfnVPC)) return;
    const stack = Stack.of(cfn);
    if (JSON.stringify(stack.resolve(cfn.vpcId)) === JSON.stringify(stack.resolve(this.vpc.vpcId))) return;
    fail(this, `${propName('subnet')} ${subnetName(subnet)} is in VPC ${describe(cfn.vpcId)}, not in ${propName('vpc')} ${this.vpc.node.path}: `
      + "expected a subnet of the endpoint's VPC.");
  }

  private checkOptions(method: string, options: unknown): void {
    if (options === undefined || (options !== null && typeof options === 'object' && !Array.isArray(options))) return;
    fail(this, `The options of ${methodName(method)} are ${describe(options)}: expected an object.`);
  }

  /** The subnet of the VPC whose literal IPv4 block is `destination`, if the app knows one. */
  private knownSubnetOf(destination: Destination): ec2.ISubnet | undefined {
    if (destination.family !== 'ipv4' || Token.isUnresolved(destination.cidr)) return undefined;
    const key = routeId(this.stack, '', 'ipv4', destination.cidr);
    return [...this.vpc.publicSubnets, ...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets].find(subnet => {
      const block = literalIpv4BlockOf(subnet);
      return block !== undefined && routeId(this.stack, '', 'ipv4', block) === key;
    });
  }

  /** Warns about application subnets in another Availability Zone than the endpoint: allowed, but charged and not resilient to a zone failure. */
  private warnCrossZone(method: string, subnets: Array<ec2.ISubnet | undefined>): void {
    const zone = zoneOf(this.subnet);
    if (zone === undefined) return;
    const others = [...new Set(subnets.filter((subnet): subnet is ec2.ISubnet => subnet !== undefined))]
      .filter(subnet => zoneOf(subnet) !== undefined && zoneOf(subnet) !== zone);
    if (others.length === 0) return;
    Annotations.of(this).addWarningV2('cdk-privatelink:gwlbCrossZone',
      `${methodName(method)} routes subnet ${others.map(subnet => `${subnetName(subnet)} (${zoneOf(subnet)})`).join(', ')} through this endpoint in ${zone}: `
      + 'the traffic crosses Availability Zones (charged, and lost when either zone fails). Expected an endpoint in the zone of each application '
      + 'subnet, with the ingress and the return of the subnet through that same endpoint.');
  }

  private subnetBlocks(selection: ec2.SubnetSelection): Destination[] {
    const subnets = this.selectSubnets('destinationSubnets', selection);
    const blocks: Destination[] = [];
    for (const subnet of subnets) {
      if (subnet === this.subnet || subnet.subnetId === this.subnet.subnetId) {
        fail(this, `${propName('destinationSubnets')} selects the endpoint's own subnet ${subnetName(subnet)}: expected the application subnets, `
          + "as the endpoint's subnet routes to the internet gateway.");
      }
      blocks.push({ family: 'ipv4', cidr: ipv4BlockOf(this, subnet), subnet });
      if (this.ipAddressType !== DUALSTACK) continue;
      const ipv6 = ipv6BlockOf(subnet);
      if (ipv6 === 'unknown') {
        Annotations.of(this).addWarningV2('cdk-privatelink:gwlbIpv6Unrouted',
          `The IPv6 block of subnet ${subnetName(subnet)} is not known here, so its IPv6 traffic from the internet gateway is not routed `
          + `through the dualstack endpoint: add the block to ${propName('ipv6Destinations')} of ${methodName('addIngressRoutes')}.`);
      } else if (ipv6 !== undefined) {
        blocks.push({ family: 'ipv6', cidr: ipv6, subnet });
      }
    }
    return blocks;
  }

  private destinations(prop: string, family: Family, values: string[] | undefined): Destination[] {
    validateList(this, prop, values, `${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR blocks`);
    const given = values ?? [];
    if (family === 'ipv6' && given.length > 0 && this.ipAddressType !== DUALSTACK) {
      fail(this, `${propName(prop)} is given, but the endpoint is IPv4 and carries no IPv6 traffic: expected no IPv6 destinations, `
        + `or ${propName('ipAddressType')} ${enumMemberName('VpcEndpointIpAddressType', 'DUALSTACK')}.`);
    }
    for (const cidr of given) {
      if (typeof cidr !== 'string') fail(this, `${propName(prop)} has ${describe(cidr)}: expected CIDR blocks as strings.`);
      if (Token.isUnresolved(cidr)) continue;
      const problem = cidrProblem(cidr, family);
      if (problem) fail(this, `Invalid destination '${cidr}' in ${propName(prop)}: ${problem}.`);
    }
    return given.map(cidr => ({ family, cidr }));
  }

  private returnRouteTables(options: GatewayLoadBalancerReturnRoutesOptions): string[] {
    if ((options.subnets === undefined) === (options.routeTableIds === undefined)) {
      fail(this, `${methodName('addReturnRoutes')} needs ${propName('subnets')} or ${propName('routeTableIds')}: expected one of them, not `
        + `${options.subnets === undefined ? 'neither' : 'both'}.`);
    }
    validateList(this, 'routeTableIds', options.routeTableIds, "route table IDs like 'rtb-0123456789abcdef0'");
    options.routeTableIds?.forEach(table => validateRouteTableId(this, table));
    const tables = options.routeTableIds ?? this.selectSubnets('subnets', options.subnets as ec2.SubnetSelection).map(subnet => {
      const table = subnet.routeTable?.routeTableId;
      if (table === undefined) {
        fail(this, `The route table of subnet ${subnetName(subnet)} is not known: expected ${propName('routeTableIds')}, or subnets imported with their route table.`);
      }
      return table;
    });
    if (tables.length === 0) fail(this, `No route table found in ${options.routeTableIds ? propName('routeTableIds') : 'the selected subnets'}: expected at least one.`);
    const own = this.subnet.routeTable?.routeTableId;
    if (own !== undefined && tables.includes(own)) {
      fail(this, `Route table ${describe(own)} is the one of the endpoint's own subnet ${subnetName(this.subnet)}, whose default `
        + "route goes to the internet gateway: expected the application subnets' route tables.");
    }
    const ingress = ingressRouteTableIdOf(this.vpc);
    if (ingress !== undefined && tables.includes(ingress)) {
      fail(this, `Route table ${describe(ingress)} is the ingress route table of VPC ${this.vpc.node.path}, associated with the internet `
        + "gateway, which takes no return route: expected the application subnets' route tables.");
    }
    return [...new Set(tables)];
  }

  private addRoutes(kind: string, tables: string[], destinations: Destination[]): ec2.CfnRoute[] {
    const stack = Stack.of(this);
    const routes: ec2.CfnRoute[] = [];
    for (const table of tables) {
      for (const { family, cidr } of destinations) {
        const id = `${kind}Route${createHash('sha256').update(routeId(stack, table, family, cidr)).digest('hex').slice(0, 8)}`;
        const existing = this.node.tryFindChild(id);
        if (existing) {
          fail(this, `The route to ${describe(cidr)} on route table ${describe(table)} is already defined by ${existing.node.path}: `
            + 'expected each destination once per route table.');
        }
        const route = new ec2.CfnRoute(this, id, {
          routeTableId: table,
          vpcEndpointId: this.vpcEndpointId,
          ...family === 'ipv4' ? { destinationCidrBlock: cidr } : { destinationIpv6CidrBlock: cidr },
        });
        RouteCheck.of(route).register(route);
        routes.push(route);
      }
    }
    return routes;
  }
}

function subnetName(subnet: ec2.ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

/** The literal IPv4 block of a subnet, `undefined` when not known or a token. */
function literalIpv4BlockOf(subnet: ec2.ISubnet): string | undefined {
  try {
    const block = subnet.ipv4CidrBlock;
    return typeof block === 'string' && !Token.isUnresolved(block) && cidrProblem(block, 'ipv4') === undefined ? block : undefined;
  } catch {
    return undefined;
  }
}

/** The literal Availability Zone of a subnet, `undefined` when not known or a token. */
function zoneOf(subnet: ec2.ISubnet): string | undefined {
  try {
    const zone = subnet.availabilityZone;
    return typeof zone === 'string' && !Token.isUnresolved(zone) ? zone : undefined;
  } catch {
    return undefined;
  }
}

function ipv4BlockOf(scope: Construct, subnet: ec2.ISubnet): string {
  try {
    return subnet.ipv4CidrBlock;
  } catch {
    fail(scope, `The IPv4 block of subnet ${subnetName(subnet)} is not known: expected a subnet imported with its ipv4CidrBlock `
      + `(ec2.Subnet.fromSubnetAttributes()), or the block in ${propName('ipv4Destinations')}.`);
  }
}

/** The IPv6 block of a subnet defined in the app, `undefined` when it has none, `'unknown'` for an imported subnet. */
function ipv6BlockOf(subnet: ec2.ISubnet): string | undefined {
  const cfn = subnet.node.defaultChild;
  if (!(cfn instanceof ec2.CfnSubnet)) return 'unknown';
  if (cfn.ipv6CidrBlock === undefined && cfn.ipv6IpamPoolId === undefined && cfn.ipv6NetmaskLength === undefined) return undefined;
  return Fn.select(0, cfn.attrIpv6CidrBlocks);
}
