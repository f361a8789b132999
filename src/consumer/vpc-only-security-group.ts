import { Annotations, AspectPriority, Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct, IValidation } from 'constructs';
import { definesVpc, primaryCidrBlock, SynthesisScans, vpcCidrBlocks } from './vpc-cidr-blocks';
import {
  acknowledgeRule, acknowledgeRuleInPacks, describe, fail, HIPAA_SECURITY, NIST_800_53_R5, PCI_DSS_321, propName,
} from '../validation';

/**
 * A security group for interface endpoints that admits only the VPC's own CIDR blocks (all
 * IPv4 blocks and, for an IPv6 or dualstack endpoint, all IPv6 blocks) on the given TCP ports, and
 * allows no outbound traffic (endpoints answer, they do not call out).
 *
 * The primary IPv4 block is admitted at once. The VPC's other blocks (each `AWS::EC2::VPCCidrBlock`
 * for it in its stack) are admitted when aspects run, so blocks added after the endpoint count too;
 * the group then depends on them. An IPv6 or dualstack endpoint needs an IPv6 block: for an imported
 * VPC (whose only known block is the primary one) that is an error at once, otherwise when aspects run.
 *
 * When the tree is validated, every CIDR peer of the group's ingress rules, inline or separate
 * `AWS::EC2::SecurityGroupIngress` resources anywhere in the stage, must be one of the VPC's blocks
 * admitted here or in `allowedPeers` (which the caller checks and adds): a rule such as
 * `connections.allowFrom(ec2.Peer.anyIpv4(), ...)` is refused, so the compliance packs' rules on open
 * ports acknowledged here stay true. Security groups and prefix lists are peers as they are.
 * Unless `allowedPeers`, the packs' rules on unrestricted ports are acknowledged on it too.
 */
export function vpcOnlySecurityGroup(
  scope: Construct, id: string, vpc: ec2.IVpc, ports: number[], ipAddressType?: ec2.VpcEndpointIpAddressType,
  allowedPeers?: readonly ec2.IPeer[],
): ec2.SecurityGroup {
  // The caller refuses anything but a list of peers, after the group is made.
  const peers = Array.isArray(allowedPeers) ? allowedPeers : [];
  const ipv6 = ipAddressType === ec2.VpcEndpointIpAddressType.IPV6 || ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK;
  const primary = primaryCidrBlock(scope, vpc);
  const group = new ec2.SecurityGroup(scope, id, {
    vpc,
    description: `Interface endpoints of ${scope.node.path}: TCP ${ports.join(', ')} from the VPC only`,
    allowAllOutbound: false,
    allowAllIpv6Outbound: false,
  });
  const rules = new VpcBlockRules(scope, group, vpc, ports, ipv6);
  rules.admit([ec2.Peer.ipv4(primary)]);
  if (definesVpc(vpc)) {
    Aspects.of(group).add(rules, { priority: AspectPriority.MUTATING });
  } else {
    importedVpcWarning(scope, vpc);
    if (ipv6) fail(scope, noIpv6BlockMessage(vpc));
    rules.complete = true;
  }
  group.node.addValidation(new OnlyAdmittedCidrPeers(group, rules, peers));
  acknowledgeRule(group, 'AwsSolutions-EC23',
    'Its only CIDR peers are the VPC\'s own blocks, CloudFormation references that cdk-nag cannot read, and allowedPeers, which are '
    + 'never wider than /8 or /32; any other CIDR peer is a synth-time error, so never 0.0.0.0/0 or ::/0.');
  if (peers.length === 0) {
    for (const rule of ['EC2RestrictedCommonPorts', 'EC2RestrictedSSH']) {
      acknowledgeRuleInPacks(group, rule, [NIST_800_53_R5, HIPAA_SECURITY, PCI_DSS_321],
        `Its only CIDR peers are the VPC's own blocks, on TCP ${ports.join(', ')}: CloudFormation references that cdk-nag cannot `
        + 'read. Any other CIDR peer is a synth-time error, so never 0.0.0.0/0 or ::/0; with allowedPeers this is not acknowledged.');
    }
  }
  return group;
}

/** Adds the rules from the VPC's blocks: the primary one at once, the others when aspects run (once, whatever the number of syntheses). */
class VpcBlockRules implements IAspect {
  /** Whether every block of the VPC is admitted. */
  public complete = false;
  /** The CIDR blocks admitted, as given to `ec2.Peer`. */
  public readonly admitted: string[] = [];

  constructor(
    private readonly scope: IConstruct, private readonly group: ec2.SecurityGroup, private readonly vpc: ec2.IVpc,
    private readonly ports: number[], private readonly ipv6: boolean,
  ) {}

  public get vpcPath(): string {
    return this.vpc.node.path;
  }

  public visit(node: IConstruct): void {
    if (node !== this.group || this.complete) return;
    this.complete = true;
    const blocks = vpcCidrBlocks(this.scope, this.vpc);
    if (this.ipv6 && blocks.ipv6.length === 0) fail(this.scope, noIpv6BlockMessage(this.vpc));
    this.admit([
      ...blocks.ipv4.filter(block => !this.admitted.includes(block)).map(block => ec2.Peer.ipv4(block)),
      ...(this.ipv6 ? blocks.ipv6.map(block => ec2.Peer.ipv6(block)) : []),
    ]);
    this.group.node.addDependency(...blocks.dependencies);
  }

