import { App, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { synthError } from '../helpers';

const env = { account: '111111111111', region: 'eu-west-1' };
const STS = ec2.InterfaceVpcEndpointAwsService.STS;

function newStack(app = new App({ builtinCloudFormationValidation: false } as object), id = 'Consumer'): Stack {
  return new Stack(app, id, { env });
}

function newVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function endpoint(stack: Stack, props: Partial<ConstructorParameters<typeof InterfaceEndpoint>[2]> = {}): InterfaceEndpoint {
  return new InterfaceEndpoint(stack, 'Sts', { vpc: (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? newVpc(stack), service: STS, ...props });
}

/** The message of the security group check, for `peer` on `ports`, of the rule `resource` if it is one of its own. */
function refusal(peer: string, ports: string, resource?: string, group = 'Consumer/Sts/SecurityGroup'): string {
  return `[${group}] Security group ${group} admits '${peer}' on ${ports}${resource ? ` (${resource})` : ''}, which is neither a CIDR block `
    + 'of VPC Consumer/Vpc nor in allowedPeers: an endpoint\'s security group admits only the VPC\'s blocks and the peers the endpoint was given. '
    + 'Expected the block in the endpoint\'s allowedPeers (with allowPublicPeers: true for public addresses), or security groups of your own '
    + '(securityGroups) for other rules.';
}


describe('endpoint security group: CIDR peers added around the library are refused at synthesis', () => {
  test('connections.allowFrom(Peer.anyIpv4()) on the endpoint', () => {
    const stack = newStack();
    endpoint(stack).connections.allowFrom(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    expect(synthError(stack)).toBe(`Validation failed with the following errors:\n  ${refusal('0.0.0.0/0', 'TCP 443')}`);
  });

  test('addIngressRule on the security group: ::/0, a public block, and a private block that is not in allowedPeers', () => {
    const stack = newStack();
    const group = endpoint(stack).securityGroup as ec2.SecurityGroup;
    group.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    group.addIngressRule(ec2.Peer.ipv4('203.0.113.0/24'), ec2.Port.tcpRange(8000, 8080));
    group.addIngressRule(ec2.Peer.ipv4('10.99.0.0/16'), ec2.Port.allTraffic());
    expect(synthError(stack)).toBe(`Validation failed with the following errors:\n  ${[
      refusal('::/0', 'TCP 443'), refusal('203.0.113.0/24', 'TCP 8000-8080'), refusal('10.99.0.0/16', 'all ports'),
    ].join('\n  ')}`);
  });

  test('rules stored as AWS::EC2::SecurityGroupIngress resources: a token port, an imported copy of the group, an L1 rule', () => {
    const stack = newStack();
    const group = endpoint(stack).securityGroup as ec2.SecurityGroup;
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(Token.asNumber({ Ref: 'Port' })));
    ec2.SecurityGroup.fromSecurityGroupId(stack, 'Copy', group.securityGroupId).addIngressRule(ec2.Peer.ipv4('198.51.100.0/24'), ec2.Port.tcp(22));
    new ec2.CfnSecurityGroupIngress(stack, 'Open', { groupId: group.securityGroupId, ipProtocol: '-1', cidrIpv6: '2001:db8::/32' });

    expect(synthError(stack)).toBe(`Validation failed with the following errors:\n  ${[
      refusal('0.0.0.0/0', 'TCP {"Ref":"Port"}', 'Consumer/Sts/SecurityGroup/from 0.0.0.0_0:{IndirectPort}'),
      refusal('198.51.100.0/24', 'TCP 22', 'Consumer/Copy/from 198.51.100.0_24:22'),
      refusal('2001:db8::/32', 'all ports', 'Consumer/Open'),
    ].join('\n  ')}`);
  });

  test('a rule in another stack that refers to the group across stacks, and the shared group of AwsServiceEndpoints', () => {
    const app = new App({ builtinCloudFormationValidation: false } as object);
    const stack = newStack(app);
    const endpoints = new AwsServiceEndpoints(stack, 'Sts', { vpc: newVpc(stack), services: [STS] });
    const other = newStack(app, 'Other');
    new ec2.CfnSecurityGroupIngress(other, 'Open', { groupId: endpoints.securityGroup!.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
    expect(synthError(stack)).toBe(`Validation failed with the following errors:\n  ${refusal('0.0.0.0/0', 'TCP 443', 'Other/Open')}`);
  });

  test('rules in a third stack with references to the VPC\'s stack: the VPC\'s block is taken, another VPC\'s refused', () => {
    const app = new App({ builtinCloudFormationValidation: false } as object);
    const network = newStack(app, 'Network');
    const vpc = newVpc(network);
    const otherVpc = new ec2.Vpc(network, 'OtherVpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const stack = newStack(app);
    const group = new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS }).securityGroup!;
    const other = newStack(app, 'Other');
    const rule = { groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443 };
    new ec2.CfnSecurityGroupIngress(other, 'FromTheVpc', { ...rule, cidrIp: vpc.vpcCidrBlock });
    new ec2.CfnSecurityGroupIngress(other, 'FromAnotherVpc', { ...rule, cidrIp: otherVpc.vpcCidrBlock });

    const message = synthError(stack);
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toContain('[Consumer/Sts/SecurityGroup] Security group Consumer/Sts/SecurityGroup admits \'${Network/OtherVpc/Resource.CidrBlock}\' on TCP 443 (Other/FromAnotherVpc), which is neither a CIDR block of VPC Network/Vpc nor in allowedPeers');
  });
});

describe('endpoint security group: what stays allowed', () => {
  test('allowedPeers (public with allowPublicPeers), added again on other ports, security groups and prefix lists as peers', () => {
    const app = new App({ builtinCloudFormationValidation: false } as object);
    const stack = newStack(app);
    const sts = endpoint(stack, { allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16'), ec2.Peer.ipv6('2600:1f18::/40')], allowPublicPeers: true });
    sts.connections.allowFrom(ec2.Peer.ipv4('10.20.0.0/16'), ec2.Port.tcp(8443));
    sts.connections.allowDefaultPortFrom(new ec2.SecurityGroup(stack, 'Clients', { vpc: newVpc(newStack(app, 'Network')) }));
    sts.connections.allowFrom(ec2.Peer.prefixList('pl-0123456789abcdef0'), ec2.Port.tcp(443));
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
    sts.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(80));
    sts.connections.allowFrom(ec2.Peer.ipv4(Fn.getAtt(stack.getLogicalId(vpc.node.defaultChild as ec2.CfnVPC), 'CidrBlock').toString()), ec2.Port.tcp(81));
    const template = Template.fromStack(stack);

    const group = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find(g => g.Properties.GroupDescription.startsWith('Interface'))!;
    expect(group.Properties.SecurityGroupIngress.map((rule: any) => [rule.CidrIp ?? rule.CidrIpv6, rule.FromPort])).toEqual([
      [{ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] }, 443], ['10.20.0.0/16', 443], ['2600:1f18::/40', 443],
      ['10.20.0.0/16', 8443], [{ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] }, 80], [{ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] }, 81],
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
  });

  test('the acknowledgements say why they stay true, and cdk-nag finds no open port on the group', () => {
    const stack = newStack();
    const group = endpoint(stack).securityGroup as ec2.SecurityGroup;
    const reasons = group.node.metadata
      .filter(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map(entry => Object.values(entry.data)[0]);
    expect(reasons).toHaveLength(7);
    for (const reason of reasons) expect(reason).toMatch(/^Its only CIDR peers are the VPC's own blocks.*any other CIDR peer is a synth-time error/i);
    const report = new AwsSolutionsChecks(stack.node.root as App).validateScope(stack);
    expect(report.violations.filter(violation => violation.ruleName.includes('EC23'))).toEqual([]);
  });

  test('with given security groups nothing is checked: the groups are the user\'s', () => {
    const stack = newStack();
    const mine = new ec2.SecurityGroup(stack, 'Mine', { vpc: newVpc(stack) });
    mine.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    endpoint(stack, { securityGroups: [mine] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
