import { App, Aspects, IAspect, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, Node } from 'constructs';
import { newApp, newStack, newVpc } from './fixtures';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { validationErrorOf } from '../helpers';

const STS = ec2.InterfaceVpcEndpointAwsService.STS;
const DUALSTACK = ec2.VpcEndpointIpAddressType.DUALSTACK;

/** Gives the VPC's subnets IPv6 ranges with overrides, as a dualstack endpoint needs them, without an IPv6 block of the VPC. */
function ipv6Subnets(vpc: ec2.Vpc): void {
  vpc.isolatedSubnets.forEach((subnet, index) => (subnet.node.defaultChild as ec2.CfnSubnet).addPropertyOverride('Ipv6CidrBlock', `2001:db8:1200:${index}::/64`));
}

function secondary(scope: Construct, id: string, vpc: ec2.IVpc, cidrBlock: string): ec2.CfnVPCCidrBlock {
  return new ec2.CfnVPCCidrBlock(scope, id, { vpcId: vpc.vpcId, cidrBlock });
}

/** The ingress rules of the one security group of the endpoint `id` in `template`, and the group's DependsOn. */
function groupOf(template: Template, id = 'Sts'): { rules: Array<Record<string, unknown>>; dependsOn: string[] } {
  const [group] = Object.entries(template.findResources('AWS::EC2::SecurityGroup'))
    .filter(([logicalId]) => logicalId.startsWith(`${id}SecurityGroup`))
    .map(([, resource]) => resource);
  return { rules: group.Properties.SecurityGroupIngress ?? [], dependsOn: group.DependsOn ?? [] };
}

function cidrs(rules: Array<Record<string, unknown>>): unknown[] {
  return rules.map(rule => rule.CidrIp ?? rule.CidrIpv6);
}

function getAtt(stack: Stack, vpc: ec2.Vpc, attribute: string): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(vpc.node.defaultChild as ec2.CfnVPC), attribute] };
}

