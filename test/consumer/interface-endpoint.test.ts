import { App, Aws, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { validationErrorOf } from '../helpers';

const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const env = { account: '111111111111', region: 'eu-west-1' };

function stack(): Stack {
  return new Stack(new App(), 'Consumer', { env });
}

function ipv4Vpc(scope: Stack, secondary?: string): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  if (secondary) new ec2.CfnVPCCidrBlock(scope, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: secondary });
  return vpc;
}

function dualstackVpc(scope: Stack): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** Every CIDR that an ingress rule of the template admits. */
function admittedCidrs(template: Template): unknown[] {
  const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
  const inline = groups.flatMap(group => group.Properties.SecurityGroupIngress ?? []);
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(rule => rule.Properties);
  return [...inline, ...separate].map(rule => rule.CidrIp ?? rule.CidrIpv6 ?? rule.SourceSecurityGroupId);
}

describe('InterfaceEndpoint: security group', () => {
  test('admits only the VPC CIDR blocks, all IPv4 blocks, on 443 by default, and never the internet', () => {
    const s = stack();
    const vpc = ipv4Vpc(s, '100.64.0.0/16');
    new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    const template = Template.fromStack(s);

    expect(admittedCidrs(template).sort()).toEqual(['100.64.0.0/16', { 'Fn::GetAtt': [s.getLogicalId(vpc.node.defaultChild as ec2.CfnVPC), 'CidrBlock'] }].sort());
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(g => g.Properties.SecurityGroupIngress ?? []);
    expect(rules.every(rule => rule.FromPort === 443 && rule.ToPort === 443 && rule.IpProtocol === 'tcp')).toBe(true);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
  });

  test('for a dualstack endpoint in a dualstack VPC, admits the IPv6 block too, on every port', () => {
    const s = stack();
    const vpc = dualstackVpc(s);
    new InterfaceEndpoint(s, 'Partner', {
      vpc,
      service: new ec2.InterfaceVpcEndpointService(PARTNER, 8443),
      ports: [8443, 9443],
      ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
      dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.DUALSTACK,
    });
    const template = Template.fromStack(s);
    const vpcId = s.getLogicalId(vpc.node.defaultChild as ec2.CfnVPC);
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(g => g.Properties.SecurityGroupIngress ?? []);
    expect(rules).toHaveLength(4);
    expect(rules.filter(r => r.CidrIpv6)).toEqual([8443, 9443].map(port => expect.objectContaining({
      CidrIpv6: { 'Fn::Select': [0, { 'Fn::GetAtt': [vpcId, 'Ipv6CidrBlocks'] }] }, FromPort: port, ToPort: port,
    })));
    expect(rules.filter(r => r.CidrIp).map(r => r.CidrIp)).toEqual([{ 'Fn::GetAtt': [vpcId, 'CidrBlock'] }, { 'Fn::GetAtt': [vpcId, 'CidrBlock'] }]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack', DnsOptions: { DnsRecordIpType: 'dualstack' } });
  });

  test('an IPv4 endpoint in a dualstack VPC admits no IPv6 block', () => {
    const s = stack();
    new InterfaceEndpoint(s, 'Sts', { vpc: dualstackVpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS });
    expect(admittedCidrs(Template.fromStack(s)).some(cidr => JSON.stringify(cidr).includes('Ipv6'))).toBe(false);
  });

  test('uses given security groups as they are, and admits extra peers on the ports', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    const group = new ec2.SecurityGroup(s, 'Mine', { vpc });
    const endpoint = new InterfaceEndpoint(s, 'Sts', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      securityGroups: [group],
      allowedPeers: [ec2.Peer.ipv4('192.168.0.0/24')],
    });
    expect(endpoint.securityGroup).toBeUndefined();
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    expect(admittedCidrs(template)).toEqual(['192.168.0.0/24']);
  });

  test.each(['0.0.0.0/0', '::/0', '::0/0', '0::/0', '10.0.0.0/0'])('refuses %s as an extra peer', cidr => {
    const s = stack();
    const peer = cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
    const error = validationErrorOf(() => new InterfaceEndpoint(s, 'Sts', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [peer] }));
    expect(error.message).toContain(cidr);
  });

  test('implements IConnectable: other groups can be allowed in on the service port', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    const endpoint = new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    const clients = new ec2.SecurityGroup(s, 'Clients', { vpc });
    endpoint.connections.allowDefaultPortFrom(clients);
    Template.fromStack(s).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Clients'), 'GroupId'] } });
  });
});

