import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  GatewayLoadBalancerEndpoint, GatewayLoadBalancerService, InterfaceEndpoint, PrivateEndpointService,
} from '../../src';
import { gwlbArn, validationErrorOf } from '../helpers';
import { NAME, SERVICE, Setup, endpoint, env, inZone, setup } from './gwlb-fixture';

function appSubnet(s: Setup, zone: number): ec2.ISubnet {
  return s.vpc.selectSubnets(inZone(s.vpc, 'app', zone)).subnets[0];
}

/** The routes of the template that target a VPC endpoint, as `[route table, destination, endpoint]`. */
function endpointRoutes(s: Setup): unknown[][] {
  return Object.values(Template.fromStack(s.stack).findResources('AWS::EC2::Route'))
    .map(r => r.Properties)
    .filter(p => p.VpcEndpointId !== undefined)
    .map(p => [p.RouteTableId, p.DestinationCidrBlock ?? p.DestinationIpv6CidrBlock, p.VpcEndpointId]);
}

describe('GatewayLoadBalancerEndpoint: the endpoint', () => {
  test('is a GatewayLoadBalancer VPC endpoint in one subnet, without security group, policy or private DNS', () => {
    const s = setup();
    const e: ec2.IVpcEndpoint = endpoint(s);
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'GatewayLoadBalancer',
      ServiceName: NAME,
      VpcId: s.stack.resolve(s.vpc.vpcId),
      SubnetIds: [s.stack.resolve(s.vpc.selectSubnets(inZone(s.vpc, 'endpoint', 0)).subnetIds[0])],
      SecurityGroupIds: Match.absent(),
      PolicyDocument: Match.absent(),
      PrivateDnsEnabled: Match.absent(),
      IpAddressType: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    const [logicalId] = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(s.stack.resolve(e.vpcEndpointId)).toEqual({ Ref: logicalId });
    expect(e.vpcEndpointRef.vpcEndpointId).toBe(e.vpcEndpointId);
    expect((e as GatewayLoadBalancerEndpoint).serviceName).toBe(NAME);
  });

  test('takes one subnet given as a subnet', () => {
    const s = setup();
    const subnet = s.vpc.publicSubnets[1];
    const e = new GatewayLoadBalancerEndpoint(s.stack, 'E', { vpc: s.vpc, service: SERVICE, subnet });
    expect(e.subnet).toBe(subnet);
    Template.fromStack(s.stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { SubnetIds: [s.stack.resolve(subnet.subnetId)] });
  });

  test('connects to a PrivateEndpointService on Gateway Load Balancers, dualstack when the service supports IPv6', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const service = new PrivateEndpointService(s.stack, 'Appliances', {
      gatewayLoadBalancerArns: [gwlbArn()],
      supportedIpAddressTypes: [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6],
    });
    const e = endpoint(s, {
      service: GatewayLoadBalancerService.fromEndpointService(service), ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    });
    expect(e.serviceName).toBe(service.vpcEndpointServiceName);
    const serviceId = Object.keys(Template.fromStack(s.stack).findResources('AWS::EC2::VPCEndpointService'))[0];
    Template.fromStack(s.stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      IpAddressType: 'dualstack',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.vpce.eu-west-1.', { Ref: serviceId }]] },
    });
  });

  test('takes an imported endpoint service and a service name given as a token, unchecked', () => {
    const s = setup();
    const imported = PrivateEndpointService.fromEndpointServiceId(s.stack, 'Imported', 'vpce-svc-0123456789abcdef0');
    endpoint(s, { service: GatewayLoadBalancerService.fromEndpointService(imported) });
    const name = new CfnParameter(s.stack, 'ServiceName').valueAsString;
    endpoint(s, { service: GatewayLoadBalancerService.fromServiceName(name) }, 'FromParameter', 1);
    Template.fromStack(s.stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: { Ref: 'ServiceName' } });
  });
});

