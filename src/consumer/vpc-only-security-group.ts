import { Annotations, AspectPriority, Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct, IValidation } from 'constructs';
import { renderedProperties } from './rendered-resource';
import { RenderedRule, RuleType, SynthesisScans } from './synthesis-scans';
import { definesVpc, primaryCidrBlock, vpcCidrBlocks } from './vpc-cidr-blocks';
import {
  acknowledgeRule, acknowledgeRuleInPacks, describe, fail, HIPAA_SECURITY, NIST_800_53_R5, PCI_DSS_321, propName, WIDEST_PEER_PREFIX,
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
 * When the tree is validated, the group's rules are read as the templates will have them (overrides
 * included): every CIDR peer of its ingress rules, inline or separate `AWS::EC2::SecurityGroupIngress`
 * resources anywhere in the stage, must be one of the VPC's blocks admitted here or in `allowedPeers`
 * (which the caller checks and adds): a rule such as `connections.allowFrom(ec2.Peer.anyIpv4(), ...)` is
 * refused, so the compliance packs' rules on open ports acknowledged here stay true. So is any egress
 * rule, and a prefix list of the app with an entry wider than /8 or /32. Security groups, and prefix
 * lists not in the app, are peers as they are.
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
  if (!definesVpc(vpc)) {
    checkImportedPrimaryBlock(scope, vpc, primary);
    importedVpcWarning(scope, vpc);
    if (ipv6) fail(scope, noIpv6BlockMessage(vpc));
    rules.complete = true;
  }
  rules.admit([ec2.Peer.ipv4(primary)]);
  // Also for an imported VPC: the aspect marks each synthesis, so that no scan of the last one is used again.
  Aspects.of(group).add(rules, { priority: AspectPriority.MUTATING });
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
  /** The VPC's other blocks whose values were admitted as their L1 properties had them. */
  public readonly sources: ec2.CfnVPCCidrBlock[] = [];

  constructor(
    private readonly scope: IConstruct, private readonly group: ec2.SecurityGroup, private readonly vpc: ec2.IVpc,
    private readonly ports: number[], private readonly ipv6: boolean,
  ) {}

  public get vpcPath(): string {
    return this.vpc.node.path;
  }

  /** The VPC's primary block as its template has it, for a VPC of the app made with a literal block: the same block as `vpcCidrBlock`. */
  public get literalPrimaryBlock(): string | undefined {
    if (!definesVpc(this.vpc)) return undefined;
    const block = renderedProperties(this.vpc.node.defaultChild as ec2.CfnVPC).CidrBlock;
    return typeof block === 'string' ? block : undefined;
  }

  /** The blocks admitted from an `AWS::EC2::VPCCidrBlock` whose template has another block or VPC than its L1 properties (an override). */
  public changedSources(): string[] {
    return this.sources.flatMap(block => {
      const stack = Stack.of(block);
      const rendered = renderedProperties(block);
      const changed: string[] = (['CidrBlock', 'Ipv6CidrBlock'] as const).filter(key => {
        const given = key === 'CidrBlock' ? block.cidrBlock : block.ipv6CidrBlock;
        return given !== undefined && JSON.stringify(rendered[key]) !== JSON.stringify(stack.resolve(given));
      });
      if (JSON.stringify(rendered.VpcId) !== JSON.stringify(stack.resolve(this.vpc.vpcId))) changed.push('VpcId');
      return changed.map(key => `${block.node.path} has ${key} ${describe(rendered[key])} in its template, but `
        + `${describe(key === 'VpcId' ? block.vpcId : key === 'CidrBlock' ? block.cidrBlock : block.ipv6CidrBlock)} as given, which the endpoint `
        + `security group ${this.group.node.path} admits as a block of VPC ${this.vpc.node.path}: expected the block's properties without overrides.`);
    });
  }

  public visit(node: IConstruct): void {
    if (node !== this.group) return;
    // A new synthesis: the rules of the last one's validation are read again.
    SynthesisScans.of(this.group, 'aspects');
    if (this.complete) return;
    this.complete = true;
    const blocks = vpcCidrBlocks(this.scope, this.vpc);
    if (this.ipv6 && blocks.ipv6.length === 0) fail(this.scope, noIpv6BlockMessage(this.vpc));
    this.admit([
      ...blocks.ipv4.filter(block => !this.admitted.includes(block)).map(block => ec2.Peer.ipv4(block)),
      ...(this.ipv6 ? blocks.ipv6.map(block => ec2.Peer.ipv6(block)) : []),
    ]);
    this.group.node.addDependency(...blocks.dependencies);
    this.sources.push(...blocks.dependencies.filter((block): block is ec2.CfnVPCCidrBlock => block instanceof ec2.CfnVPCCidrBlock));
  }

  public admit(peers: ec2.IPeer[]): void {
    for (const peer of peers) {
      this.admitted.push(cidrOf(peer)!);
      for (const port of this.ports) this.group.addIngressRule(peer, ec2.Port.tcp(port), `TCP ${port} from the VPC`);
    }
  }
}

