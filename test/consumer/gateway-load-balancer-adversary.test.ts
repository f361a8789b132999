import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GatewayLoadBalancerEndpoint, GatewayLoadBalancerService } from '../../src';
import { validationErrorOf } from '../helpers';
import { NAME, SERVICE, endpoint, env, inZone, setup } from './gwlb-fixture';

/** The routes of the template that target a VPC endpoint, as `route table -> destination`. */
function endpointRoutes(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::Route'))
    .map(r => r.Properties)
    .filter(p => p.VpcEndpointId !== undefined)
    .map(p => `${JSON.stringify(p.RouteTableId)} -> ${JSON.stringify(p.DestinationCidrBlock ?? p.DestinationIpv6CidrBlock)}`);
}

function warningsOf(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map(w => String(w.entry.data));
}

describe('adversary: ingress destinations follow the gateway route table rules', () => {
  // AWS (VPC guide, gateway route tables): for a Gateway Load Balancer endpoint target, only the entire block of the VPC or of a subnet.
  test.each([
    ['10.0.0.0/8', "it is larger than the VPC block '10.0.0.0/16'"],
    ['192.168.0.0/24', "it is outside the VPC's blocks (10.0.0.0/16)"],
    ['10.0.1.0/25', "it is not the whole block of a subnet: it overlaps subnet Consumer/Vpc/appSubnet1 ('10.0.1.0/24')"],
    ['10.0.0.0/23', "it is not the whole block of a subnet: it overlaps subnet Consumer/Vpc/endpointSubnet1 ('10.0.0.0/28')"],
  ])('refuses %s in a VPC of the app', (cidr, why) => {
    const s = setup();
    const message = validationErrorOf(() => endpoint(s).addIngressRoutes({ ipv4Destinations: [cidr] })).message;
    expect(message).toContain(`Ingress destination '${cidr}' in ipv4Destinations is refused: ${why}. Expected the whole CIDR block of the VPC or of one of its subnets`);
    expect(endpointRoutes(s.stack)).toEqual([]);
  });

  test('takes the VPC block, a whole subnet block, and a block of the VPC no known subnet overlaps (a subnet made elsewhere)', () => {
    const s = setup();
    endpoint(s).addIngressRoutes({ ipv4Destinations: ['10.0.0.0/16', '10.0.1.0/24', '10.0.200.0/24'] });
    expect(endpointRoutes(s.stack).map(r => r.split(' -> ')[1])).toEqual(['"10.0.0.0/16"', '"10.0.1.0/24"', '"10.0.200.0/24"']);
  });

  test('refuses the block of the endpoint\'s own subnet, however it is given', () => {
    const s = setup();
    expect(validationErrorOf(() => endpoint(s).addIngressRoutes({ ipv4Destinations: ['10.0.0.0/28'] })).message)
      .toContain("Ingress destination '10.0.0.0/28' in ipv4Destinations is the block of the endpoint's own subnet Consumer/Vpc/endpointSubnet1");
  });

  test('a literal secondary block of the VPC counts; a secondary block from an IPAM pool makes the VPC\'s blocks unknown', () => {
    const s = setup();
    new ec2.CfnVPCCidrBlock(s.stack, 'Secondary', { vpcId: s.vpc.vpcId, cidrBlock: '10.1.0.0/16' });
    endpoint(s).addIngressRoutes({ ipv4Destinations: ['10.1.4.0/24'] });
    expect(validationErrorOf(() => endpoint(s, {}, 'Other', 1).addIngressRoutes({ ipv4Destinations: ['10.2.0.0/24'] })).message)
      .toContain("it is outside the VPC's blocks (10.0.0.0/16, 10.1.0.0/16)");

    const t = setup();
    new ec2.CfnVPCCidrBlock(t.stack, 'FromPool', { vpcId: t.vpc.vpcId, ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0', ipv4NetmaskLength: 20 });
    endpoint(t).addIngressRoutes({ ipv4Destinations: ['10.2.0.0/24'] });
    expect(endpointRoutes(t.stack)).toHaveLength(1);
  });

  test('of an imported VPC only a block larger than its known primary block is refused', () => {
    const stack = new Stack(new App(), 'Imported', { env });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['eu-west-1a'] });
    const e = new GatewayLoadBalancerEndpoint(stack, 'E', { vpc, service: SERVICE, subnet: ec2.Subnet.fromSubnetId(stack, 'S', 'subnet-0123456789abcdef0') });
    e.addIngressRoutes({ internetGatewayId: 'igw-0123456789abcdef0', ipv4Destinations: ['10.9.0.0/24'] });
    expect(validationErrorOf(() => e.addIngressRoutes({ internetGatewayId: 'igw-0123456789abcdef0', ipv4Destinations: ['10.0.0.0/15'] })).message)
      .toContain("it is larger than the VPC block '10.0.0.0/16'");
  });
});