describe('GatewayLoadBalancerEndpoint: bad input', () => {
  test.each([
    ['com.amazonaws.vpce.eu-west-1.vpce-svc-0123', 'eight or 17 hex'],
    ['com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789ABCDEF0', 'upper case'],
    ['com.amazonaws.eu-west-1.s3', 'an AWS service'],
    ['vpce-svc-0123456789abcdef0', 'a service ID'],
  ])('refuses service name %s (%s)', name => {
    const error = validationErrorOf(() => endpoint(setup(), { service: GatewayLoadBalancerService.fromServiceName(name) }));
    expect(error.message).toContain(`Invalid service name '${name}'`);
    expect(error.message).toContain("expected the name of a Gateway Load Balancer endpoint service, 'com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 lowercase hex>'");
    expect(error.message).toContain('[at Consumer/Inspection]');
  });

  test('refuses a service of another Region', () => {
    const service = GatewayLoadBalancerService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
    expect(validationErrorOf(() => endpoint(setup(), { service })).message)
      .toMatch(/Service 'com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0123456789abcdef0' is in us-east-1, not in the stack's Region eu-west-1: expected a service of eu-west-1/);
  });

  test('refuses an endpoint service on Network Load Balancers, made with this library or with aws-cdk-lib', () => {
    const s = setup();
    const nlb = new elbv2.NetworkLoadBalancer(s.stack, 'Nlb', { vpc: s.vpc });
    const ours = new PrivateEndpointService(s.stack, 'OnNlb', { networkLoadBalancers: [nlb] });
    const theirs = new ec2.VpcEndpointService(s.stack, 'L2', { vpcEndpointServiceLoadBalancers: [nlb] });
    for (const [service, path] of [[ours, 'Consumer/OnNlb'], [theirs, 'Consumer/L2']] as const) {
      expect(validationErrorOf(() => endpoint(s, { service: GatewayLoadBalancerService.fromEndpointService(service) }, `To${service.node.id}`)).message)
        .toContain(`Endpoint service ${path} is on Network Load Balancers: expected a service on Gateway Load Balancers`);
    }
  });

  test('refuses dualstack to a service without IPv6', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const service = new PrivateEndpointService(s.stack, 'Appliances', { gatewayLoadBalancerArns: [gwlbArn()] });
    expect(validationErrorOf(() => endpoint(s, {
      service: GatewayLoadBalancerService.fromEndpointService(service), ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    })).message).toMatch(/ipAddressType dualstack needs a service that supports IPv6, but endpoint service Consumer\/Appliances supports ipv4: expected IpAddressType.IPV6/);
  });

  test('refuses fromEndpointService() without a service', () => {
    expect(validationErrorOf(() => endpoint(setup(), { service: GatewayLoadBalancerService.fromEndpointService(undefined as any) })).message)
      .toContain('GatewayLoadBalancerService.fromEndpointService() got undefined: expected an ec2.IVpcEndpointService');
  });

  test('refuses a service that is not a GatewayLoadBalancerService', () => {
    const service = new ec2.InterfaceVpcEndpointService(NAME) as unknown as GatewayLoadBalancerService;
    expect(validationErrorOf(() => endpoint(setup(), { service })).message)
      .toMatch(/service is .*: expected GatewayLoadBalancerService.fromServiceName\(\) or GatewayLoadBalancerService.fromEndpointService\(\)/);
  });

  test('refuses a selection of more than one subnet, naming them', () => {
    const s = setup();
    expect(validationErrorOf(() => endpoint(s, { subnets: { subnetGroupName: 'endpoint' } })).message).toMatch(
      /subnets selects 2 subnets \(Consumer\/Vpc\/endpointSubnet1, Consumer\/Vpc\/endpointSubnet2\): expected exactly one, as a Gateway Load Balancer endpoint has one subnet/);
  });

  test('refuses no subnet, and subnet with subnets', () => {
    const s = setup();
    expect(validationErrorOf(() => endpoint(s, { subnets: undefined })).message).toMatch(/No subnet given: expected subnet, or subnets that selects one subnet/);
    expect(validationErrorOf(() => endpoint(s, { subnet: s.vpc.publicSubnets[0] }, 'Both')).message)
      .toMatch(/Both subnet and subnets are given: expected one of them, not both/);
  });

  test('refuses IPv6 and unknown IP address types; dualstack needs a subnet with IPv6', () => {
    const s = setup();
    expect(validationErrorOf(() => endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.IPV6 })).message)
      .toMatch(/ipAddressType ipv6 is not supported by Gateway Load Balancer endpoints: expected VpcEndpointIpAddressType.IPV4 or VpcEndpointIpAddressType.DUALSTACK/);
    expect(validationErrorOf(() => endpoint(s, { ipAddressType: 'ip4' as ec2.VpcEndpointIpAddressType }, 'Typo')).message)
      .toMatch(/ipAddressType has 'ip4': expected one of VpcEndpointIpAddressType.IPV4 \('ipv4'\)/);
    expect(validationErrorOf(() => endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK }, 'Dual')).message)
      .toMatch(/ipAddressType dualstack needs subnets with both IPv4 and IPv6 ranges, but Consumer\/Vpc\/endpointSubnet1 is not/);
  });
});