  public admit(peers: ec2.IPeer[]): void {
    for (const peer of peers) {
      this.admitted.push(cidrOf(peer)!);
      for (const port of this.ports) this.group.addIngressRule(peer, ec2.Port.tcp(port), `TCP ${port} from the VPC`);
    }
  }
}

/** A CIDR-block ingress rule of the group: inline, or a resource of its own. */
interface CidrRule {
  /** As given: resolved for an inline rule. */
  readonly cidr: unknown;
  /** The CIDR block resolved in the rule's stack, as JSON. */
  readonly resolved: string;
  readonly ports: string;
  readonly resource?: IConstruct;
}

/** Refuses CIDR peers of the group other than the VPC's blocks and `allowedPeers`. */
class OnlyAdmittedCidrPeers implements IValidation {
  constructor(
    private readonly group: ec2.SecurityGroup, private readonly rules: VpcBlockRules, private readonly allowedPeers: readonly ec2.IPeer[],
  ) {}

  public validate(): string[] {
    if (!this.rules.complete) {
      return [`Security group ${this.group.node.path} was created while aspects ran, after they visited it: the VPC's CIDR blocks could not `
        + 'be added. Expected the endpoint to be created before synthesis, or the feature flag @aws-cdk/core:aspectStabilization to be true.'];
    }
    const allowed: unknown[] = [...this.rules.admitted, ...this.allowedPeers.map(cidrOf).filter(cidr => cidr !== undefined)];
    // The group's rules use these values, so its stack can resolve them, references to other stacks included.
    const allowedResolved = new Set((this.group.stack.resolve(allowed) as unknown[]).map(cidr => JSON.stringify(cidr)));
    return this.cidrRules()
      .filter(rule => !allowed.includes(rule.cidr) && !allowedResolved.has(rule.resolved))
      .map(rule => `Security group ${this.group.node.path} admits ${describe(rule.cidr)} on ${rule.ports}`
        + `${rule.resource ? ` (${rule.resource.node.path})` : ''}, which is neither a CIDR block of VPC ${this.rules.vpcPath} nor in `
        + `${propName('allowedPeers')}: an endpoint's security group admits only the VPC's blocks and the peers the endpoint was given. `
        + `Expected the block in the endpoint's ${propName('allowedPeers')} (with ${propName('allowPublicPeers')}: true for public addresses), `
        + `or security groups of your own (${propName('securityGroups')}) for other rules.`);
  }

  /** Inline rules (`SecurityGroupIngress` of the group), then `AWS::EC2::SecurityGroupIngress` resources for it. */
  private cidrRules(): CidrRule[] {
    const cfn = this.group.node.defaultChild as ec2.CfnSecurityGroup;
    const inline = (Stack.of(cfn).resolve(cfn.securityGroupIngress) ?? []) as ec2.CfnSecurityGroup.IngressProperty[];
    const separate = SynthesisScans.of(this.group, 'validation').cidrIngressRulesOf(this.group);
    return [
      ...inline.flatMap(rule => cidrsOf(rule).map(cidr => ({ cidr, resolved: JSON.stringify(cidr), ports: portsText(rule) }))),
      ...separate.flatMap(resource => {
        // A rule in another stack is resolved there: that stack imports what it refers to.
        const stack = Stack.of(resource);
        const ports = portsText(stack.resolve(portsOf(resource)));
        return cidrsOf(resource).map(cidr => ({ cidr, resolved: JSON.stringify(stack.resolve(cidr)), ports, resource }));
      }),
    ];
  }
}

function cidrsOf(rule: { cidrIp?: string; cidrIpv6?: string }): string[] {
  return [rule.cidrIp, rule.cidrIpv6].filter(cidr => cidr !== undefined);
}

type PortRange = Pick<ec2.CfnSecurityGroup.IngressProperty, 'ipProtocol' | 'fromPort' | 'toPort'>;

function portsOf(rule: PortRange): PortRange {
  return { ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort };
}

/** The CIDR block of a peer, or `undefined` for a security group or a prefix list. */
function cidrOf(peer: ec2.IPeer): string | undefined {
  const config = peer.toIngressRuleConfig();
  return config.cidrIp ?? config.cidrIpv6;
}

function portsText(rule: PortRange): string {
  const protocol = String(rule.ipProtocol);
  if (protocol === '-1') return 'all ports';
  const [from, to] = [rule.fromPort, rule.toPort].map(port => typeof port === 'number' ? `${port}` : JSON.stringify(port));
  return `${protocol.toUpperCase()} ${from === to ? from : `${from}-${to}`}`;
}

function importedVpcWarning(scope: IConstruct, vpc: ec2.IVpc): void {
  Annotations.of(scope).addWarningV2('cdk-privatelink:importedVpcBlocks',
    `VPC ${vpc.node.path} is imported: only its primary IPv4 block is admitted. Add its other blocks with allowedPeers.`);
}

function noIpv6BlockMessage(vpc: ec2.IVpc): string {
  return `No IPv6 CIDR block of VPC ${vpc.node.path} is known for this IPv6 or dualstack endpoint: expected a dualstack `
    + 'VPC of this app (or an AWS::EC2::VPCCidrBlock with an IPv6 block for it in its stack), or security groups of your own (securityGroups).';
}