describe('adversary: the edge association waits for the internet gateway attachment', () => {
  test('also an attachment made beside an imported VPC, anywhere in the stack', () => {
    const stack = new Stack(new App(), 'Own', { env });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] });
    const igw = new ec2.CfnInternetGateway(stack, 'Igw');
    const attachment = new ec2.CfnVPCGatewayAttachment(stack, 'Attachment', { vpcId: vpc.vpcId, internetGatewayId: igw.ref });
    const e = new GatewayLoadBalancerEndpoint(stack, 'E', { vpc, service: SERVICE, subnet: ec2.Subnet.fromSubnetId(stack, 'S', 'subnet-0123456789abcdef0') });
    e.addIngressRoutes({ internetGatewayId: igw.ref, ipv4Destinations: ['10.0.1.0/24'] });
    const [association] = Object.values(Template.fromStack(stack).findResources('AWS::EC2::GatewayRouteTableAssociation'));
    expect(association.DependsOn).toEqual([stack.getLogicalId(attachment)]);
  });
});

describe('adversary: IP address types', () => {
  test('every member of VpcEndpointIpAddressType but IPV4 and DUALSTACK is refused, naming the two', () => {
    for (const [member, value] of Object.entries(ec2.VpcEndpointIpAddressType)) {
      const s = setup(ec2.IpProtocol.DUAL_STACK);
      const make = () => endpoint(s, { ipAddressType: value });
      if (member === 'IPV4' || member === 'DUALSTACK') {
        expect(make).not.toThrow();
      } else {
        expect(validationErrorOf(make).message)
          .toContain(`ipAddressType ${value} is not supported by Gateway Load Balancer endpoints: expected VpcEndpointIpAddressType.IPV4 or VpcEndpointIpAddressType.DUALSTACK`);
      }
    }
  });
});

