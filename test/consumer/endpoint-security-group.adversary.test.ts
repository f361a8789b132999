import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnOutput, CfnResource, Fn, IAspect, Lazy, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { newApp, newStack, newVpc } from './fixtures';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { synthError } from '../helpers';

/*
 * Adversarial review of the endpoint security group's promise: its only CIDR peers are the VPC's own
 * blocks and `allowedPeers`, whatever an app author adds around it with CDK constructs and escape
 * hatches; anything else is a synth-time error that names the value. Each test is one attack.
 */

const STS = ec2.InterfaceVpcEndpointAwsService.STS;
const GROUP = 'Consumer/Sts/SecurityGroup';

/** An STS endpoint in `stack` (in its VPC `Vpc`, made if missing) and its created security group. */
function endpointGroup(stack: Stack, props: Partial<ConstructorParameters<typeof InterfaceEndpoint>[2]> = {}) {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? newVpc(stack);
  const endpoint = new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, ...props });
  const group = endpoint.securityGroup as ec2.SecurityGroup;
  return { vpc, endpoint, group, cfn: group.node.defaultChild as ec2.CfnSecurityGroup };
}

/** Asserts that `stack`'s app fails to synthesize with the group's refusal naming `cidr` (and the rule's path, if given). */
function expectRefused(stack: Stack, cidr: string, rulePath?: string, group = GROUP): void {
  const message = synthError(stack);
  expect(message).toContain(`[${group}] Security group ${group} admits '${cidr}' on `);
  if (rulePath) expect(message).toContain(`(${rulePath})`);
  expect(message).toContain('which is neither a CIDR block of VPC');
  expect(message).toContain('Expected the block in the endpoint\'s allowedPeers');
}

const tcp443 = { ipProtocol: 'tcp', fromPort: 443, toPort: 443 };

