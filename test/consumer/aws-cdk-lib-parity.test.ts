import { App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsServiceEndpoints, EndpointPolicyDefault, GatewayEndpoint, GatewayEndpointPolicy, InterfaceEndpoint } from '../../src';
import { validationErrorOf } from '../helpers';

const env = { account: '111111111111', region: 'eu-west-1' };
const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const { ALL_RESOLVERS, ONLY_INBOUND_RESOLVER } = ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint;

function newStack(app = new App({ builtinCloudFormationValidation: false } as object), id = 'Consumer'): Stack {
  return new Stack(app, id, { env });
}

function newVpc(scope: Stack): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function endpointLogicalId(stack: Stack, construct: InterfaceEndpoint | GatewayEndpoint): string {
  const cfn = construct.node.tryFindChild('Resource');
  const resource = (cfn?.node.defaultChild ?? cfn) as ec2.CfnVPCEndpoint;
  return stack.getLogicalId(resource);
}

describe('InterfaceEndpoint: privateDnsOnlyForInboundResolverEndpoint', () => {
  test('sets DnsOptions, and deploys after the VPC\'s gateway endpoint to the same service in the stack', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const gateway = new GatewayEndpoint(stack, 'S3Gateway', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
    new GatewayEndpoint(stack, 'DynamoGateway', { vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const endpoint = new InterfaceEndpoint(stack, 'S3', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsOnlyForInboundResolverEndpoint: ONLY_INBOUND_RESOLVER,
    });

    const template = Template.fromStack(stack);
    template.hasResource('AWS::EC2::VPCEndpoint', {
      Properties: Match.objectLike({
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'OnlyInboundResolver' },
      }),
      DependsOn: [endpointLogicalId(stack, gateway)],
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('inboundResolverNeedsGatewayEndpoint'))).toEqual([]);
    expect(endpoint.vpcEndpointId).toBeDefined();
  });

  test('finds an aws-cdk-lib gateway endpoint too, and one in another stack without a dependency', () => {
    const app = new App({ builtinCloudFormationValidation: false } as object);
    const network = newStack(app, 'Network');
    const vpc = newVpc(network);
    vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const consumer = newStack(app, 'App');
    new InterfaceEndpoint(consumer, 'Dynamo', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.DYNAMODB, privateDnsOnlyForInboundResolverEndpoint: ONLY_INBOUND_RESOLVER,
    });
    const template = Template.fromStack(consumer);
    template.hasResource('AWS::EC2::VPCEndpoint', { DependsOn: Match.absent() });
    expect(Annotations.fromStack(consumer).findWarning('*', Match.stringLikeRegexp('inboundResolverNeedsGatewayEndpoint'))).toEqual([]);
  });

  test('warns when the app has no gateway endpoint to the service in the VPC (an S3 Express one does not count)', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    new GatewayEndpoint(stack, 'Express', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS });
    new InterfaceEndpoint(stack, 'S3', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsOnlyForInboundResolverEndpoint: ONLY_INBOUND_RESOLVER,
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Consumer/S3', Match.stringLikeRegexp('AWS refuses the interface endpoint without one'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain("no gateway endpoint to 's3' in this VPC");
    expect(warnings[0].entry.data).toContain('VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ONLY_INBOUND_RESOLVER');
  });

  test('ALL_RESOLVERS needs no gateway endpoint', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    new InterfaceEndpoint(stack, 'S3', { vpc, service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'AllResolvers' } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('is absent by default', () => {
    const stack = newStack();
    new InterfaceEndpoint(stack, 'S3', { vpc: newVpc(stack), service: ec2.InterfaceVpcEndpointAwsService.S3 });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { DnsOptions: Match.absent() });
  });

  test('refuses services without gateway endpoints, endpoint services, no private DNS, and values not of the enum', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    expect(validationErrorOf(() => new InterfaceEndpoint(stack, 'Sts', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS,
    })).message).toBe("privateDnsOnlyForInboundResolverEndpoint is only for services with both gateway and interface endpoints, not for 'sts': "
      + 'expected an interface endpoint to InterfaceVpcEndpointAwsService.S3 or InterfaceVpcEndpointAwsService.DYNAMODB, '
      + 'or no privateDnsOnlyForInboundResolverEndpoint. [at Consumer/Sts]');
    expect(() => new InterfaceEndpoint(stack, 'Fips', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.DYNAMODB_FIPS, privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS,
    })).toThrow(/not for 'dynamodb-fips'/);
    expect(() => new InterfaceEndpoint(stack, 'Partner', {
      vpc, service: new ec2.InterfaceVpcEndpointService(PARTNER), privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS,
    })).toThrow(`only for AWS services with both gateway and interface endpoints, not for '${PARTNER}'`);
    expect(validationErrorOf(() => new InterfaceEndpoint(stack, 'NoDns', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsEnabled: false, privateDnsOnlyForInboundResolverEndpoint: ONLY_INBOUND_RESOLVER,
    })).message).toBe("privateDnsOnlyForInboundResolverEndpoint 'OnlyInboundResolver' needs private DNS, but privateDnsEnabled is false: "
      + 'expected privateDnsEnabled true (or not set), or no privateDnsOnlyForInboundResolverEndpoint. [at Consumer/NoDns]');
    expect(() => new InterfaceEndpoint(stack, 'Bad', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsOnlyForInboundResolverEndpoint: true as any,
    })).toThrow('privateDnsOnlyForInboundResolverEndpoint has true: expected one of VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ALL_RESOLVERS '
      + "('AllResolvers'), VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ONLY_INBOUND_RESOLVER ('OnlyInboundResolver').");
  });

  test('AwsServiceEndpoints refuses it for services other than S3 and DynamoDB, and passes it on to those', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    expect(() => new AwsServiceEndpoints(stack, 'Ssm', {
      vpc,
      services: [ec2.InterfaceVpcEndpointAwsService.S3, ...AwsServiceEndpoints.sessionManager()],
      privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS,
    })).toThrow('privateDnsOnlyForInboundResolverEndpoint applies to every endpoint here, but ssm, ssmmessages, ec2messages have no gateway endpoints: '
      + 'expected it only for S3 and DynamoDB; give those their own InterfaceEndpoint. [at Consumer/Ssm]');
    new AwsServiceEndpoints(stack, 'Data', {
      vpc,
      services: [ec2.InterfaceVpcEndpointAwsService.S3, ec2.InterfaceVpcEndpointAwsService.DYNAMODB],
      privateDnsOnlyForInboundResolverEndpoint: ALL_RESOLVERS,
    });
    const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', {
      Properties: { DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'AllResolvers' } },
    });
    expect(Object.keys(endpoints)).toHaveLength(2);
  });
});