describe('GatewayLoadBalancerEndpoint: ingress routes', () => {
  test('route the application subnet through the endpoint in a route table associated with the internet gateway', () => {
    const s = setup();
    const e = endpoint(s);
    const routes = e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    expect(routes).toHaveLength(1);

    const template = Template.fromStack(s.stack);
    const associations = template.findResources('AWS::EC2::GatewayRouteTableAssociation');
    expect(Object.values(associations)).toHaveLength(1);
    const [association] = Object.values(associations);
    expect(association.Properties.GatewayId).toEqual(s.stack.resolve(s.vpc.internetGatewayId));
    const tableRef = association.Properties.RouteTableId;
    expect(Object.keys(template.findResources('AWS::EC2::RouteTable'))).toContain(tableRef.Ref);
    const attachment = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'))[0];
    expect(association.DependsOn).toContain(attachment);
    expect(endpointRoutes(s)).toEqual([[tableRef, '10.0.1.0/24', s.stack.resolve(e.vpcEndpointId)]]);
    expect(appSubnet(s, 0).ipv4CidrBlock).toBe('10.0.1.0/24');
  });

  test('one ingress route table for the endpoints of every zone, each routing its own zone', () => {
    const s = setup();
    const a = endpoint(s, {}, 'A', 0);
    const b = endpoint(s, {}, 'B', 1);
    a.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    b.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 1) });
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::EC2::GatewayRouteTableAssociation', 1);
    const table = Object.values(template.findResources('AWS::EC2::GatewayRouteTableAssociation'))[0].Properties.RouteTableId;
    expect(endpointRoutes(s)).toEqual([
      [table, '10.0.1.0/24', s.stack.resolve(a.vpcEndpointId)],
      [table, '10.0.2.0/24', s.stack.resolve(b.vpcEndpointId)],
    ]);
  });

  test('a dualstack endpoint routes the IPv6 block of the subnet too', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    const subnetId = s.stack.getLogicalId(appSubnet(s, 0).node.defaultChild as ec2.CfnSubnet);
    expect(endpointRoutes(s).map(route => route[1])).toEqual(['10.0.1.0/24', { 'Fn::Select': [0, { 'Fn::GetAtt': [subnetId, 'Ipv6CidrBlocks'] }] }]);
  });

  test('a given route table is used as it is; CIDR destinations are taken; an imported VPC names its gateway', () => {
    const s = setup();
    const e = endpoint(s);
    e.addIngressRoutes({ routeTableId: 'rtb-0123456789abcdef0', ipv4Destinations: ['10.0.2.0/24', '10.0.3.0/24'] });
    Template.fromStack(s.stack).resourceCountIs('AWS::EC2::GatewayRouteTableAssociation', 0);
    expect(endpointRoutes(s).map(route => route.slice(0, 2))).toEqual([['rtb-0123456789abcdef0', '10.0.2.0/24'], ['rtb-0123456789abcdef0', '10.0.3.0/24']]);

    const other = new Stack(new App(), 'Imported', { env });
    const vpc = ec2.Vpc.fromVpcAttributes(other, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-0123456789abcdef0'],
    });
    const imported = new GatewayLoadBalancerEndpoint(other, 'E', { vpc, service: SERVICE, subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(validationErrorOf(() => imported.addIngressRoutes({ ipv4Destinations: ['10.0.2.0/24'] })).message)
      .toMatch(/The internet gateway of VPC Imported\/Vpc is not known here: expected internetGatewayId, or routeTableId/);
    imported.addIngressRoutes({ ipv4Destinations: ['10.0.2.0/24'], internetGatewayId: 'igw-0123456789abcdef0' });
    Template.fromStack(other).hasResourceProperties('AWS::EC2::GatewayRouteTableAssociation', { GatewayId: 'igw-0123456789abcdef0' });
  });

  test('refuses destinations a gateway route table cannot take', () => {
    const s = setup();
    const e = endpoint(s);
    expect(validationErrorOf(() => e.addIngressRoutes({ ipv4Destinations: ['0.0.0.0/0'] })).message)
      .toMatch(/Ingress destination '0.0.0.0\/0' is every address: expected the CIDR block of an application subnet, or of the VPC/);
    expect(validationErrorOf(() => e.addIngressRoutes({})).message)
      .toMatch(/addIngressRoutes\(\) has no destination: expected destinationSubnets, ipv4Destinations or ipv6Destinations/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ipv4Destinations: ['10.0.2.0/33'] })).message)
      .toMatch(/Invalid destination '10.0.2.0\/33' in ipv4Destinations: it is not an IPv4 CIDR block: expected one like '10.0.1.0\/24'/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ipv4Destinations: ['10.0.2.7/24'] })).message)
      .toMatch(/Invalid destination '10.0.2.7\/24' in ipv4Destinations: it has bits set after the \/24 prefix: expected '10.0.2.0\/24'/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ipv4Destinations: ['fd00::/64'] })).message).toMatch(/it is not an IPv4 CIDR block/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ipv6Destinations: ['fd00::/64'] })).message)
      .toMatch(/ipv6Destinations is given, but the endpoint is IPv4 and carries no IPv6 traffic: expected no IPv6 destinations, or ipAddressType VpcEndpointIpAddressType.DUALSTACK/);
    expect(validationErrorOf(() => e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'endpoint', 0) })).message)
      .toMatch(/destinationSubnets selects the endpoint's own subnet Consumer\/Vpc\/endpointSubnet1: expected the application subnets/);
    expect(endpointRoutes(s)).toEqual([]);
  });

  test('refuses bad route table and gateway inputs', () => {
    const s = setup();
    const e = endpoint(s);
    const app = { ipv4Destinations: ['10.0.2.0/24'] };
    expect(validationErrorOf(() => e.addIngressRoutes({ ...app, routeTableId: 'rtb-1', internetGatewayId: 'igw-1' })).message)
      .toMatch(/Both routeTableId and internetGatewayId are given to addIngressRoutes\(\)/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ...app, routeTableId: 'rtb-xyz' })).message)
      .toMatch(/Invalid route table ID 'rtb-xyz' in routeTableId: expected 'rtb-' followed by 8 or 17/);
    expect(validationErrorOf(() => e.addIngressRoutes({ ...app, internetGatewayId: 'gw-0123456789abcdef0' })).message)
      .toMatch(/Invalid internet gateway ID 'gw-0123456789abcdef0' in internetGatewayId: expected 'igw-'/);
    e.addIngressRoutes(app);
    const b = endpoint(s, {}, 'B', 1);
    expect(validationErrorOf(() => b.addIngressRoutes({ ipv4Destinations: ['10.0.3.0/24'], internetGatewayId: 'igw-0123456789abcdef0' })).message)
      .toMatch(/internetGatewayId 'igw-0123456789abcdef0' is not the gateway of the ingress route table Consumer\/Vpc\/GatewayLoadBalancerIngress, '\$\{Consumer\/Vpc\/IGW\.Ref\}'/);
  });

  test('an imported subnet needs its IPv4 block, and warns about its unknown IPv6 block', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    const bare = ec2.Subnet.fromSubnetId(s.stack, 'Bare', 'subnet-0123456789abcdef0');
    expect(validationErrorOf(() => e.addIngressRoutes({ destinationSubnets: { subnets: [bare] } })).message)
      .toMatch(/The IPv4 block of subnet subnet-0123456789abcdef0 is not known: expected a subnet imported with its ipv4CidrBlock/);
    const known = ec2.Subnet.fromSubnetAttributes(s.stack, 'Known', { subnetId: 'subnet-0123456789abcdef1', ipv4CidrBlock: '10.0.9.0/24' });
    e.addIngressRoutes({ destinationSubnets: { subnets: [known] } });
    expect(endpointRoutes(s).map(route => route[1])).toEqual(['10.0.9.0/24']);
    Annotations.fromStack(s.stack).hasWarning('/Consumer/Inspection', Match.stringLikeRegexp('IPv6 block of subnet subnet-0123456789abcdef1 is not known'));
  });
});