describe('escape hatches on the group\'s own CfnSecurityGroup (inline rules)', () => {
  test('addPropertyOverride turns the VPC rule\'s CidrIp into 0.0.0.0/0', () => {
    const stack = newStack();
    endpointGroup(stack).cfn.addPropertyOverride('SecurityGroupIngress.0.CidrIp', '0.0.0.0/0');
    expectRefused(stack, '0.0.0.0/0');
  });

  test('addOverride replaces all of SecurityGroupIngress with ::/0 on every port', () => {
    const stack = newStack();
    endpointGroup(stack).cfn.addOverride('Properties.SecurityGroupIngress', [{ IpProtocol: '-1', CidrIpv6: '::/0' }]);
    expectRefused(stack, '::/0');
  });

  test('addPropertyOverride appends a rule from 0.0.0.0/0 on SSH', () => {
    const stack = newStack();
    endpointGroup(stack).cfn.addPropertyOverride('SecurityGroupIngress.1', { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' });
    expectRefused(stack, '0.0.0.0/0');
  });

  test('the L1 property set directly replaces the rules (guard)', () => {
    const stack = newStack();
    endpointGroup(stack).cfn.securityGroupIngress = [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }];
    expectRefused(stack, '0.0.0.0/0');
  });

  test('a Lazy CIDR and a custom peer that resolves to 0.0.0.0/0, inline (guard)', () => {
    const stack = newStack();
    const { group } = endpointGroup(stack);
    group.addIngressRule(ec2.Peer.ipv4(Lazy.string({ produce: () => '0.0.0.0/0' })), ec2.Port.tcp(443));
    const sneaky: ec2.IPeer = {
      canInlineRule: true,
      uniqueId: 'Corporate',
      connections: new ec2.Connections(),
      toIngressRuleConfig: () => ({ cidrIpv6: '::/0' }),
      toEgressRuleConfig: () => ({ cidrIpv6: '::/0' }),
    };
    group.addIngressRule(sneaky, ec2.Port.tcp(22));
    const message = synthError(stack);
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 443');
    expect(message).toContain('admits \'::/0\' on TCP 22');
  });

  test('allowDefaultPortFromAnyIpv4 and allowFromAnyIpv4 on the endpoint\'s connections (guard)', () => {
    const stack = newStack();
    const { endpoint } = endpointGroup(stack);
    endpoint.connections.allowDefaultPortFromAnyIpv4();
    endpoint.connections.allowFromAnyIpv4(ec2.Port.tcp(22));
    const message = synthError(stack);
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 443');
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 22');
  });
});

describe('separate AWS::EC2::SecurityGroupIngress resources for the group', () => {
  test('an L1 rule from the VPC\'s block whose CidrIp is overridden to 0.0.0.0/0 afterwards', () => {
    const stack = newStack();
    const { vpc, group } = endpointGroup(stack);
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'FromVpc', { groupId: group.securityGroupId, ...tcp443, cidrIp: vpc.vpcCidrBlock });
    rule.addPropertyOverride('CidrIp', '0.0.0.0/0');
    expectRefused(stack, '0.0.0.0/0', 'Consumer/FromVpc');
  });

  test('an L1 rule from a prefix list whose peer is overridden to CidrIp 0.0.0.0/0', () => {
    const stack = newStack();
    const { group } = endpointGroup(stack);
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'FromList', { groupId: group.securityGroupId, ...tcp443, sourcePrefixListId: 'pl-0123456789abcdef0' });
    rule.addPropertyOverride('SourcePrefixListId', undefined);
    rule.addPropertyOverride('CidrIp', '0.0.0.0/0');
    expectRefused(stack, '0.0.0.0/0', 'Consumer/FromList');
  });

  test('an open L1 rule of another group whose GroupId is overridden to the endpoint\'s group', () => {
    const stack = newStack();
    const { vpc, group } = endpointGroup(stack);
    const mine = new ec2.SecurityGroup(stack, 'Mine', { vpc });
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'Open', { groupId: mine.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    rule.addPropertyOverride('GroupId', group.securityGroupId);
    expectRefused(stack, '0.0.0.0/0', 'Consumer/Open');
  });

  test('a plain CfnResource of type AWS::EC2::SecurityGroupIngress', () => {
    const stack = newStack();
    const { group } = endpointGroup(stack);
    new CfnResource(stack, 'Raw', {
      type: 'AWS::EC2::SecurityGroupIngress',
      properties: { GroupId: group.securityGroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
    });
    expectRefused(stack, '0.0.0.0/0', 'Consumer/Raw');
  });

  test('a rule in an included template (CfnInclude) with the group ID as a parameter', () => {
    const stack = newStack();
    const { group } = endpointGroup(stack);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sg-adversary-')), 'legacy.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { GroupId: { Type: 'String' } },
      Resources: {
        Legacy: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'GroupId' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' } },
      },
    }));
    new CfnInclude(stack, 'Legacy', { templateFile: file, parameters: { GroupId: group.securityGroupId } });
    expectRefused(stack, '0.0.0.0/0', 'Consumer/Legacy/Legacy');
  });

  test('a Lazy CIDR and a Lazy group ID in the group\'s stack: refused, and the message names the value the CIDR resolves to', () => {
    const stack = newStack();
    const { group } = endpointGroup(stack);
    new ec2.CfnSecurityGroupIngress(stack, 'LazyCidr', { groupId: group.securityGroupId, ...tcp443, cidrIp: Lazy.string({ produce: () => '0.0.0.0/0' }) });
    new ec2.CfnSecurityGroupIngress(stack, 'LazyGroup', { groupId: Lazy.string({ produce: () => group.securityGroupId }), ...tcp443, cidrIpv6: '::/0' });
    const message = synthError(stack);
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/LazyCidr)');
    expect(message).toContain('admits \'::/0\' on TCP 443 (Consumer/LazyGroup)');
  });

  test('Ref and Fn::GetAtt GroupId of the group written by hand (guard)', () => {
    const stack = newStack();
    const { cfn } = endpointGroup(stack);
    const logicalId = stack.getLogicalId(cfn);
    new ec2.CfnSecurityGroupIngress(stack, 'ByRef', { groupId: Fn.ref(logicalId), ...tcp443, cidrIp: '0.0.0.0/0' });
    new ec2.CfnSecurityGroupIngress(stack, 'ByGetAtt', { groupId: Fn.getAtt(logicalId, 'GroupId').toString(), ...tcp443, cidrIp: '0.0.0.0/0' });
    const message = synthError(stack);
    expect(message).toContain('(Consumer/ByRef)');
    expect(message).toContain('(Consumer/ByGetAtt)');
  });

  test('a rule in another stack with a Lazy group ID that refers across stacks', () => {
    const app = newApp();
    const stack = newStack(app);
    const { group } = endpointGroup(stack);
    new ec2.CfnSecurityGroupIngress(newStack(app, 'Other'), 'Open', {
      groupId: Lazy.string({ produce: () => group.securityGroupId }), ...tcp443, cidrIp: '0.0.0.0/0',
    });
    expectRefused(stack, '0.0.0.0/0', 'Other/Open');
  });

  test('a rule in another stack that imports the group ID exported by hand (CfnOutput exportName, Fn.importValue)', () => {
    const app = newApp();
    const stack = newStack(app);
    const { group } = endpointGroup(stack);
    new CfnOutput(stack, 'EndpointGroup', { value: group.securityGroupId, exportName: 'EndpointGroupId' });
    new ec2.CfnSecurityGroupIngress(newStack(app, 'Other'), 'Open', { groupId: Fn.importValue('EndpointGroupId'), ...tcp443, cidrIp: '0.0.0.0/0' });
    expectRefused(stack, '0.0.0.0/0', 'Other/Open');
  });

  test('a rule in a nested stack, and an imported mutable copy in another stack (guard)', () => {
    const app = newApp();
    const stack = newStack(app);
    const { group } = endpointGroup(stack);
    const nested = new NestedStack(stack, 'Nested');
    new ec2.CfnSecurityGroupIngress(nested, 'Open', { groupId: group.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    ec2.SecurityGroup.fromSecurityGroupId(newStack(app, 'Other'), 'Copy', group.securityGroupId).connections.allowFromAnyIpv4(ec2.Port.tcp(22));
    const message = synthError(stack);
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/Nested/Open)');
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 22 (Other/Copy/from 0.0.0.0_0:22)');
  });

  test('an endpoint in a nested stack, rules in the parent stack: 0.0.0.0/0 refused, the VPC\'s block taken (guard)', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const nested = new NestedStack(stack, 'Nested');
    const group = new InterfaceEndpoint(nested, 'Sts', { vpc, service: STS }).securityGroup!;
    new ec2.CfnSecurityGroupIngress(stack, 'FromVpc', { groupId: group.securityGroupId, ...tcp443, cidrIp: vpc.vpcCidrBlock });
    new ec2.CfnSecurityGroupIngress(stack, 'Open', { groupId: group.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    const message = synthError(stack);
    expect(message).toBe('Validation failed with the following errors:\n  [Consumer/Nested/Sts/SecurityGroup] Security group Consumer/Nested/Sts/SecurityGroup '
      + 'admits \'0.0.0.0/0\' on TCP 443 (Consumer/Open), which is neither a CIDR block of VPC Consumer/Vpc nor in allowedPeers: an endpoint\'s security '
      + 'group admits only the VPC\'s blocks and the peers the endpoint was given. Expected the block in the endpoint\'s allowedPeers (with allowPublicPeers: '
      + 'true for public addresses), or security groups of your own (securityGroups) for other rules.');
  });

  test('with @aws-cdk/aws-ec2:securityGroupDisableInlineRules... the rules are separate resources (guard)', () => {
    const app = new App({ builtinCloudFormationValidation: false, context: { '@aws-cdk/aws-ec2.securityGroupDisableInlineRules': true } } as object);
    const stack = newStack(app);
    const { endpoint, group } = endpointGroup(stack);
    group.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    endpoint.connections.allowFromAnyIpv4(ec2.Port.tcp(22));
    const message = synthError(stack);
    expect(message).toContain(`admits '::/0' on TCP 443 (${GROUP}/from ::_0:443)`);
    expect(message).toContain(`admits '0.0.0.0/0' on TCP 22 (${GROUP}/from 0.0.0.0_0:22)`);
  });
});