describe('InterfaceEndpoint.fromInterfaceEndpointAttributes', () => {
  test('imports an endpoint whose connections use its security groups and port', () => {
    const stack = newStack();
    const group = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Group', 'sg-0123456789abcdef0', { mutable: true });
    const endpoint = InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Imported', {
      vpcEndpointId: 'vpce-0123456789abcdef0', port: 8443, securityGroups: [group],
    });
    endpoint.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.1.0.0/16'));
    expect(endpoint.vpcEndpointId).toBe('vpce-0123456789abcdef0');
    expect(endpoint.vpcEndpointRef.vpcEndpointId).toBe('vpce-0123456789abcdef0');
    expect(endpoint.node.path).toBe('Consumer/Imported');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0', CidrIp: '10.1.0.0/16', FromPort: 8443, ToPort: 8443,
    });
  });

  test('takes a token ID, such as an import of another stack\'s output', () => {
    const stack = newStack();
    const endpoint = InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Imported', { vpcEndpointId: Fn.importValue('EndpointId'), port: 443 });
    expect(stack.resolve(endpoint.vpcEndpointId)).toEqual({ 'Fn::ImportValue': 'EndpointId' });
  });

  test('refuses a bad ID, a bad port and bad security groups, naming the import', () => {
    const stack = newStack();
    expect(validationErrorOf(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Svc', { vpcEndpointId: 'vpce-svc-0123456789abcdef0', port: 443 })).message)
      .toBe("Invalid VPC endpoint ID 'vpce-svc-0123456789abcdef0': it is an endpoint service ID, not an endpoint ID; expected 'vpce-' followed by 8 or 17 "
        + "lowercase hexadecimal characters, like 'vpce-0123456789abcdef0'. [at Consumer/Svc]");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Missing', { port: 443 } as any))
      .toThrow("vpcEndpointId is missing: expected a VPC endpoint ID like 'vpce-0123456789abcdef0'. [at Consumer/Missing]");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Number', { vpcEndpointId: 42 as any, port: 443 }))
      .toThrow("Invalid VPC endpoint ID 42: expected a string like 'vpce-0123456789abcdef0'.");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Port', { vpcEndpointId: 'vpce-01234567', port: 70000 }))
      .toThrow('Invalid port 70000 in port: expected a whole number from 1 to 65535. [at Consumer/Port]');
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'NoPort', { vpcEndpointId: 'vpce-01234567' } as any))
      .toThrow('Invalid port undefined in port: expected a whole number from 1 to 65535.');
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'StringPort', { vpcEndpointId: 'vpce-01234567', port: '443' as any }))
      .toThrow("Invalid port '443' in port");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Empty', { vpcEndpointId: 'vpce-01234567', port: 443, securityGroups: [] }))
      .toThrow("securityGroups is empty: expected the endpoint's security groups, or no securityGroups. [at Consumer/Empty]");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'Ids', { vpcEndpointId: 'vpce-01234567', port: 443, securityGroups: ['sg-01234567'] as any }))
      .toThrow("securityGroups has 'sg-01234567': expected security groups, such as ec2.SecurityGroup.fromSecurityGroupId().");
    expect(() => InterfaceEndpoint.fromInterfaceEndpointAttributes(stack, 'One', { vpcEndpointId: 'vpce-01234567', port: 443, securityGroups: 'sg-01234567' as any }))
      .toThrow("securityGroups is 'sg-01234567': expected a list of security groups.");
  });
});