/** A rule of the group as its template will have it: inline (no resource), or a resource of its own. */
interface GroupRule extends Omit<RenderedRule, 'resource'> {
  readonly resource?: IConstruct;
  /** The properties as given, when they render as they are (to name tokens as the author wrote them). */
  readonly given?: Record<string, unknown>;
}

/**
 * The placeholder egress rule of aws-cdk-lib's `allowAllOutbound: false`, which matches no traffic: inline, or (with the feature
 * flag `@aws-cdk/aws-ec2.securityGroupDisableInlineRules`) an `AWS::EC2::SecurityGroupEgress` of the group.
 */
const NO_TRAFFIC = canonical({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 });

/**
 * Refuses CIDR peers of the group other than the VPC's blocks and `allowedPeers`, prefix lists of the app with
 * entries wider than /8 (IPv4) or /32 (IPv6), and any outbound rule. It reads the rules as the templates will
 * have them, overrides included.
 */
class OnlyAdmittedCidrPeers implements IValidation {
  /** The allowed blocks as each stack's template has them, for one validation. */
  private readonly allowedByStack = new Map<Stack, Set<string>>();

  constructor(
    private readonly group: ec2.SecurityGroup, private readonly rules: VpcBlockRules, private readonly allowedPeers: readonly ec2.IPeer[],
  ) {}

  public validate(): string[] {
    if (!this.rules.complete) {
      return [`Security group ${this.group.node.path} was created while aspects ran, after they visited it: the VPC's CIDR blocks could not `
        + 'be added. Expected the endpoint to be created before synthesis, or the feature flag @aws-cdk/core:aspectStabilization to be true.'];
    }
    this.allowedByStack.clear();
    const scans = SynthesisScans.of(this.group, 'validation');
    const cfn = this.group.node.defaultChild as ec2.CfnSecurityGroup;
    const own = renderedProperties(cfn);
    const inline = (key: string): GroupRule[] | string => {
      const list = own[key] ?? [];
      if (!Array.isArray(list)) return `Security group ${this.group.node.path} has ${key} ${describe(list)}, which is not a list of rules: expected a list.`;
      return list.map(rule => ({ properties: rule as Record<string, unknown>, stack: this.group.stack }));
    };
    const separateRules = scans.rulesOf(this.group);
    const separate = (type: RuleType): GroupRule[] => separateRules[type].map(rule => ({ ...rule, given: givenCidrs(rule.resource) }));
    const problems: string[] = this.rules.changedSources();
    const ingress = inline('SecurityGroupIngress');
    const egress = inline('SecurityGroupEgress');
    for (const rules of [ingress, egress]) if (typeof rules === 'string') problems.push(rules);
    for (const rule of [...(typeof ingress === 'string' ? [] : ingress), ...separate('AWS::EC2::SecurityGroupIngress')]) {
      problems.push(...this.ingressProblems(rule, scans));
    }
    const egressRules = [...(typeof egress === 'string' ? [] : egress), ...separate('AWS::EC2::SecurityGroupEgress')];
    if (typeof egress !== 'string' && egressRules.length === 0) {
      problems.push(`Security group ${this.group.node.path} has no outbound rule in its template, so AWS gives it one that allows all outbound `
        + 'traffic: an endpoint\'s security group allows none. Expected aws-cdk-lib\'s rule \'Disallow all traffic\' (of allowAllOutbound: false) '
        + 'left in SecurityGroupEgress, with no override that removes it.');
    }
    for (const rule of egressRules) {
      const { GroupId: _groupId, ...rest } = rule.properties ?? {};
      if (canonical(rule.resource ? rest : rule.properties) === NO_TRAFFIC) continue;
      const peer = ['CidrIp', 'CidrIpv6', 'DestinationSecurityGroupId', 'DestinationPrefixListId'].map(key => rule.properties?.[key]).find(value => value !== undefined);
      problems.push(`Security group ${this.group.node.path} allows outbound traffic to ${describe(peer)} on ${portsText(rule.properties)}${where(rule)}: `
        + 'an endpoint\'s security group allows no outbound traffic (endpoints answer requests, they make none). '
        + `Expected no egress rule on it, or security groups of your own (${propName('securityGroups')}).`);
    }
    return problems;
  }