describe('VPC CIDR blocks: which blocks the endpoint security group admits', () => {
  test('admits the blocks defined before and after the endpoint, in tree order, each on every port, and depends on them', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    secondary(stack, 'Before', vpc, '100.64.0.0/16');
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, ports: [443, 8443] });
    secondary(stack, 'After', vpc, '100.65.0.0/16');
    const template = Template.fromStack(stack);

    const { rules, dependsOn } = groupOf(template);
    expect(cidrs(rules)).toEqual([getAtt(stack, vpc, 'CidrBlock'), getAtt(stack, vpc, 'CidrBlock'),
      '100.64.0.0/16', '100.64.0.0/16', '100.65.0.0/16', '100.65.0.0/16']);
    expect(rules.map(rule => rule.FromPort)).toEqual([443, 8443, 443, 8443, 443, 8443]);
    expect(dependsOn).toEqual(expect.arrayContaining(['Before', 'After'].map(id => stack.getLogicalId(stack.node.findChild(id) as ec2.CfnVPCCidrBlock))));
  });

  test('admits no block of another VPC, nor one in another stack than the VPC\'s', () => {
    const app = newApp();
    const network = newStack(app, 'Network');
    const vpc = newVpc(network);
    secondary(network, 'OtherVpcBlock', newVpc(network, 'Other'), '100.70.0.0/16');
    const consumer = newStack(app);
    secondary(consumer, 'OtherStackBlock', vpc, '100.71.0.0/16');
    new InterfaceEndpoint(consumer, 'Sts', { vpc, service: STS });
    secondary(network, 'Own', vpc, '100.72.0.0/16');

    const { rules } = groupOf(Template.fromStack(consumer));
    expect(cidrs(rules)).toEqual([{ 'Fn::ImportValue': expect.stringContaining('CidrBlock') }, '100.72.0.0/16']);
    expect(consumer.dependencies).toContain(network);
  });

  test('finds blocks of a VPC in a nested stack, and the parent\'s group depends on the nested stack', () => {
    const parent = newStack();
    const nested = new NestedStack(parent, 'Network');
    const vpc = newVpc(nested);
    new InterfaceEndpoint(parent, 'Sts', { vpc, service: STS });
    secondary(nested, 'Later', vpc, '100.64.0.0/16');
    const { rules, dependsOn } = groupOf(Template.fromStack(parent));

    expect(cidrs(rules)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Network/), expect.stringMatching(/^Outputs\./)] }, '100.64.0.0/16']);
    expect(dependsOn).toEqual([expect.stringMatching(/^NetworkNestedStackNetworkNestedStackResource/)]);
  });

  test('a group in a nested stack with the VPC in the parent finds the parent\'s blocks', () => {
    const parent = newStack();
    const vpc = newVpc(parent);
    const nested = new NestedStack(parent, 'Endpoints');
    new InterfaceEndpoint(nested, 'Sts', { vpc, service: STS });
    secondary(parent, 'Later', vpc, '100.64.0.0/16');
    Template.fromStack(parent);

    expect(cidrs(groupOf(Template.fromStack(nested)).rules)).toEqual([{ Ref: expect.stringMatching(/CidrBlock/) }, '100.64.0.0/16']);
  });

  test('a literal IPv6 block added after a dualstack endpoint is admitted as written, after the IPv4 blocks', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    ipv6Subnets(vpc);
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, ipAddressType: DUALSTACK });
    const ipv6 = new ec2.CfnVPCCidrBlock(stack, 'Ipv6', { vpcId: vpc.vpcId, ipv6CidrBlock: '2001:db8:1200::/56' });
    secondary(stack, 'Ipv4', vpc, '100.64.0.0/16');
    const { rules, dependsOn } = groupOf(Template.fromStack(stack));

    expect(cidrs(rules)).toEqual([getAtt(stack, vpc, 'CidrBlock'), '100.64.0.0/16', '2001:db8:1200::/56']);
    expect(dependsOn).toContain(stack.getLogicalId(ipv6));
  });

  test('Amazon-provided IPv6 blocks are taken from the VPC\'s Ipv6CidrBlocks, one index per block', () => {
    const stack = newStack();
    const vpc = newVpc(stack, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, ipAddressType: DUALSTACK });
    new ec2.CfnVPCCidrBlock(stack, 'MoreIpv6', { vpcId: vpc.vpcId, amazonProvidedIpv6CidrBlock: true });
    const { rules } = groupOf(Template.fromStack(stack));

    const blocks = getAtt(stack, vpc, 'Ipv6CidrBlocks');
    expect(cidrs(rules)).toEqual([getAtt(stack, vpc, 'CidrBlock'), { 'Fn::Select': [0, blocks] }, { 'Fn::Select': [1, blocks] }]);
  });

  test('an IPv4 endpoint admits no IPv6 block; an IPAM block is warned about on the endpoint', () => {
    const stack = newStack();
    const vpc = newVpc(stack, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
    new ec2.CfnVPCCidrBlock(stack, 'FromIpam', { vpcId: vpc.vpcId, ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0', ipv4NetmaskLength: 20 });
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS });
    const template = Template.fromStack(stack);

    expect(cidrs(groupOf(template).rules)).toEqual([getAtt(stack, vpc, 'CidrBlock')]);
    Annotations.fromStack(stack).hasWarning('/Consumer/Sts', Match.stringLikeRegexp('Consumer/FromIpam is not known at synthesis'));
  });

  test('a dualstack endpoint fails at synthesis, naming the VPC, when no IPv6 block is found; at once for an imported VPC', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    ipv6Subnets(vpc);
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, ipAddressType: DUALSTACK });
    expect(validationErrorOf(() => Template.fromStack(stack)).message).toBe('No IPv6 CIDR block of VPC Consumer/Vpc is known for this '
      + 'IPv6 or dualstack endpoint: expected a dualstack VPC of this app (or an AWS::EC2::VPCCidrBlock with an IPv6 block for it in its stack), '
      + 'or security groups of your own (securityGroups). [at Consumer/Sts]');

    const other = newStack();
    const imported = ec2.Vpc.fromVpcAttributes(other, 'Imported', { vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.1.0.0/16', availabilityZones: ['eu-west-1a'] });
    expect(validationErrorOf(() => new AwsServiceEndpoints(other, 'Ssm', { vpc: imported, services: [STS], ipAddressType: DUALSTACK })).message)
      .toContain('No IPv6 CIDR block of VPC Consumer/Imported is known');
  });

  test('the same app gives byte-identical templates, and a second synthesis adds no rule', () => {
    const build = () => {
      const app = newApp();
      const stack = newStack(app);
      const vpc = newVpc(stack, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
      secondary(stack, 'A', vpc, '100.64.0.0/16');
      new AwsServiceEndpoints(stack, 'Ssm', { vpc, services: AwsServiceEndpoints.sessionManager(), ipAddressType: DUALSTACK });
      new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS });
      secondary(stack, 'B', vpc, '100.65.0.0/16');
      return { app, stack };
    };
    const first = build();
    const text = JSON.stringify(first.app.synth().getStackByName('Consumer').template);
    expect(JSON.stringify(build().app.synth().getStackByName('Consumer').template)).toBe(text);
    expect(JSON.stringify(first.app.synth({ force: true }).getStackByName('Consumer').template)).toBe(text);
    expect(cidrs(groupOf(Template.fromStack(first.stack), 'Ssm').rules)).toHaveLength(4);
  });

  test('an endpoint created by an aspect while synthesizing gets the VPC\'s blocks, without an ignored-aspect warning', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    secondary(stack, 'Secondary', vpc, '100.64.0.0/16');
    const creator: IAspect = { visit: node => { if (node === stack && !stack.node.tryFindChild('Sts')) new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS }); } };
    Aspects.of(stack).add(creator);
    const template = Template.fromStack(stack);

    expect(cidrs(groupOf(template).rules)).toEqual([getAtt(stack, vpc, 'CidrBlock'), '100.64.0.0/16']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Aspect was added via another Aspect'))).toEqual([]);
  });
});

