import { Aws, CfnCondition, CfnParameter, CfnResource, Fn, NestedStack, Stack, Stage, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { env, newApp, newStack, newVpc } from './fixtures';
import { ConsumerStack } from '../../examples/consumer-stack';
import { AwsServiceEndpoints, InterfaceEndpoint } from '../../src';
import { synthError } from '../helpers';

/*
 * The endpoint security group's check (vpc-only-security-group.ts) in ordinary use: what a platform
 * engineer writes with an endpoint must synthesize, with the rules expected. Then the ways left to put
 * another CIDR peer, or an egress rule, on the group without a synth error.
 */

const STS = ec2.InterfaceVpcEndpointAwsService.STS;
const GROUP = 'Consumer/Sts/SecurityGroup';
const DISABLE_INLINE_RULES = '@aws-cdk/aws-ec2.securityGroupDisableInlineRules';
const tcp443 = { ipProtocol: 'tcp', fromPort: 443, toPort: 443 };

function sts(scope: Stack, vpc: ec2.IVpc, props: Partial<ConstructorParameters<typeof InterfaceEndpoint>[2]> = {}, id = 'Sts') {
  const endpoint = new InterfaceEndpoint(scope, id, { vpc, service: STS, ...props });
  const group = endpoint.securityGroup as ec2.SecurityGroup;
  return { endpoint, group, cfn: group.node.defaultChild as ec2.CfnSecurityGroup };
}

/** The group's own resource in `stack`'s template (synthesizing the app). */
function groupResource(group: ec2.ISecurityGroup): any {
  const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
  return Template.fromStack(Stack.of(cfn)).toJSON().Resources[Stack.of(cfn).getLogicalId(cfn)];
}

/** The peers of the group's inline ingress rules (CidrIp, CidrIpv6, SourcePrefixListId or SourceSecurityGroupId), with their ports. */
function inlinePeers(group: ec2.ISecurityGroup): unknown[] {
  return (groupResource(group).Properties.SecurityGroupIngress ?? [])
    .map((rule: any) => [rule.CidrIp ?? rule.CidrIpv6 ?? rule.SourcePrefixListId ?? rule.SourceSecurityGroupId, rule.FromPort]);
}

const PLACEHOLDER = [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }];
const vpcBlock = () => ({ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] });
/** The same, for aws-cdk-lib/assertions. */
const VPC_BLOCK = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'CidrBlock'] };

function isolatedFunction(scope: Stack, vpc: ec2.IVpc, allowAllOutbound?: boolean): lambda.Function {
  return new lambda.Function(scope, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    allowAllOutbound,
  });
}