  private ingressProblems(rule: GroupRule, scans: SynthesisScans): string[] {
    const properties = rule.properties;
    // An inline rule may be anything an override put there: one that is not a plain object (an Fn::If, say) cannot be judged.
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties) || Object.keys(properties).some(key => key.startsWith('Fn::'))) {
      return [`Security group ${this.group.node.path} has the ingress rule ${describe(rule.properties)}${where(rule)}, which cannot be read at synthesis: `
        + 'expected a rule with its peer and ports as values.'];
    }
    const problems: string[] = [];
    for (const key of ['CidrIp', 'CidrIpv6']) {
      const cidr = properties[key];
      if (cidr === undefined || this.isAllowed(rule.stack, cidr)) continue;
      const given = rule.given?.[key];
      const shown = typeof cidr !== 'string' && given !== undefined && JSON.stringify(rule.stack.resolve(given)) === JSON.stringify(cidr) ? given : cidr;
      problems.push(`Security group ${this.group.node.path} admits ${describe(shown)} on ${portsText(properties)}${where(rule)}, which is neither a CIDR `
        + `block of VPC ${this.rules.vpcPath} nor in ${propName('allowedPeers')}: an endpoint's security group admits only the VPC's blocks and the peers the `
        + `endpoint was given. Expected the block in the endpoint's ${propName('allowedPeers')} (with ${propName('allowPublicPeers')}: true for public `
        + `addresses), or security groups of your own (${propName('securityGroups')}) for other rules.`);
    }
    const lists = properties.SourcePrefixListId === undefined ? [] : scans.prefixListsOf(rule.stack, properties.SourcePrefixListId);
    for (const list of lists) {
      const entries = renderedProperties(list).Entries;
      for (const cidr of Array.isArray(entries) ? entries.map(entry => (entry as { Cidr?: unknown } | null)?.Cidr) : [entries]) {
        // The VPC's own blocks and allowedPeers may be entries, as references too.
        if (this.isAllowed(Stack.of(list), cidr)) continue;
        const prefix = typeof cidr === 'string' ? /\/(\d+)$/.exec(cidr)?.[1] : undefined;
        const widest = typeof cidr === 'string' && cidr.includes(':') ? WIDEST_PEER_PREFIX.ipv6 : WIDEST_PEER_PREFIX.ipv4;
        if (prefix !== undefined && Number(prefix) >= widest) continue;
        problems.push(`Security group ${this.group.node.path} admits the prefix list ${list.node.path} on ${portsText(properties)}${where(rule)}, whose entry `
          + `${describe(cidr)} is ${prefix === undefined ? 'not known at synthesis' : `wider than /${widest}`}: an endpoint's security group admits no `
          + `block wider than /${WIDEST_PEER_PREFIX.ipv4} (IPv4) or /${WIDEST_PEER_PREFIX.ipv6} (IPv6). Expected narrower entries, or security groups of your own `
          + `(${propName('securityGroups')}) for other rules.`);
      }
    }
    return problems;
  }

  /**
   * Whether `cidr` (rendered in `stack`) is one of the VPC's blocks or of `allowedPeers`, or the VPC's primary block as the
   * literal it was made with, which rules of the app may use for `vpcCidrBlock` (read only then: it renders the VPC).
   */
  private isAllowed(stack: Stack, cidr: unknown): boolean {
    return this.allowedIn(stack).has(JSON.stringify(cidr)) || (typeof cidr === 'string' && cidr === this.rules.literalPrimaryBlock);
  }

  /** The VPC's blocks and the CIDR blocks of `allowedPeers` as a template of `stack` has them, as JSON. */
  private allowedIn(stack: Stack): Set<string> {
    let resolved = this.allowedByStack.get(stack);
    if (!resolved) {
      const allowed: unknown[] = [...this.rules.admitted, ...this.allowedPeers.map(cidrOf).filter(cidr => cidr !== undefined)];
      // The group's rules use these values, so its stack can resolve them, references to other stacks included.
      resolved = new Set((stack.resolve(allowed) as unknown[]).map(cidr => JSON.stringify(cidr)));
      this.allowedByStack.set(stack, resolved);
    }
    return resolved;
  }
}