describe('InterfaceEndpoint: service, subnets and DNS', () => {
  test('one subnet per Availability Zone, private DNS on for AWS services, endpoint ID and DNS entries exposed', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    const endpoint = new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    const template = Template.fromStack(s);
    const [resourceId, resource] = Object.entries(template.findResources('AWS::EC2::VPCEndpoint'))[0];
    expect(resource.Properties.SubnetIds).toHaveLength(2);
    expect(resource.Properties.PrivateDnsEnabled).toBe(true);
    expect(resource.Properties.VpcEndpointType).toBe('Interface');
    expect(resource.Properties.PolicyDocument).toBeUndefined();
    expect(s.resolve(endpoint.vpcEndpointId)).toEqual({ Ref: resourceId });
    expect(s.resolve(endpoint.vpcEndpointDnsEntries)).toEqual({ 'Fn::GetAtt': [resourceId, 'DnsEntries'] });
  });

  test('a partner service by name follows the service default for private DNS, and can turn it on', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    new InterfaceEndpoint(s, 'Off', { vpc, service: new ec2.InterfaceVpcEndpointService(PARTNER) });
    new InterfaceEndpoint(s, 'On', { vpc, service: new ec2.InterfaceVpcEndpointService(PARTNER), privateDnsEnabled: true });
    const endpoints = Object.values(Template.fromStack(s).findResources('AWS::EC2::VPCEndpoint')).map(e => e.Properties);
    expect(endpoints.map(e => [e.ServiceName, e.PrivateDnsEnabled])).toEqual([[PARTNER, false], [PARTNER, true]]);
  });

  test.each([
    'com.amazonaws.vpce.eu-west-1.vpce-svc-XYZ',
    'com.amazonaws.eu-west-1.s3',
    'vpce-svc-0123456789abcdef0',
    'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef',
  ])('refuses the service name %s', name => {
    const s = stack();
    const error = validationErrorOf(() => new InterfaceEndpoint(s, 'Bad', { vpc: ipv4Vpc(s), service: new ec2.InterfaceVpcEndpointService(name) }));
    expect(error.message).toContain(`'${name}'`);
    expect(error.message).toContain('expected an InterfaceVpcEndpointAwsService, or a partner or private service name');
  });

  test('a service in another Region needs serviceRegion, and gets it', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    const remote = new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
    expect(validationErrorOf(() => new InterfaceEndpoint(s, 'NoRegion', { vpc, service: remote })).message).toContain("expected serviceRegion: 'us-east-1'");
    new InterfaceEndpoint(s, 'Remote', { vpc, service: remote, serviceRegion: 'us-east-1' });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: 'us-east-1' });
  });

  test('an IPv6 endpoint on IPv4-only subnets is refused', () => {
    const s = stack();
    const error = validationErrorOf(() => new InterfaceEndpoint(s, 'V6', {
      vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS, ipAddressType: ec2.VpcEndpointIpAddressType.IPV6,
    }));
    expect(error.message).toContain('ipAddressType ipv6 needs IPv6-only subnets');
    const dual = stack();
    expect(validationErrorOf(() => new InterfaceEndpoint(dual, 'Dual', {
      vpc: ipv4Vpc(dual), service: ec2.InterfaceVpcEndpointAwsService.STS, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    })).message).toContain('subnets with both IPv4 and IPv6 ranges');
  });

  test.each([
    [ec2.VpcEndpointIpAddressType.IPV4, ec2.VpcEndpointDnsRecordIpType.IPV6],
    [ec2.VpcEndpointIpAddressType.IPV4, ec2.VpcEndpointDnsRecordIpType.DUALSTACK],
    [ec2.VpcEndpointIpAddressType.IPV4, ec2.VpcEndpointDnsRecordIpType.SERVICE_DEFINED],
    [undefined, ec2.VpcEndpointDnsRecordIpType.IPV6],
  ])('refuses ipAddressType %s with dnsRecordIpType %s', (ipAddressType, dnsRecordIpType) => {
    const s = stack();
    const error = validationErrorOf(() => new InterfaceEndpoint(s, 'Bad', { vpc: dualstackVpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS, ipAddressType, dnsRecordIpType }));
    expect(error.message).toContain(`dnsRecordIpType ${dnsRecordIpType} does not work with ipAddressType`);
  });

  test('an IPv6 endpoint on IPv6-only subnets (made with overrides, as aws-cdk-lib has no option) is taken', () => {
    const s = stack();
    const vpc = dualstackVpc(s);
    for (const subnet of vpc.isolatedSubnets) {
      const cfn = subnet.node.defaultChild as ec2.CfnSubnet;
      cfn.addPropertyOverride('Ipv6Native', true);
      cfn.addPropertyDeletionOverride('CidrBlock');
    }
    new InterfaceEndpoint(s, 'V6', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      ipAddressType: ec2.VpcEndpointIpAddressType.IPV6,
      dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.IPV6,
    });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'ipv6' });
  });

  test('takes the compatible combinations', () => {
    const s = stack();
    const vpc = dualstackVpc(s);
    new InterfaceEndpoint(s, 'A', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.IPV4 });
    new InterfaceEndpoint(s, 'B', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SSM,
      ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
      dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.SERVICE_DEFINED,
    });
    Template.fromStack(s).resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });
});