describe('peers that are not CIDR blocks but are as wide', () => {
  test('a prefix list of the app whose entries include 0.0.0.0/0', () => {
    const stack = newStack();
    const { endpoint } = endpointGroup(stack);
    const everyone = new ec2.PrefixList(stack, 'Everyone', { maxEntries: 1, entries: [{ cidr: '0.0.0.0/0' }] });
    endpoint.connections.allowFrom(ec2.Peer.prefixList(everyone.prefixListId), ec2.Port.tcp(443));
    const message = synthError(stack);
    expect(message).toContain('0.0.0.0/0');
    expect(message).toContain('Consumer/Everyone');
  });
});

describe('egress: the group allows no outbound traffic', () => {
  test('addEgressRule and connections.allowToAnyIpv4 on the endpoint are refused', () => {
    const stack = newStack();
    const { endpoint, group } = endpointGroup(stack);
    group.addEgressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    endpoint.connections.allowToAnyIpv4(ec2.Port.allTcp());
    new ec2.CfnSecurityGroupEgress(stack, 'Out', { groupId: group.securityGroupId, ipProtocol: '-1', cidrIp: '198.51.100.0/24' });
    const message = synthError(stack);
    expect(message).toContain(`[${GROUP}] Security group ${GROUP} allows outbound traffic to '::/0' on TCP 443`);
    expect(message).toContain(`[${GROUP}] Security group ${GROUP} allows outbound traffic to '0.0.0.0/0' on TCP 0-65535`);
    expect(message).toContain('allows outbound traffic to \'198.51.100.0/24\' on all ports (Consumer/Out)');
  });

  test('without additions the only egress rule is the placeholder that matches nothing (guard)', () => {
    const stack = newStack();
    endpointGroup(stack);
    const groups = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    const group = Object.values(groups).find(g => g.Properties.GroupDescription.startsWith('Interface'))!;
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 },
    ]);
  });
});