describe('GatewayEndpoint: S3 Express One Zone', () => {
  test('creates a gateway endpoint to s3express, with policy statements of Principal *', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const endpoint = new GatewayEndpoint(stack, 'Express', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS,
      policyStatements: [GatewayEndpointPolicy.forAccounts(['111111111111'], { actions: ['s3express:CreateSession'] })],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3express']] },
      PolicyDocument: {
        Statement: [Match.objectLike({ Principal: { AWS: '*' }, Action: 's3express:CreateSession', Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } } })],
      },
    });
    expect(() => endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('111111111111')], actions: ['s3express:*'], resources: ['*'] })))
      .toThrow(/Principal/);
  });

  test('takes a data perimeter as default policy', () => {
    const stack = newStack();
    new GatewayEndpoint(stack, 'Express', {
      vpc: newVpc(stack), service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS, defaultPolicy: EndpointPolicyDefault.sameOrganization('o-a1b2c3d4e5'),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow' })]) } });
  });

  test('bucketPolicyStatements() is for S3 general purpose buckets only', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const bucket = new s3.Bucket(stack, 'Bucket');
    const express = new GatewayEndpoint(stack, 'Express', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS });
    expect(() => express.bucketPolicyStatements(bucket))
      .toThrow('bucketPolicyStatements() is called on an S3 Express One Zone gateway endpoint: expected an S3 gateway endpoint '
        + '(GatewayVpcEndpointAwsService.S3), for a general purpose bucket. [at Consumer/Express]');
    const dynamo = new GatewayEndpoint(stack, 'Dynamo', { vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    expect(() => dynamo.bucketPolicyStatements(bucket)).toThrow('bucketPolicyStatements() is called on a DynamoDB gateway endpoint');
  });

  test('still refuses services that have no gateway endpoints', () => {
    const stack = newStack();
    expect(() => new GatewayEndpoint(stack, 'Sqs', { vpc: newVpc(stack), service: new ec2.GatewayVpcEndpointAwsService('sqs') }))
      .toThrow("Unsupported gateway endpoint service 'com.amazonaws.<region>.sqs': expected GatewayVpcEndpointAwsService.S3, "
        + 'GatewayVpcEndpointAwsService.DYNAMODB or GatewayVpcEndpointAwsService.S3_EXPRESS. [at Consumer/Sqs]');
  });
});