describe('InterfaceEndpoint: policy, notifications, tags', () => {
  test('renders policy statements, which must have a Principal', () => {
    const s = stack();
    const endpoint = new InterfaceEndpoint(s, 'Sts', {
      vpc: ipv4Vpc(s),
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      policyStatements: [new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sts:AssumeRole'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } } })],
    });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })] },
    });
    const error = validationErrorOf(() => endpoint.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] })));
    expect(error.message).toContain('has no Principal');
  });

  test('refuses a policy over 20,480 characters when the template is synthesized', () => {
    const s = stack();
    const endpoint = new InterfaceEndpoint(s, 'Sts', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['sts:AssumeRole'],
      resources: Array.from({ length: 500 }, (_, i) => `arn:aws:iam::111111111111:role/role-with-a-long-name-${i}`),
    }));
    expect(() => Template.fromStack(s)).toThrow(/expected at most 20480/);
  });

  test('a policy with references is refused when it is too long whatever they resolve to', () => {
    const s = stack();
    const endpoint = new InterfaceEndpoint(s, 'Sts', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['sts:AssumeRole'],
      resources: Array.from({ length: 500 }, (_, i) => `arn:aws:iam::${Aws.ACCOUNT_ID}:role/role-with-a-long-name-${i}`),
    }));
    expect(() => Template.fromStack(s)).toThrow(/has at least \d+ characters: expected at most 20480/);

    const short = stack();
    const fine = new InterfaceEndpoint(short, 'Sts', { vpc: ipv4Vpc(short), service: ec2.InterfaceVpcEndpointAwsService.STS });
    fine.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${Aws.ACCOUNT_ID}:role/a`] }));
    expect(() => Template.fromStack(short)).not.toThrow();
  });

  test('sends connection notifications of the endpoint through ConnectionNotification, and takes tags', () => {
    const s = stack();
    const endpoint = new InterfaceEndpoint(s, 'Sts', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS });
    endpoint.addConnectionNotification('Events');
    Tags.of(endpoint).add('team', 'payments');
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      VPCEndpointId: { Ref: Match.stringLikeRegexp('Sts') }, ConnectionEvents: ['Accept', 'Reject', 'Delete'],
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { Tags: [{ Key: 'team', Value: 'payments' }] });
  });

  test('gives private API Gateway resource policy statements for execute-api endpoints only', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    const api = new InterfaceEndpoint(s, 'Api', { vpc, service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
    const statements = api.privateApiPolicyStatements().map(statement => s.resolve(statement.toStatementJson()));
    const endpointRef = s.resolve(api.vpcEndpointId);
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': endpointRef } } }),
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': endpointRef } } }),
    ]);
    const sts = new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    expect(validationErrorOf(() => sts.privateApiPolicyStatements()).message).toContain('expected service InterfaceVpcEndpointAwsService.APIGATEWAY');
  });
});

describe('interface endpoint limits', () => {
  function endpoints(s: Stack, vpc: ec2.IVpc, count: number, quota?: number) {
    for (let i = 0; i < count; i++) {
      new InterfaceEndpoint(s, `E${i}`, {
        vpc, service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.vpce-svc-${i.toString(16).padStart(17, '0')}`), interfaceEndpointsQuota: quota,
      });
    }
  }

  test('a 51st interface endpoint in a VPC fails synthesis', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    endpoints(s, vpc, 50);
    expect(() => Template.fromStack(s)).not.toThrow();
    const more = stack();
    endpoints(more, ipv4Vpc(more), 51);
    expect(() => Template.fromStack(more)).toThrow(/gets 51 interface and Gateway Load Balancer endpoints in this stack: expected at most 50/);
  });

  test('the bound can be raised with a prop or with context, and counts aws-cdk-lib endpoints too', () => {
    const s = stack();
    endpoints(s, ipv4Vpc(s), 51, 60);
    expect(() => Template.fromStack(s)).not.toThrow();

    const app = new App({ context: { 'cdk-privatelink:interfaceEndpointsPerVpc': 100 } });
    const withContext = new Stack(app, 'Consumer', { env });
    endpoints(withContext, ipv4Vpc(withContext), 51);
    expect(() => Template.fromStack(withContext)).not.toThrow();

    const mixed = stack();
    const vpc = ipv4Vpc(mixed);
    endpoints(mixed, vpc, 50);
    vpc.addInterfaceEndpoint('Plain', { service: ec2.InterfaceVpcEndpointAwsService.KMS });
    expect(() => Template.fromStack(mixed)).toThrow(/gets 51 interface and Gateway Load Balancer endpoints/);
  });
});