/** The full tree walks (`findAll()`) that synthesis-scans.ts takes while `work` runs, by the path of the node walked. */
function walksOfTheLibrary(work: () => void): Record<string, number> {
  const findAll = Node.prototype.findAll;
  const walks: Record<string, number> = {};
  const spy = jest.spyOn(Node.prototype, 'findAll').mockImplementation(function (this: Node, order) {
    if (/src[\\/]consumer[\\/]synthesis-scans/.test(new Error().stack!)) walks[this.path || '<app>'] = (walks[this.path || '<app>'] ?? 0) + 1;
    return findAll.call(this, order);
  });
  try {
    work();
  } finally {
    spy.mockRestore();
  }
  return walks;
}

describe('VPC CIDR blocks: one walk per stack, whatever the number of endpoints', () => {
  function app(endpoints: number): { app: App; walksWhileBuilding: Record<string, number> } {
    const root = newApp();
    const network = newStack(root, 'Network');
    const vpc = newVpc(network);
    const consumer = newStack(root);
    const walksWhileBuilding = walksOfTheLibrary(() => {
      for (let i = 0; i < endpoints; i++) {
        new InterfaceEndpoint(consumer, `Sts${i}`, { vpc, service: STS });
        secondary(network, `Block${i}`, vpc, `100.${64 + i}.0.0/16`);
        new Construct(new Construct(network, `Filler${i}`), 'Leaf');
      }
    });
    return { app: root, walksWhileBuilding };
  }

  test.each([1, 2, 30])('%i endpoints: no walk while building; at synthesis the VPC\'s stack once, and the app once', count => {
    const { app: root, walksWhileBuilding } = app(count);
    let template: Record<string, any> = {};
    const walks = walksOfTheLibrary(() => { template = root.synth().getStackByName('Consumer').template; });

    expect(walksWhileBuilding).toEqual({});
    expect(walks).toEqual({ 'Network': 1, '<app>': 1 });
    const last = template.Resources[Object.keys(template.Resources).find(id => id.startsWith(`Sts${count - 1}SecurityGroup`))!];
    expect(last.Properties.SecurityGroupIngress).toHaveLength(count + 1);
  });
});