describe('GatewayLoadBalancerEndpoint: return routes', () => {
  test('route 0.0.0.0/0 of each application route table through the endpoint', () => {
    const s = setup();
    const e = endpoint(s);
    e.addReturnRoutes({ subnets: { subnetGroupName: 'app' } });
    const id = s.stack.resolve(e.vpcEndpointId);
    expect(endpointRoutes(s)).toEqual([0, 1].map(zone => [s.stack.resolve(appSubnet(s, zone).routeTable.routeTableId), '0.0.0.0/0', id]));
  });

  test('a dualstack endpoint routes ::/0 too; destinations and route tables can be given', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
    const table = s.stack.resolve(appSubnet(s, 0).routeTable.routeTableId);
    expect(endpointRoutes(s).map(route => route.slice(0, 2))).toEqual([[table, '0.0.0.0/0'], [table, '::/0']]);

    const other = endpoint(setup(), {}, 'Given');
    other.addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef0'], ipv4Destinations: ['192.168.0.0/16', '172.16.0.0/12'] });
    const routes = Object.values(Template.fromStack(Stack.of(other)).findResources('AWS::EC2::Route', { Properties: { VpcEndpointId: Match.anyValue() } }));
    expect(routes.map(r => [r.Properties.RouteTableId, r.Properties.DestinationCidrBlock]))
      .toEqual([['rtb-0123456789abcdef0', '192.168.0.0/16'], ['rtb-0123456789abcdef0', '172.16.0.0/12']]);
  });

  test('refuses the endpoint subnet\'s own route table and unclear route tables', () => {
    const s = setup();
    const e = endpoint(s);
    expect(validationErrorOf(() => e.addReturnRoutes({ subnets: { subnetGroupName: 'endpoint' } })).message)
      .toMatch(/Route table '\$\{Consumer\/Vpc\/endpointSubnet1\/RouteTable\.Ref\}' is the one of the endpoint's own subnet Consumer\/Vpc\/endpointSubnet1, whose default route goes to the internet gateway/);
    expect(validationErrorOf(() => e.addReturnRoutes({})).message).toMatch(/addReturnRoutes\(\) needs subnets or routeTableIds: expected one of them, not neither/);
    expect(validationErrorOf(() => e.addReturnRoutes({ subnets: {}, routeTableIds: [] })).message).toMatch(/not both/);
    expect(validationErrorOf(() => e.addReturnRoutes({ routeTableIds: [] })).message).toMatch(/No route table found in routeTableIds/);
    expect(validationErrorOf(() => e.addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: ['0.0.0.0/1', '::/0'] })).message)
      .toMatch(/Invalid destination '::\/0' in ipv4Destinations: it is not an IPv4 CIDR block/);
    expect(endpointRoutes(s)).toEqual([]);
  });
});