describe('interface endpoint limits: more', () => {
  test('Gateway Load Balancer endpoints share the interface quota', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    for (let i = 0; i < 45; i++) {
      new InterfaceEndpoint(s, `E${i}`, { vpc, service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.vpce-svc-${i.toString(16).padStart(17, '0')}`) });
    }
    for (let i = 0; i < 6; i++) {
      new ec2.CfnVPCEndpoint(s, `Gwlb${i}`, { vpcId: vpc.vpcId, serviceName: `com.amazonaws.vpce.eu-west-1.vpce-svc-${(100 + i).toString(16).padStart(17, '0')}`, vpcEndpointType: 'GatewayLoadBalancer' });
    }
    expect(() => Template.fromStack(s)).toThrow(/gets 51 interface and Gateway Load Balancer endpoints/);
  });

  test.each([0, -1, 2.5])('refuses interfaceEndpointsQuota %s', quota => {
    const s = stack();
    expect(() => new InterfaceEndpoint(s, 'E', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS, interfaceEndpointsQuota: quota }))
      .toThrow(`interfaceEndpointsQuota ${quota} is invalid: expected a whole number of 1 or more`);
  });

  test('refuses a context quota that is not a whole number', () => {
    const app = new App({ context: { 'cdk-privatelink:interfaceEndpointsPerVpc': 'lots' } });
    const s = new Stack(app, 'Consumer', { env });
    new InterfaceEndpoint(s, 'E', { vpc: ipv4Vpc(s), service: ec2.InterfaceVpcEndpointAwsService.STS });
    expect(() => Template.fromStack(s)).toThrow(/"lots": expected a whole number of 1 or more/);
  });
});

describe('InterfaceEndpoint: CIDR blocks of other stacks and imported VPCs', () => {
  test('finds the blocks of a VPC in another stack, and the dualstack group depends on the IPv6 association', () => {
    const app = new App();
    const network = new Stack(app, 'Network', { env });
    const vpc = dualstackVpc(network);
    new ec2.CfnVPCCidrBlock(network, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    const s = new Stack(app, 'Consumer', { env });
    new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    expect(admittedCidrs(Template.fromStack(s))).toContain('100.64.0.0/16');

    const same = stack();
    new InterfaceEndpoint(same, 'Dual', {
      vpc: dualstackVpc(same), service: ec2.InterfaceVpcEndpointAwsService.STS, ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    });
    const template = Template.fromStack(same);
    const ipv6Block = Object.keys(template.findResources('AWS::EC2::VPCCidrBlock'))[0];
    const [, group] = Object.entries(template.findResources('AWS::EC2::SecurityGroup'))[0];
    expect(group.DependsOn).toContain(ipv6Block);
  });

  test('an imported VPC gets only its primary block, with a warning; an IPv6 endpoint there needs own groups', () => {
    const s = stack();
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.1.0.0/16', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(admittedCidrs(Template.fromStack(s))).toEqual(['10.1.0.0/16']);
    expect(JSON.stringify(Annotations.fromStack(s).findWarning('*', Match.anyValue()))).toContain('importedVpcBlocks');
    expect(validationErrorOf(() => new InterfaceEndpoint(s, 'V6', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SSM,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    })).message).toContain('No IPv6 CIDR block');
  });

  test('uses one subnet per Availability Zone when the selection has several', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new InterfaceEndpoint(s, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(Object.values(Template.fromStack(s).findResources('AWS::EC2::VPCEndpoint'))[0].Properties.SubnetIds).toHaveLength(2);
  });
});

describe('AwsServiceEndpoints', () => {
  test('creates the Session Manager endpoints sharing one security group that admits only the VPC', () => {
    const s = stack();
    const set = new AwsServiceEndpoints(s, 'SessionManager', { vpc: ipv4Vpc(s), services: AwsServiceEndpoints.sessionManager() });
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    const groupId = s.resolve(set.securityGroup!.securityGroupId);
    const endpointsById = template.findResources('AWS::EC2::VPCEndpoint');
    expect(Object.values(endpointsById).map(e => e.Properties.SecurityGroupIds)).toEqual([[groupId], [groupId], [groupId]]);
    expect(JSON.stringify(Object.values(endpointsById).map(e => e.Properties.ServiceName))).toMatch(/ssm.*ssmmessages.*ec2messages/);
    expect(set.endpointFor(ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES)).toBe(set.endpoints[1]);
    expect(admittedCidrs(template)).toHaveLength(1);
  });

  test('refuses an empty or repeated list of services', () => {
    const s = stack();
    const vpc = ipv4Vpc(s);
    expect(validationErrorOf(() => new AwsServiceEndpoints(s, 'None', { vpc, services: [] })).message).toContain('services is empty');
    expect(validationErrorOf(() => new AwsServiceEndpoints(s, 'Twice', { vpc, services: [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM] })).message)
      .toContain('ssm more than once');
  });
});