describe('synthesis more than once, stages, aspects', () => {
  test('a rule added between two forced syntheses is refused by the second', () => {
    const app = newApp();
    const stack = newStack(app);
    const { group } = endpointGroup(stack);
    app.synth();
    new ec2.CfnSecurityGroupIngress(stack, 'Late', { groupId: group.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    expect(() => app.synth({ force: true })).toThrow('admits \'0.0.0.0/0\' on TCP 443 (Consumer/Late)');
  });

  test('two stages each with an endpoint: each group is checked in its own stage (guard)', () => {
    const app = newApp();
    const stacks = ['Blue', 'Green'].map(name => newStack(new Stage(app, name) as unknown as App));
    const groups = stacks.map(stack => endpointGroup(stack).group);
    new ec2.CfnSecurityGroupIngress(stacks[1], 'Open', { groupId: groups[1].securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    expect(() => app.synth()).toThrow('[Green/Consumer/Sts/SecurityGroup] Security group Green/Consumer/Sts/SecurityGroup admits \'0.0.0.0/0\' on TCP 443 (Green/Consumer/Open)');
    expect(() => Stage.of(stacks[0])!.synth()).not.toThrow();
  });

  test('a user aspect that opens the group while aspects run is refused (guard)', () => {
    const stack = newStack();
    endpointGroup(stack);
    const opener: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof ec2.SecurityGroup && node.node.path === GROUP) node.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389));
      },
    };
    Aspects.of(stack).add(opener);
    expectRefused(stack, '0.0.0.0/0');
  });
});