describe('GatewayEndpoint: ipAddressType and dnsRecordIpType', () => {
  test('are set on the endpoint (with the aws-cdk-lib floor, which has no such props on GatewayVpcEndpoint)', () => {
    const stack = newStack();
    new GatewayEndpoint(stack, 'S3', {
      vpc: newVpc(stack),
      service: ec2.GatewayVpcEndpointAwsService.S3,
      ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
      dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.DUALSTACK,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway', IpAddressType: 'dualstack', DnsOptions: { DnsRecordIpType: 'dualstack' },
    });
  });

  test('are absent by default; either can be given alone', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
    new GatewayEndpoint(stack, 'Dynamo', { vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, ipAddressType: ec2.VpcEndpointIpAddressType.IPV4 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] }, IpAddressType: Match.absent(), DnsOptions: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] }, IpAddressType: 'ipv4', DnsOptions: Match.absent(),
    });
  });

  test('refuses values not of the enums, and a DNS record type the IP address type cannot serve', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const S3 = ec2.GatewayVpcEndpointAwsService.S3;
    expect(() => new GatewayEndpoint(stack, 'Ip', { vpc, service: S3, ipAddressType: 'IPv6' as any }))
      .toThrow("ipAddressType has 'IPv6': expected one of VpcEndpointIpAddressType.IPV4 ('ipv4'), VpcEndpointIpAddressType.IPV6 ('ipv6'), "
        + "VpcEndpointIpAddressType.DUALSTACK ('dualstack'). [at Consumer/Ip]");
    expect(() => new GatewayEndpoint(stack, 'Dns', { vpc, service: S3, dnsRecordIpType: 'both' as any }))
      .toThrow("dnsRecordIpType has 'both': expected one of VpcEndpointDnsRecordIpType.IPV4 ('ipv4')");
    expect(validationErrorOf(() => new GatewayEndpoint(stack, 'Mismatch', {
      vpc, service: S3, ipAddressType: ec2.VpcEndpointIpAddressType.IPV4, dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.DUALSTACK,
    })).message).toBe('dnsRecordIpType dualstack does not work with ipAddressType ipv4: expected ipAddressType dualstack. [at Consumer/Mismatch]');
    expect(() => new GatewayEndpoint(stack, 'DefaultIpv4', { vpc, service: S3, dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.IPV6 }))
      .toThrow('dnsRecordIpType ipv6 does not work with ipAddressType ipv4');
  });
});

describe('GatewayEndpoint.fromGatewayEndpointId', () => {
  test('imports an endpoint by ID, a literal or a token', () => {
    const stack = newStack();
    expect(GatewayEndpoint.fromGatewayEndpointId(stack, 'Imported', 'vpce-0123456789abcdef0').vpcEndpointId).toBe('vpce-0123456789abcdef0');
    const token = GatewayEndpoint.fromGatewayEndpointId(stack, 'Token', Fn.importValue('GatewayId'));
    expect(stack.resolve(token.vpcEndpointRef.vpcEndpointId)).toEqual({ 'Fn::ImportValue': 'GatewayId' });
  });

  test('refuses what is not an endpoint ID', () => {
    const stack = newStack();
    expect(() => GatewayEndpoint.fromGatewayEndpointId(stack, 'Bad', 'vpce-XYZ'))
      .toThrow("Invalid VPC endpoint ID 'vpce-XYZ': it has upper-case letters; expected 'vpce-' followed by 8 or 17 lowercase hexadecimal characters, "
        + "like 'vpce-0123456789abcdef0'. [at Consumer/Bad]");
    expect(() => GatewayEndpoint.fromGatewayEndpointId(stack, 'Rtb', 'rtb-0123456789abcdef0')).toThrow("it does not start with 'vpce-'");
  });
});