describe('GatewayLoadBalancerEndpoint: routes are never duplicated', () => {
  test('the same destination twice on a route table of one endpoint is refused at once', () => {
    const s = setup();
    const e = endpoint(s);
    e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
    expect(validationErrorOf(() => e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0), ipv4Destinations: ['0.0.0.0/0'] })).message)
      .toMatch(/The route to '0.0.0.0\/0' on route table '\$\{Consumer\/Vpc\/appSubnet1\/RouteTable\.Ref\}' is already defined by Consumer\/Inspection\/ReturnRoute[0-9a-f]{8}: expected each destination once per route table/);
  });

  test('the same IPv6 block, written another way, is the same destination', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    e.addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: ['2001:db8::/32'] });
    expect(() => e.addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: ['2001:0DB8:0:0::/32'] }))
      .toThrow(/already defined by Consumer\/Inspection\/ReturnRoute/);
  });

  test('two endpoints routing the same destination in one route table fail synthesis, naming both', () => {
    const s = setup();
    endpoint(s, {}, 'A', 0).addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
    endpoint(s, {}, 'B', 1).addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
    expect(() => s.app.synth()).toThrow(/The route to '0.0.0.0\/0' on route table '\$\{Consumer\/Vpc\/appSubnet1\/RouteTable\.Ref\}' is defined 2 times: Consumer\/A\/ReturnRoute[0-9a-f]{8}\/?, Consumer\/B\/ReturnRoute[0-9a-f]{8}. Expected one route per destination and route table/);
  });

  test('a return route where an ec2.Vpc public subnet already routes to the internet gateway fails synthesis', () => {
    const s = setup();
    endpoint(s).addReturnRoutes({ subnets: inZone(s.vpc, 'endpoint', 1) });
    expect(() => s.app.synth()).toThrow(/The route to '0.0.0.0\/0' on route table .* is defined 2 times: Consumer\/Vpc\/endpointSubnet2\/DefaultRoute, Consumer\/Inspection\/ReturnRoute[0-9a-f]{8}/);
  });

  test('a second route table on the internet gateway fails synthesis', () => {
    const s = setup();
    endpoint(s).addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    const table = new ec2.CfnRouteTable(s.stack, 'Mine', { vpcId: s.vpc.vpcId });
    new ec2.CfnGatewayRouteTableAssociation(s.stack, 'MineAssociation', { gatewayId: s.vpc.internetGatewayId!, routeTableId: table.ref });
    expect(() => s.app.synth()).toThrow(/Internet gateway \{"Ref":"VpcIGWD7BA715C"\} is associated with 2 route tables: Consumer\/Vpc\/GatewayLoadBalancerIngress\/GatewayAssociation, Consumer\/MineAssociation. Expected one/);
  });

  test('routes of other constructs alone are not checked', () => {
    const s = setup();
    endpoint(s);
    new ec2.CfnRoute(s.stack, 'One', { routeTableId: 'rtb-0123456789abcdef0', destinationCidrBlock: '10.9.0.0/16', gatewayId: 'igw-0123456789abcdef0' });
    new ec2.CfnRoute(s.stack, 'Two', { routeTableId: 'rtb-0123456789abcdef0', destinationCidrBlock: '10.9.0.0/16', gatewayId: 'igw-0123456789abcdef0' });
    expect(() => s.app.synth()).not.toThrow();
  });
});