describe('the VPC\'s own blocks stay admitted', () => {
  test('secondary IPv4 blocks before and after the endpoint, in a nested stack, and a dualstack VPC: admitted, twice the same template', () => {
    const app = newApp();
    const stack = newStack(app);
    const vpc = newVpc(stack, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
    new ec2.CfnVPCCidrBlock(stack, 'Before', { vpcId: vpc.vpcId, cidrBlock: '10.1.0.0/16' });
    const { group } = endpointGroup(stack, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    new ec2.CfnVPCCidrBlock(stack, 'After', { vpcId: vpc.vpcId, cidrBlock: '10.2.0.0/16' });
    new ec2.CfnVPCCidrBlock(new NestedStack(stack, 'Nested'), 'InNested', { vpcId: vpc.vpcId, cidrBlock: '10.3.0.0/16' });
    // The app's own rule in another stack from a secondary block, by the same value.
    new ec2.CfnSecurityGroupIngress(newStack(app, 'Other'), 'FromAfter', { groupId: group.securityGroupId, ...tcp443, cidrIp: '10.2.0.0/16' });

    const first = JSON.stringify(app.synth().getStackByName('Consumer').template);
    const second = JSON.stringify(app.synth({ force: true }).getStackByName('Consumer').template);
    expect(second).toBe(first);
    const groups = JSON.parse(first).Resources as Record<string, any>;
    const sg = Object.values(groups).find(r => r.Type === 'AWS::EC2::SecurityGroup' && r.Properties.GroupDescription.startsWith('Interface'))!;
    const peers = sg.Properties.SecurityGroupIngress.map((rule: any) => rule.CidrIp ?? rule.CidrIpv6);
    expect(peers).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] }, '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16',
      { 'Fn::Select': [0, { 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'Ipv6CidrBlocks'] }] },
    ]);
  });

  test('a block of another VPC, defined in the VPC\'s stack, is not taken for this VPC because of equal logical IDs', () => {
    const app = newApp();
    // Both stacks have a VPC with the id 'Vpc', so the same logical ID.
    const network = newStack(app, 'Network');
    const shared = newVpc(network);
    const stack = newStack(app);
    const { group } = endpointGroup(stack);
    // In the consumer's stack, a secondary block for the network account's VPC (a cross-stack reference).
    new ec2.CfnVPCCidrBlock(stack, 'SharedSecondary', { vpcId: shared.vpcId, cidrBlock: '10.50.0.0/16' });
    const template = Template.fromStack(stack).toJSON();
    const sg = template.Resources[stack.getLogicalId(group.node.defaultChild as ec2.CfnSecurityGroup)];
    const peers = sg.Properties.SecurityGroupIngress.map((rule: any) => rule.CidrIp);
    expect(peers).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] }]);
  });

  test('AwsServiceEndpoints: the shared group is checked the same way (guard)', () => {
    const stack = newStack();
    const endpoints = new AwsServiceEndpoints(stack, 'Sts', { vpc: newVpc(stack), services: [STS, ec2.InterfaceVpcEndpointAwsService.SSM] });
    endpoints.securityGroup!.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    expectRefused(stack, '0.0.0.0/0');
  });
});

describe('imported VPCs', () => {
  test('a primary block of 0.0.0.0/0 given by hand is not admitted as the VPC\'s block', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '0.0.0.0/0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    expect(() => {
      new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      Template.fromStack(stack);
    }).toThrow(/'0\.0\.0\.0\/0'.*expected .*\/16/);
  });

  test('Vpc.fromLookup without context (the dummy VPC of the first pass) still synthesizes (guard)', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0' });
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: STS });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