describe('adversary: service names', () => {
  test.each([
    `${NAME}.extra`,
    `${NAME}\n`,
    ` ${NAME}`,
    'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0a',
    'com.amazonaws.vpce..vpce-svc-0123456789abcdef0',
    'com.amazonaws.vpce.eu-west-1.vpce-0123456789abcdef0',
    'aws.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
  ])('refuses %j', name => {
    expect(validationErrorOf(() => endpoint(setup(), { service: GatewayLoadBalancerService.fromServiceName(name) })).message)
      .toContain(`Invalid service name '${name}': expected the name of a Gateway Load Balancer endpoint service`);
  });

  test('takes the cn. prefix in the China Regions and only there', () => {
    const china = setup(ec2.IpProtocol.IPV4_ONLY, 'cn-northwest-1');
    endpoint(china, { service: GatewayLoadBalancerService.fromServiceName('cn.com.amazonaws.vpce.cn-northwest-1.vpce-svc-070f9283a2c0d1f0c') });
    Template.fromStack(china.stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'cn.com.amazonaws.vpce.cn-northwest-1.vpce-svc-070f9283a2c0d1f0c' });
    expect(validationErrorOf(() => endpoint(setup(ec2.IpProtocol.IPV4_ONLY, 'cn-northwest-1'), {
      service: GatewayLoadBalancerService.fromServiceName('com.amazonaws.vpce.cn-northwest-1.vpce-svc-070f9283a2c0d1f0c'),
    })).message).toContain("expected the 'cn.' prefix for a service in cn-northwest-1");
    expect(validationErrorOf(() => endpoint(setup(), {
      service: GatewayLoadBalancerService.fromServiceName('cn.com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0'),
    })).message).toContain("expected no 'cn.' prefix for a service in eu-west-1");
  });

  test('in a stack whose Region is a token, the Region of the name must still be an AWS Region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['a'] });
    const subnet = ec2.Subnet.fromSubnetId(stack, 'S', 'subnet-0123456789abcdef0');
    new GatewayLoadBalancerEndpoint(stack, 'Good', { vpc, subnet, service: SERVICE });
    const service = GatewayLoadBalancerService.fromServiceName('com.amazonaws.vpce.eu-wets-1.vpce-svc-0123456789abcdef0');
    expect(validationErrorOf(() => new GatewayLoadBalancerEndpoint(stack, 'Bad', { vpc, subnet, service })).message)
      .toContain("Invalid Region of service name 'com.amazonaws.vpce.eu-wets-1.vpce-svc-0123456789abcdef0' 'eu-wets-1': it is not an AWS Region");
  });

  test('a name with a token is taken as it is', () => {
    const s = setup();
    const name = Fn.join('.', ['com.amazonaws.vpce', s.stack.region, new CfnParameter(s.stack, 'Id').valueAsString]);
    endpoint(s, { service: GatewayLoadBalancerService.fromServiceName(name) });
    Template.fromStack(s.stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});

describe('adversary: inspection is not bypassed, routing stays symmetric', () => {
  test('return routes of a subnet through another endpoint than its ingress fail synthesis, in either order', () => {
    for (const returnFirst of [false, true]) {
      const s = setup();
      const a = endpoint(s, {}, 'A', 0);
      const b = endpoint(s, {}, 'B', 1);
      const ingress = () => a.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
      const back = () => b.addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
      if (returnFirst) {
        back(); ingress();
      } else {
        ingress(); back();
      }
      expect(() => s.app.synth()).toThrow(/Subnet Consumer\/Vpc\/appSubnet1 gets its IPv4 traffic from the internet gateway through Consumer\/A, but its route table sends the return traffic through another endpoint \(Consumer\/B\/ReturnRoute[0-9a-f]{8}\): expected the same endpoint for both directions/);
    }
  });

  test('a block given as ipv4Destinations is matched to its subnet', () => {
    const s = setup();
    endpoint(s, {}, 'A', 0).addIngressRoutes({ ipv4Destinations: ['10.0.1.0/24'] });
    endpoint(s, {}, 'B', 1).addReturnRoutes({ subnets: inZone(s.vpc, 'app', 0) });
    expect(() => s.app.synth()).toThrow(/Subnet Consumer\/Vpc\/appSubnet1 gets its IPv4 traffic .* through Consumer\/A/);
  });

  test('the same endpoint both ways passes, without warnings', () => {
    const s = setup();
    for (const zone of [0, 1]) {
      const e = endpoint(s, {}, `E${zone}`, zone);
      e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', zone) });
      e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', zone) });
    }
    expect(() => s.app.synth()).not.toThrow();
    expect(warningsOf(s.stack, 'gwlb')).toEqual([]);
  });

  test('ingress to a subnet whose default route goes to the internet gateway warns: the return traffic bypasses the appliances', () => {
    const s = setup();
    endpoint(s, {}, 'A', 0).addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'endpoint', 1) });
    expect(warningsOf(s.stack, 'bypasses the inspection')).toEqual([
      expect.stringContaining("Subnet Consumer/Vpc/endpointSubnet2 gets its traffic from the internet gateway through this endpoint, but its route table's default route Consumer/Vpc/endpointSubnet2/DefaultRoute does not go through it"),
    ]);
  });

  test('an application subnet in another zone than the endpoint warns, for ingress and for return', () => {
    const s = setup();
    const e = endpoint(s, {}, 'A', 0);
    e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 1) });
    e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', 1) });
    const zones = s.vpc.availabilityZones;
    expect(warningsOf(s.stack, 'crosses Availability Zones')).toEqual([
      expect.stringContaining(`addIngressRoutes() routes subnet Consumer/Vpc/appSubnet2 (${zones[1]}) through this endpoint in ${zones[0]}`),
      expect.stringContaining(`addReturnRoutes() routes subnet Consumer/Vpc/appSubnet2 (${zones[1]}) through this endpoint in ${zones[0]}`),
    ]);
    const t = setup();
    endpoint(t).addIngressRoutes({ destinationSubnets: inZone(t.vpc, 'app', 0) });
    expect(warningsOf(t.stack, 'crosses Availability Zones')).toEqual([]);
  });

  test('ingress routes of one VPC in two route tables fail synthesis: a VPC has one internet gateway', () => {
    const s = setup();
    endpoint(s, {}, 'A', 0).addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    endpoint(s, {}, 'B', 1).addIngressRoutes({ routeTableId: 'rtb-0123456789abcdef0', destinationSubnets: inZone(s.vpc, 'app', 1) });
    expect(() => s.app.synth()).toThrow(/The ingress routes of VPC \{"Ref":"Vpc8378EB38"\} are in 2 route tables: .*\(Consumer\/A\); "rtb-0123456789abcdef0" \(Consumer\/B\)\. Expected one/);

    const t = setup();
    endpoint(t, {}, 'A', 0).addIngressRoutes({ routeTableId: 'rtb-0123456789abcdef0', destinationSubnets: inZone(t.vpc, 'app', 0) });
    endpoint(t, {}, 'B', 1).addIngressRoutes({ routeTableId: 'rtb-0123456789abcdef0', destinationSubnets: inZone(t.vpc, 'app', 1) });
    expect(() => t.app.synth()).not.toThrow();
  });

  test('return routes into the ingress route table are refused', () => {
    const s = setup();
    const e = endpoint(s);
    const [route] = e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', 0) });
    expect(validationErrorOf(() => e.addReturnRoutes({ routeTableIds: [route.routeTableId] })).message)
      .toMatch(/Route table '\$\{Consumer\/Vpc\/GatewayLoadBalancerIngress\/RouteTable\.Ref\}' is the ingress route table of VPC Consumer\/Vpc, associated with the internet gateway, which takes no return route/);
  });
});