describe('ordinary use synthesizes, with the rules expected', () => {
  test('allowDefaultPortFrom a security group and a Lambda function, and a Lambda function\'s allowToDefaultPort(endpoint)', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const { endpoint, group } = sts(stack, vpc);
    const clients = new ec2.SecurityGroup(stack, 'Clients', { vpc });
    endpoint.connections.allowDefaultPortFrom(clients);
    const fn = isolatedFunction(stack, vpc, false);
    fn.connections.allowToDefaultPort(endpoint);
    endpoint.connections.allowDefaultPortFrom(fn);

    const template = Template.fromStack(stack);
    const groupId = { 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] };
    for (const peer of [clients, fn.connections.securityGroups[0]]) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: groupId,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(peer.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
      });
    }
    // The function's group may call the endpoint; the endpoint's group still allows nothing out.
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationSecurityGroupId: groupId, FromPort: 443 });
    expect(groupResource(group).Properties.SecurityGroupEgress).toEqual(PLACEHOLDER);
    expect(inlinePeers(group)).toEqual([[vpcBlock(), 443]]);
  });

  test('a Lambda function in another stack (rules across stacks)', () => {
    const app = newApp();
    const stack = newStack(app);
    const vpc = newVpc(stack);
    const { endpoint } = sts(stack, vpc);
    const workload = newStack(app, 'Workload');
    const fn = isolatedFunction(workload, vpc, false);
    // From the function's side, so that the rules go to its stack (the other way round is a cycle in aws-cdk-lib).
    fn.connections.allowToDefaultPort(endpoint);
    const rules = Template.fromStack(workload).findResources('AWS::EC2::SecurityGroupIngress');
    expect(Object.values(rules).map((rule: any) => [rule.Properties.GroupId, rule.Properties.FromPort]))
      .toEqual([[{ 'Fn::ImportValue': expect.stringMatching(/^Consumer:ExportsOutputFnGetAttStsSecurityGroup.*GroupId/) }, 443]]);
  });

  test('prefix lists: an AWS-managed or external one, and one of the app with /24 entries', () => {
    const stack = newStack();
    const { endpoint, group } = sts(stack, newVpc(stack));
    endpoint.connections.allowFrom(ec2.Peer.prefixList('pl-6da54004'), ec2.Port.tcp(443));
    const offices = new ec2.PrefixList(stack, 'Offices', { maxEntries: 2, entries: [{ cidr: '10.30.0.0/24' }, { cidr: '10.31.0.0/24' }] });
    endpoint.connections.allowFrom(ec2.Peer.prefixList(offices.prefixListId), ec2.Port.tcp(443));
    // Prefix list peers are rules of their own in aws-cdk-lib.
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress')).map((rule: any) => rule.Properties);
    expect(rules.map(rule => [rule.GroupId, rule.SourcePrefixListId])).toEqual([
      [{ 'Fn::GetAtt': [expect.stringMatching(/^StsSecurityGroup/), 'GroupId'] }, 'pl-6da54004'],
      [{ 'Fn::GetAtt': [expect.stringMatching(/^StsSecurityGroup/), 'GroupId'] }, { 'Fn::GetAtt': [expect.stringMatching(/^Offices/), 'PrefixListId'] }],
    ]);
    expect(inlinePeers(group)).toEqual([[vpcBlock(), 443]]);
  });

  test('a prefix list of the app whose entry is the VPC\'s own block (a reference): admitted like the block itself', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const { endpoint } = sts(stack, vpc);
    const own = new ec2.CfnPrefixList(stack, 'Own', { addressFamily: 'IPv4', prefixListName: 'own-vpc', maxEntries: 1, entries: [{ cidr: vpc.vpcCidrBlock }] });
    endpoint.connections.allowFrom(ec2.Peer.prefixList(own.attrPrefixListId), ec2.Port.tcp(443));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: { 'Fn::GetAtt': ['Own', 'PrefixListId'] } });
  });

  test('the VPC\'s own block given again as a peer, by token and as the literal the VPC was made with', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const { endpoint, group } = sts(stack, vpc);
    endpoint.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(8443));
    // A team keeps the VPC's range in its configuration and uses it for both.
    endpoint.connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(9443));
    expect(inlinePeers(group)).toEqual([[vpcBlock(), 443], [vpcBlock(), 8443], ['10.0.0.0/16', 9443]]);
  });

  test('AwsServiceEndpoints with many services and allowedPeers: one group, each port once per peer', () => {
    const stack = newStack();
    const services = [
      STS, ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
      ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, ec2.InterfaceVpcEndpointAwsService.ECR,
      ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, ec2.InterfaceVpcEndpointAwsService.SQS,
      ec2.InterfaceVpcEndpointAwsService.SNS, ec2.InterfaceVpcEndpointAwsService.LAMBDA,
    ];
    const endpoints = new AwsServiceEndpoints(stack, 'Services', { vpc: newVpc(stack), services, allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16')] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', services.length);
    expect(inlinePeers(endpoints.securityGroup!)).toEqual([[vpcBlock(), 443], ['10.20.0.0/16', 443]]);
  });

  test('Vpc.fromVpcAttributes with a normal /16 and with a token CIDR: the block as given, a warning', () => {
    const stack = newStack();
    const attrs = { availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'] };
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const literal = ec2.Vpc.fromVpcAttributes(stack, 'Literal', { ...attrs, vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.1.0.0/16' });
    const a = sts(stack, literal, { subnets }, 'A');
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Token', { ...attrs, vpcId: 'vpc-0123456789abcdef1', vpcCidrBlock: Fn.importValue('NetworkVpcCidr') });
    const b = sts(stack, imported, { subnets, allowedPeers: [ec2.Peer.ipv4('10.2.0.0/16')] }, 'B');
    expect(inlinePeers(a.group)).toEqual([['10.1.0.0/16', 443]]);
    expect(inlinePeers(b.group)).toEqual([[{ 'Fn::ImportValue': 'NetworkVpcCidr' }, 443], ['10.2.0.0/16', 443]]);
    Annotations.fromStack(stack).hasWarning('/Consumer/A', Match.stringLikeRegexp('VPC Consumer/Literal is imported'));
  });

  test('Vpc.fromLookup with the lookup\'s context present (cdk.context.json)', () => {
    const key = 'vpc-provider:account=111111111111:filter.vpc-id=vpc-0123456789abcdef0:region=eu-west-1:returnAsymmetricSubnets=true';
    const app = newApp({
      [key]: {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidrBlock: '10.40.0.0/16',
        ownerAccountId: '111111111111',
        availabilityZones: [],
        subnetGroups: [{
          name: 'Isolated',
          type: 'Isolated',
          subnets: [
            { subnetId: 'subnet-0a', cidr: '10.40.0.0/20', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0a' },
            { subnetId: 'subnet-0b', cidr: '10.40.16.0/20', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0b' },
          ],
        }],
      },
    });
    const stack = newStack(app);
    const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0' });
    const { group } = sts(stack, vpc);
    expect(app.synth().manifest.missing).toBeUndefined();
    expect(inlinePeers(group)).toEqual([['10.40.0.0/16', 443]]);
  });

  test('a dualstack VPC with one more Amazon-provided IPv6 block: a dualstack endpoint admits both IPv6 blocks, an IPv4 one neither', () => {
    const stack = newStack();
    const vpc = newVpc(stack, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
    new ec2.CfnVPCCidrBlock(stack, 'MoreIpv6', { vpcId: vpc.vpcId, amazonProvidedIpv6CidrBlock: true });
    const dual = sts(stack, vpc, { ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
    const ipv4 = sts(stack, vpc, {}, 'Ipv4');
    const ipv6Blocks = [0, 1].map(index => [{ 'Fn::Select': [index, { 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'Ipv6CidrBlocks'] }] }, 443]);
    expect(inlinePeers(dual.group)).toEqual([[vpcBlock(), 443], ...ipv6Blocks]);
    expect(inlinePeers(ipv4.group)).toEqual([[vpcBlock(), 443]]);
  });

  test('an IPAM-allocated VPC (IpAddresses.awsIpamAllocation)', () => {
    const stack = newStack();
    const vpc = newVpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.awsIpamAllocation({ ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0', ipv4NetmaskLength: 18, defaultSubnetIpv4NetmaskLength: 24 }),
    });
    const { group } = sts(stack, vpc);
    expect(inlinePeers(group)).toEqual([[vpcBlock(), 443]]);
  });

  test('the VPC in another stack: its blocks by export, a rule of the app by the same reference, a peered VPC of a third stack in allowedPeers', () => {
    const app = newApp();
    const network = newStack(app, 'Network');
    const vpc = newVpc(network);
    new ec2.CfnVPCCidrBlock(network, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '10.1.0.0/16' });
    const peered = newVpc(newStack(app, 'Peered'), 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.9.0.0/16') });
    const stack = newStack(app);
    const { endpoint, group } = sts(stack, vpc, { allowedPeers: [ec2.Peer.ipv4(peered.vpcCidrBlock)] });
    endpoint.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(8443));
    const imported = (exportName: RegExp) => ({ 'Fn::ImportValue': expect.stringMatching(exportName) });
    expect(inlinePeers(group)).toEqual([
      [imported(/^Network:ExportsOutputFnGetAttVpc.*CidrBlock/), 443], [imported(/^Peered:ExportsOutputFnGetAttVpc.*CidrBlock/), 443],
      [imported(/^Network:ExportsOutputFnGetAttVpc.*CidrBlock/), 8443],
      // The secondary block is added when aspects run, after the rules the construct and the app added.
      ['10.1.0.0/16', 443],
    ]);
  });

  test('nested stacks: the endpoint in a nested stack of the VPC\'s stack, and the VPC in a nested stack of the endpoint\'s', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const inNested = sts(new NestedStack(stack, 'Endpoints'), vpc);
    const otherVpc = newVpc(new NestedStack(stack, 'Network'), 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.5.0.0/16') });
    const inParent = sts(stack, otherVpc, {}, 'Parent');
    const nestedTemplate = Template.fromStack(Stack.of(inNested.group)).toJSON();
    const nestedGroup = nestedTemplate.Resources[Stack.of(inNested.group).getLogicalId(inNested.cfn)];
    expect(nestedGroup.Properties.SecurityGroupIngress.map((rule: any) => rule.CidrIp)).toEqual([{ Ref: expect.stringMatching(/CidrBlock$/) }]);
    expect(inlinePeers(inParent.group)).toEqual([[{ 'Fn::GetAtt': [expect.stringMatching(/^Network/), expect.stringMatching(/CidrBlock$/)] }, 443]]);
  });

  test('Tags.of() on the endpoint and the stack', () => {
    const stack = newStack();
    const { endpoint, group } = sts(stack, newVpc(stack));
    Tags.of(endpoint).add('team', 'payments');
    Tags.of(stack).add('cost-centre', '1234');
    expect(groupResource(group).Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'payments' }]));
  });

  test(`feature flag ${DISABLE_INLINE_RULES}: rules as resources, allowedPeers admitted, the no-traffic placeholder is not an egress rule`, () => {
    const app = newApp({ [DISABLE_INLINE_RULES]: true });
    const stack = newStack(app);
    const { group } = sts(stack, newVpc(stack), { allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16')] });
    const template = Template.fromStack(stack);
    const groupId = { 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: groupId, CidrIp: VPC_BLOCK, FromPort: 443 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: groupId, CidrIp: '10.20.0.0/16', FromPort: 443 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: groupId, ...{ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' } });
  });

  test('several endpoints in one VPC, in one stack and in a stage, synthesized twice: the same template', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    const stack = newStack(app, 'Consumer', stage);
    const vpc = newVpc(stack);
    const groups = ['Sts', 'Kms', 'Ssm'].map(id => sts(stack, vpc, {
      service: new ec2.InterfaceVpcEndpointAwsService(id.toLowerCase()), allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16')],
    }, id).group);
    const first = JSON.stringify(stage.synth().getStackByName(stack.stackName).template);
    const second = JSON.stringify(stage.synth({ force: true }).getStackByName(stack.stackName).template);
    expect(second).toBe(first);
    for (const group of groups) expect(inlinePeers(group)).toEqual([[vpcBlock(), 443], ['10.20.0.0/16', 443]]);
  });

  test('Template.fromStack more than once, with assertions on the rules', () => {
    const stack = newStack();
    sts(stack, newVpc(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: VPC_BLOCK, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'TCP 443 from the VPC' }],
      SecurityGroupEgress: PLACEHOLDER,
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('the example consumer stack: each endpoint group admits only the VPC on 443', () => {
    const app = newApp();
    const stack = new ConsumerStack(app, 'PrivateLinkConsumer', {
      env, partnerServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0', organizationId: 'o-a1b2c3d4e5',
    });
    const groups = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup'))
      .filter((group: any) => group.Properties.GroupDescription.startsWith('Interface endpoints'));
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      expect(group.Properties.SecurityGroupIngress.map((rule: any) => [rule.CidrIp, rule.FromPort])).toEqual([[vpcBlock(), 443]]);
      expect(group.Properties.SecurityGroupEgress).toEqual(PLACEHOLDER);
    }
  });
});

describe('remaining holes: another CIDR peer, or outbound traffic, on the group without a synth error', () => {
  test('addDeletionOverride of SecurityGroupEgress (AWS then adds its allow-all outbound rule) is refused', () => {
    const stack = newStack();
    sts(stack, newVpc(stack)).cfn.addDeletionOverride('Properties.SecurityGroupEgress');
    expect(synthError(stack)).toMatch(new RegExp(`\\[${GROUP}\\] Security group ${GROUP} .*outbound`));
  });

  test('an empty SecurityGroupEgress (the same as none for CloudFormation) is refused', () => {
    const stack = newStack();
    sts(stack, newVpc(stack)).cfn.addPropertyOverride('SecurityGroupEgress', []);
    expect(synthError(stack)).toMatch(new RegExp(`\\[${GROUP}\\] Security group ${GROUP} .*outbound`));
  });

  test(`with ${DISABLE_INLINE_RULES}, removing the placeholder egress resource (no outbound rule left) is refused`, () => {
    const stack = newStack(newApp({ [DISABLE_INLINE_RULES]: true }));
    const { group } = sts(stack, newVpc(stack));
    expect(group.node.tryRemoveChild('to 255.255.255.255_32:ICMP Type 252 Code 86')).toBe(true);
    expect(synthError(stack)).toMatch(new RegExp(`\\[${GROUP}\\] Security group ${GROUP} .*outbound`));
  });

  test('a rule whose GroupId is Fn::GetAtt Id of the group (the group ID for a group in a VPC) is refused', () => {
    const stack = newStack();
    const { cfn } = sts(stack, newVpc(stack));
    new ec2.CfnSecurityGroupIngress(stack, 'ById', { groupId: cfn.attrId, ...tcp443, cidrIp: '0.0.0.0/0' });
    expect(synthError(stack)).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/ById)');
  });

  test('a rule whose GroupId wraps the group\'s ID in Fn::If, Fn::Select of Fn::Split, or Fn::Sub is refused', () => {
    const stack = newStack();
    const { group, cfn } = sts(stack, newVpc(stack));
    const always = new CfnCondition(stack, 'Always', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    const ids = {
      If: Fn.conditionIf(always.logicalId, group.securityGroupId, Aws.NO_VALUE).toString(),
      Select: Fn.select(0, Fn.split(',', group.securityGroupId)),
      Sub: Fn.sub(`\${${stack.getLogicalId(cfn)}.GroupId}`),
    };
    for (const [id, groupId] of Object.entries(ids)) new ec2.CfnSecurityGroupIngress(stack, id, { groupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    const message = synthError(stack);
    for (const id of Object.keys(ids)) expect(message).toContain(`admits '0.0.0.0/0' on TCP 443 (Consumer/${id})`);
  });

  test('a rule whose GroupId is the string form of Fn::GetAtt (\'Logical.GroupId\') is refused', () => {
    const stack = newStack();
    const { cfn } = sts(stack, newVpc(stack));
    const other = new ec2.SecurityGroup(stack, 'Other', { vpc: stack.node.findChild('Vpc') as ec2.Vpc });
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'Dotted', { groupId: other.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    rule.addPropertyOverride('GroupId', { 'Fn::GetAtt': `${stack.getLogicalId(cfn)}.GroupId` });
    expect(synthError(stack)).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/Dotted)');
  });

  test('a resource of another type whose Type is overridden to AWS::EC2::SecurityGroupIngress is refused', () => {
    const stack = newStack();
    const { group } = sts(stack, newVpc(stack));
    const handle = new CfnResource(stack, 'Handle', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    handle.addOverride('Type', 'AWS::EC2::SecurityGroupIngress');
    handle.addOverride('Properties', { GroupId: group.securityGroupId, IpProtocol: '-1', CidrIp: '0.0.0.0/0' });
    expect(synthError(stack)).toContain('admits \'0.0.0.0/0\' on all ports (Consumer/Handle)');
  });

  test('an ingress rule from the VPC\'s block whose Type is overridden to AWS::EC2::SecurityGroupEgress is refused', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const { group } = sts(stack, vpc);
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'Out', { groupId: group.securityGroupId, ipProtocol: '-1', cidrIp: vpc.vpcCidrBlock });
    rule.addOverride('Type', 'AWS::EC2::SecurityGroupEgress');
    expect(synthError(stack)).toContain('allows outbound traffic to');
  });

  test('a prefix list of the app written as a plain CfnResource, with 0.0.0.0/0, is refused', () => {
    const stack = newStack();
    const { endpoint } = sts(stack, newVpc(stack));
    const everyone = new CfnResource(stack, 'Everyone', {
      type: 'AWS::EC2::PrefixList',
      properties: { AddressFamily: 'IPv4', MaxEntries: 1, PrefixListName: 'everyone', Entries: [{ Cidr: '0.0.0.0/0' }] },
    });
    endpoint.connections.allowFrom(ec2.Peer.prefixList(everyone.ref), ec2.Port.tcp(443));
    expect(synthError(stack)).toContain('Consumer/Everyone');
  });

  test('a secondary block whose CidrBlock is 0.0.0.0/0 as given and a real block as overridden: 0.0.0.0/0 is not admitted', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const block = new ec2.CfnVPCCidrBlock(stack, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '0.0.0.0/0' });
    block.addPropertyOverride('CidrBlock', '10.1.0.0/16');
    const { group } = sts(stack, vpc);
    // Safe either way: synthesis fails naming the block, or the group admits the block as deployed.
    const outcome = (() => {
      try {
        return inlinePeers(group);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    if (typeof outcome === 'string') expect(outcome).toContain('Consumer/Secondary');
    else expect(outcome).not.toContainEqual(['0.0.0.0/0', 443]);
  });

  test('a rule in a nested stack with the group ID passed as a parameter of the nested stack by hand is refused', () => {
    const stack = newStack();
    const { group } = sts(stack, newVpc(stack));
    const nested = new NestedStack(stack, 'Nested', { parameters: { EndpointGroupId: group.securityGroupId } });
    const parameter = new CfnParameter(nested, 'EndpointGroupId', { type: 'String' });
    new ec2.CfnSecurityGroupIngress(nested, 'Open', { groupId: parameter.valueAsString, ...tcp443, cidrIp: '0.0.0.0/0' });
    expect(synthError(stack)).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/Nested/Open)');
  });

  test('guards: Fn::If in an inline CidrIp, the whole Properties replaced, a rule resource under a condition are refused', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const { group } = sts(stack, vpc);
    const always = new CfnCondition(stack, 'Always', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    group.addIngressRule(ec2.Peer.ipv4(Fn.conditionIf(always.logicalId, '10.0.0.0/16', '0.0.0.0/0').toString()), ec2.Port.tcp(22));
    const rule = new ec2.CfnSecurityGroupIngress(stack, 'Conditional', { groupId: group.securityGroupId, ...tcp443, cidrIp: '0.0.0.0/0' });
    rule.cfnOptions.condition = always;
    const message = synthError(stack);
    expect(message).toContain('admits {"Fn::If":["Always","10.0.0.0/16","0.0.0.0/0"]} on TCP 22');
    expect(message).toContain('admits \'0.0.0.0/0\' on TCP 443 (Consumer/Conditional)');

    const replaced = newStack();
    const other = sts(replaced, newVpc(replaced));
    other.cfn.addOverride('Properties', {
      GroupDescription: 'x', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }], SecurityGroupEgress: PLACEHOLDER,
    });
    expect(synthError(replaced)).toContain('admits \'0.0.0.0/0\' on all ports');
  });
});