describe('GatewayLoadBalancerEndpoint: endpoint quota', () => {
  function withEndpoints(count: number, quota?: number): Setup {
    const s = setup();
    for (let i = 0; i < count; i++) {
      new GatewayLoadBalancerEndpoint(s.stack, `E${i}`, { vpc: s.vpc, service: SERVICE, subnet: s.vpc.publicSubnets[i % 2], interfaceEndpointsQuota: quota });
    }
    return s;
  }

  test('counts in the quota of interface and Gateway Load Balancer endpoints per VPC', () => {
    expect(() => withEndpoints(50).app.synth()).not.toThrow();
    expect(() => withEndpoints(51).app.synth())
      .toThrow(/VPC \{"Ref":"Vpc8378EB38"\} gets 51 interface and Gateway Load Balancer endpoints in this stack: expected at most 50/);
    expect(() => withEndpoints(51, 60).app.synth()).not.toThrow();
  });

  test('shares the quota with interface endpoints', () => {
    const withInterfaces = (count: number) => {
      const s = withEndpoints(49);
      for (let i = 0; i < count; i++) {
        new InterfaceEndpoint(s.stack, `Interface${i}`, { vpc: s.vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, subnets: { subnetGroupName: 'app' } });
      }
      return s;
    };
    expect(() => withInterfaces(1).app.synth()).not.toThrow();
    expect(() => withInterfaces(2).app.synth()).toThrow(/gets 51 interface and Gateway Load Balancer endpoints/);
  });

  test('refuses a bad quota', () => {
    expect(validationErrorOf(() => withEndpoints(1, 0)).message).toMatch(/interfaceEndpointsQuota 0 is invalid: expected a whole number of 1 or more/);
  });
});