describe('adversary: crafted inputs from untyped languages', () => {
  test.each([
    [null, 'The props are null: expected an object with vpc and service'],
    [42, 'The props are 42: expected an object'],
  ])('props %p', (props, message) => {
    expect(validationErrorOf(() => new GatewayLoadBalancerEndpoint(setup().stack, 'E', props as any)).message).toContain(message);
  });

  test.each([
    [null, 'vpc is null: expected a VPC'],
    ['vpc-0123456789abcdef0', "vpc is 'vpc-0123456789abcdef0': expected a VPC"],
    [{ vpcId: 'vpc-0123456789abcdef0' }, 'vpc is {"vpcId":"vpc-0123456789abcdef0"}: expected a VPC'],
  ])('vpc %p', (vpc, message) => {
    const s = setup();
    expect(validationErrorOf(() => new GatewayLoadBalancerEndpoint(s.stack, 'E', { vpc: vpc as any, service: SERVICE, subnets: {} })).message)
      .toContain(message);
  });

  test.each([
    ['app', "subnets is 'app': expected a subnet selection"],
    [null, 'subnets is null: expected a subnet selection'],
    [[{ subnetGroupName: 'app' }], 'subnets is [{"subnetGroupName":"app"}]: expected a subnet selection'],
  ])('subnets %p', (subnets, message) => {
    expect(validationErrorOf(() => endpoint(setup(), { subnets: subnets as any })).message).toContain(message);
  });

  test('subnets selecting no subnet, or a group that does not exist', () => {
    const s = setup();
    expect(validationErrorOf(() => endpoint(s, { subnets: { subnetGroupName: 'endpoint', availabilityZones: ['eu-west-1c'] } })).message)
      .toContain('subnets selects 0 subnets: expected exactly one');
    expect(() => endpoint(s, { subnets: { subnetGroupName: 'inspection' } }, 'Missing')).toThrow(/There are no subnet groups with name 'inspection' in this VPC. Available names: endpoint,app/);
  });

  test('a subnet of another VPC of the app is refused', () => {
    const s = setup();
    const other = new ec2.Vpc(s.stack, 'Other', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'x', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(validationErrorOf(() => endpoint(s, { subnets: undefined, subnet: other.publicSubnets[0] })).message)
      .toMatch(/subnet Consumer\/Other\/xSubnet1 is in VPC '\$\{Consumer\/Other\/Resource\.Ref\}', not in vpc Consumer\/Vpc: expected a subnet of the endpoint's VPC/);
  });

  test.each([
    ['ipAddressType', 4, 'ipAddressType has 4: expected one of VpcEndpointIpAddressType.IPV4'],
    ['ipAddressType', 'IPV4', "ipAddressType has 'IPV4': expected one of"],
    ['ipAddressType', null, 'ipAddressType has null: expected one of'],
    ['interfaceEndpointsQuota', '60', "interfaceEndpointsQuota '60' is invalid: expected a whole number of 1 or more"],
    ['interfaceEndpointsQuota', 1.5, 'interfaceEndpointsQuota 1.5 is invalid'],
    ['interfaceEndpointsQuota', -1, 'interfaceEndpointsQuota -1 is invalid'],
    ['interfaceEndpointsQuota', NaN, 'interfaceEndpointsQuota null is invalid'],
    ['subnet', 42, 'subnet is 42: expected a subnet'],
  ])('%s %p', (prop, value, message) => {
    const s = setup();
    const props: any = { [prop]: value };
    if (prop === 'subnet') props.subnets = undefined;
    expect(validationErrorOf(() => endpoint(s, props)).message).toContain(message);
  });

  test.each([[null, 'null'], ['app', "'app'"], [[{}], '[{}]']])('options %p of both route methods', (options, shown) => {
    const e = endpoint(setup());
    expect(validationErrorOf(() => e.addIngressRoutes(options as any)).message).toContain(`The options of addIngressRoutes() are ${shown}: expected an object`);
    expect(validationErrorOf(() => e.addReturnRoutes(options as any)).message).toContain(`The options of addReturnRoutes() are ${shown}: expected an object`);
  });

  test.each([
    [{ destinationSubnets: 'app' }, "destinationSubnets is 'app': expected a subnet selection"],
    [{ ipv4Destinations: '10.0.1.0/24' }, "ipv4Destinations is '10.0.1.0/24': expected a list of IPv4 CIDR blocks"],
    [{ ipv4Destinations: [null] }, 'ipv4Destinations has null: expected CIDR blocks as strings'],
    [{ ipv4Destinations: [167772416] }, 'ipv4Destinations has 167772416: expected CIDR blocks as strings'],
    [{ ipv4Destinations: ['10.0.1.0/24'], routeTableId: 42 }, 'Invalid route table ID 42 in routeTableId'],
    [{ ipv4Destinations: ['10.0.1.0/24'], routeTableId: 'rtb-0123456789ABCDEF0' }, "Invalid route table ID 'rtb-0123456789ABCDEF0' in routeTableId: expected 'rtb-' followed by 8 or 17 lowercase"],
    [{ ipv4Destinations: ['10.0.1.0/24'], internetGatewayId: 'igw-0123456789ABCDEF0' }, "Invalid internet gateway ID 'igw-0123456789ABCDEF0' in internetGatewayId: expected 'igw-' followed by 8 or 17"],
    [{ ipv4Destinations: ['10.0.1.0/24'], internetGatewayId: 7 }, 'Invalid internet gateway ID 7 in internetGatewayId'],
  ])('ingress options %j', (options, message) => {
    expect(validationErrorOf(() => endpoint(setup()).addIngressRoutes(options as any)).message).toContain(message);
  });

  test.each([
    [{ routeTableIds: 'rtb-0123456789abcdef0' }, "routeTableIds is 'rtb-0123456789abcdef0': expected a list of route table IDs"],
    [{ routeTableIds: [42] }, 'Invalid route table ID 42 in routeTableIds'],
    [{ routeTableIds: ['rtb-0123456789ABCDEF0'] }, "Invalid route table ID 'rtb-0123456789ABCDEF0' in routeTableIds"],
    [{ subnets: 'app' }, "subnets is 'app': expected a subnet selection"],
    [{ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: [] }, 'addReturnRoutes() has no destination, as ipv4Destinations and ipv6Destinations are empty'],
    [{ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [{}] }, 'ipv4Destinations has {}: expected CIDR blocks as strings'],
  ])('return options %j', (options, message) => {
    expect(validationErrorOf(() => endpoint(setup()).addReturnRoutes(options as any)).message).toContain(message);
  });

  test.each([
    ['10.0.0.0/33', 'it is not an IPv4 CIDR block'],
    ['010.0.0.0/8', 'it is not an IPv4 CIDR block'],
    ['10.0.0.0/08', 'it is not an IPv4 CIDR block'],
    ['10.0.0.0', 'it is not an IPv4 CIDR block'],
    [' 10.0.0.0/16', 'it is not an IPv4 CIDR block'],
    ['10.0.0.0/16/16', 'it is not an IPv4 CIDR block'],
    ['10.0.0.1/16', "it has bits set after the /16 prefix: expected '10.0.0.0/16'"],
  ])('refuses the IPv4 destination %j, naming it', (cidr, why) => {
    expect(validationErrorOf(() => endpoint(setup()).addReturnRoutes({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [cidr] })).message)
      .toContain(`Invalid destination '${cidr}' in ipv4Destinations: ${why}`);
  });

  test('IPv6 destinations: a zone index is refused; an IPv4-mapped block is one block however it is written', () => {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    const only = (ipv6: string) => ({ routeTableIds: ['rtb-0123456789abcdef0'], ipv4Destinations: [], ipv6Destinations: [ipv6] });
    expect(validationErrorOf(() => e.addReturnRoutes(only('fe80::%eth0/64'))).message).toContain("Invalid destination 'fe80::%eth0/64' in ipv6Destinations: it is not an IPv6 CIDR block");
    expect(validationErrorOf(() => e.addReturnRoutes(only('::ffff:10.0.0.1/104'))).message).toContain("it has bits set after the /104 prefix: expected '::ffff:a00:0/104'");
    e.addReturnRoutes(only('::ffff:10.0.0.0/104'));
    expect(validationErrorOf(() => e.addReturnRoutes(only('0:0:0:0:0:FFFF:0A00:0000/104'))).message).toContain('is already defined by Consumer/Inspection/ReturnRoute');
  });

  test('tokens are taken where a literal would be checked', () => {
    const s = setup();
    const e = endpoint(s);
    const table = new CfnParameter(s.stack, 'Table').valueAsString;
    const cidr = new CfnParameter(s.stack, 'Cidr').valueAsString;
    e.addReturnRoutes({ routeTableIds: [table, table], ipv4Destinations: [cidr] });
    e.addIngressRoutes({ routeTableId: new CfnParameter(s.stack, 'Ingress').valueAsString, ipv4Destinations: [cidr] });
    expect(endpointRoutes(s.stack)).toEqual(['{"Ref":"Table"} -> {"Ref":"Cidr"}', '{"Ref":"Ingress"} -> {"Ref":"Cidr"}']);
    expect(validationErrorOf(() => e.addReturnRoutes({ routeTableIds: [table], ipv4Destinations: [cidr] })).message)
      .toContain("The route to '${Consumer/Cidr.Ref}' on route table '${Consumer/Table.Ref}' is already defined");
  });
});

describe('adversary: determinism', () => {
  function build(reverse: boolean): Stack {
    const s = setup(ec2.IpProtocol.DUAL_STACK);
    const steps = [0, 1].flatMap(zone => {
      const e = endpoint(s, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK }, `E${zone}`, zone);
      return [
        () => e.addIngressRoutes({ destinationSubnets: inZone(s.vpc, 'app', zone) }),
        () => e.addReturnRoutes({ subnets: inZone(s.vpc, 'app', zone), ipv4Destinations: ['0.0.0.0/0', '192.168.0.0/16'] }),
      ];
    });
    (reverse ? steps.reverse() : steps).forEach(step => step());
    return s.stack;
  }

  test('the same app synthesizes the same template, and the order of the calls does not change the routes\' logical IDs', () => {
    const first = Template.fromStack(build(false)).toJSON();
    expect(Template.fromStack(build(false)).toJSON()).toEqual(first);
    const routes = (template: Record<string, any>) => Object.fromEntries(Object.entries(template.Resources)
      .filter(([, r]: [string, any]) => r.Type === 'AWS::EC2::Route' && r.Properties.VpcEndpointId));
    const reversed = Template.fromStack(build(true)).toJSON();
    expect(Object.keys(routes(first))).toHaveLength(10);
    expect(routes(reversed)).toEqual(routes(first));
  });
});

describe('adversary: quota', () => {
  test('Gateway Load Balancer and interface endpoints made with aws-cdk-lib count together, per VPC', () => {
    const build = (extra: boolean) => {
      const s = setup();
      for (let i = 0; i < 25; i++) {
        new ec2.CfnVPCEndpoint(s.stack, `Raw${i}`, { vpcId: s.vpc.vpcId, serviceName: NAME, vpcEndpointType: 'GatewayLoadBalancer' });
        const service = new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.vpce-svc-${String(i).padStart(17, '0')}`);
        new ec2.InterfaceVpcEndpoint(s.stack, `Interface${i}`, { vpc: s.vpc, service, subnets: { subnetGroupName: 'app' } });
      }
      const other = new ec2.Vpc(s.stack, 'Other', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'x', subnetType: ec2.SubnetType.PUBLIC }] });
      new GatewayLoadBalancerEndpoint(s.stack, 'InOther', { vpc: other, service: SERVICE, subnet: other.publicSubnets[0] });
      if (extra) endpoint(s);
      return s.app;
    };
    expect(() => build(false).synth()).not.toThrow();
    expect(() => build(true).synth()).toThrow(/VPC \{"Ref":"Vpc8378EB38"\} gets 51 interface and Gateway Load Balancer endpoints in this stack: expected at most 50/);
  });
});