/** The CIDR blocks of an L1 ingress rule as given, to name tokens in messages as the author wrote them. */
function givenCidrs(resource: IConstruct): Record<string, unknown> | undefined {
  return resource instanceof ec2.CfnSecurityGroupIngress ? { CidrIp: resource.cidrIp, CidrIpv6: resource.cidrIpv6 } : undefined;
}

/** JSON of `value` with the keys of its objects sorted, to compare rules whatever the order of their properties. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item && typeof item === 'object' && !Array.isArray(item)
    ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
    : item));
}

function where(rule: GroupRule): string {
  return rule.resource ? ` (${rule.resource.node.path})` : '';
}

/** The CIDR block of a peer, or `undefined` for a security group or a prefix list. */
function cidrOf(peer: ec2.IPeer): string | undefined {
  const config = peer.toIngressRuleConfig();
  return config.cidrIp ?? config.cidrIpv6;
}

/** An imported VPC's primary block, if literal, must be one AWS can give a VPC: IPv4, /16 to /28 (CDK's lookup placeholder aside). */
function checkImportedPrimaryBlock(scope: IConstruct, vpc: ec2.IVpc, primary: string): void {
  if (Token.isUnresolved(primary) || primary === LOOKUP_PLACEHOLDER_BLOCK) return;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(primary);
  const prefix = Number(match?.[5]);
  if (match && match.slice(1, 5).every(part => Number(part) <= 255) && prefix >= 16 && prefix <= 28) return;
  fail(scope, `VPC ${vpc.node.path} has the CIDR block ${describe(primary)}, which cannot be a VPC's block: expected an IPv4 block of prefix /16 to /28, `
    + 'as AWS gives VPCs (vpcCidrBlock of Vpc.fromVpcAttributes), or security groups of your own (securityGroups).');
}

/** The block of the VPC that `Vpc.fromLookup` returns before its context is known. */
const LOOKUP_PLACEHOLDER_BLOCK = '1.2.3.4/5';

/** The ports of a rule as rendered (`IpProtocol`, `FromPort`, `ToPort`). */
function portsText(rule: Record<string, unknown>): string {
  const protocol = String(rule.IpProtocol);
  if (protocol === '-1') return 'all ports';
  const [from, to] = [rule.FromPort, rule.ToPort].map(port => typeof port === 'number' ? `${port}` : JSON.stringify(port));
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
