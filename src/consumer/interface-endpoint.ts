import { Annotations, Aspects, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { EndpointLimits, validateInterfaceQuota } from './endpoint-limits';
import { EndpointPolicyDefault, defaultWithStatements, startPerimeter } from './endpoint-policy-default';
import { endpointPolicyUnsupported, supportsResourceKeys } from './endpoint-policy-support';
import { GatewayEndpointFirst } from './inbound-resolver-gateway';
import { validateIpAddressTypes } from './ip-address-types';
import { vpcOnlySecurityGroup } from './vpc-only-security-group';
import { checkServiceNameSource } from '../handover/handover-check';
import { ConnectionNotification, ConnectionNotificationOptions, ConnectionNotificationSource } from '../notifications';
import { InterfaceEndpointAlarmsOptions, InterfaceEndpointMetricOptions } from '../observability';
import { refuseSecondCall } from '../observability/alarm-timing';
import { createEndpointAlarms } from '../observability/endpoint-alarms';
import { endpointMetric } from '../observability/endpoint-metrics';
import { readableOutput } from '../readable-output';
import {
  EnumType, describe, enumMemberName, fail, methodName, propName, validateBoolean, validateEndpointPolicyAtSynth,
  validateEndpointIds, validateEndpointPolicyStatement, validateEnumValue, validateList, validatePeer, validateRegion,
} from '../validation';

const IP_ADDRESS_TYPE: EnumType<ec2.VpcEndpointIpAddressType> = { name: 'VpcEndpointIpAddressType', members: { ...ec2.VpcEndpointIpAddressType } };
const DNS_RECORD_IP_TYPE: EnumType<ec2.VpcEndpointDnsRecordIpType> = {
  name: 'VpcEndpointDnsRecordIpType', members: { ...ec2.VpcEndpointDnsRecordIpType },
};

const INBOUND_RESOLVER: EnumType<ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint> = {
  name: 'VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint', members: { ...ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint },
};

/** The AWS services that have both gateway and interface endpoints, by short name. */
const SERVICES_WITH_GATEWAY_ENDPOINTS: readonly string[] = ['s3', 'dynamodb'];

/** `com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 hex>`: a partner or private endpoint service. */
const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Options of an {@link InterfaceEndpoint}, without the VPC and the service. */
export interface InterfaceEndpointOptions {
  /**
   * Where to place the endpoint's network interfaces: one subnet per Availability Zone is used.
   * @default - the VPC's private subnets
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Use only the Availability Zones in which the service is offered (a context lookup, which
   * needs the stack's account and Region).
   * @default false
   */
  readonly lookupSupportedAzs?: boolean;

  /**
   * The TCP ports on which clients in the VPC reach the service.
   * @default - the service's port: 443 for AWS services
   */
  readonly ports?: number[];

  /**
   * Security groups for the endpoint, used as they are (no rule is added but `allowedPeers`).
   * @default - a new security group that admits only the VPC's CIDR blocks on `ports`: every
   * IPv4 block and, for an IPv6 or dualstack endpoint, every IPv6 block
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * More peers to admit on `ports`, such as a peered VPC's CIDR block or another security
   * group. CIDR blocks must be private, shared or unique local unless `allowPublicPeers` is
   * set, and never wider than /8 (IPv4) or /32 (IPv6): `0.0.0.0/0`, `::/0` and `0.0.0.0/1` are
   * always refused; so is a prefix list of this app with an entry that wide. No other
   * CIDR peer may be added to the endpoint's own security group later: synthesis fails.
   * @default - none
   */
  readonly allowedPeers?: ec2.IPeer[];

  /**
   * Admit CIDR peers with public addresses. Without it, each CIDR block in `allowedPeers` must
   * lie wholly inside a private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), shared
   * (100.64.0.0/10) or unique local (fc00::/7) range; with it, any block, such as a peered VPC's
   * Amazon-provided IPv6 block. Either way a block must be /8 or longer (IPv4) or /32 or longer
   * (IPv6), and an IPv6 block that shares addresses with the IPv4-mapped range `::ffff:0:0/96`
   * is refused: give the IPv4 block.
   * @default false
   */
  readonly allowPublicPeers?: boolean;

  /**
   * Whether to associate a private hosted zone with the VPC, so the service's own DNS name
   * resolves to the endpoint.
   * @default - the service's choice: true for AWS services; for a partner or private service,
   * aws-cdk-lib's `InterfaceVpcEndpointService` default (false), as not every endpoint service
   * has a verified private DNS name
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * Statements of the endpoint policy, added to those of `defaultPolicy`; each must have a
   * Principal. More can be added with `addToPolicy()`. The rendered policy may have at most
   * 20,480 characters. Endpoints to endpoint services (not AWS services), and to the AWS services
   * that do not support endpoint policies, take none: a statement is a synth-time error there.
   * @default - none
   */
  readonly policyStatements?: iam.PolicyStatement[];

  /**
   * The statements the endpoint policy starts with, such as a data perimeter:
   * `EndpointPolicyDefault.sameOrganization('o-a1b2c3d4e5')` allows only principals of the
   * organization to reach resources of the organization (and AWS service principals).
   * @default EndpointPolicyDefault.awsDefault() - no statements: without `policyStatements` the
   * endpoint has no policy, which AWS treats as full access to the service
   */
  readonly defaultPolicy?: EndpointPolicyDefault;

  /**
   * The IP addresses of the endpoint's network interfaces. IPv4 needs subnets with IPv4
   * ranges, IPv6 needs IPv6-only subnets, dualstack needs subnets with both.
   * @default - IPv4 (AWS's default)
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * The DNS records created for the endpoint. IPv4 needs IPv4 or dualstack endpoints, IPv6
   * needs IPv6 or dualstack, dualstack and service-defined need dualstack.
   * @default - AWS's default for the IP address type
   */
  readonly dnsRecordIpType?: ec2.VpcEndpointDnsRecordIpType;

  /**
   * Which DNS resolvers answer the service's private DNS name with the endpoint's addresses, for
   * a service that has both gateway and interface endpoints (S3 and DynamoDB).
   * `ONLY_INBOUND_RESOLVER` keeps traffic from the VPC on the VPC's gateway endpoint and sends
   * only what arrives through a Route 53 Resolver inbound endpoint (from on premises or peered
   * networks) to this interface endpoint; the VPC needs a gateway endpoint to the service: one
   * in the same stack is deployed first, and without one in the app a warning is added.
   * `ALL_RESOLVERS` sends all traffic to this endpoint. Needs private DNS
   * (`privateDnsEnabled` not false); refused for other services.
   * @default - not set: AWS's default for the service
   */
  readonly privateDnsOnlyForInboundResolverEndpoint?: ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint;

  /**
   * The Region of the service, for a cross-Region endpoint service: an AWS Region of the
   * stack's partition.
   * @default - the stack's Region
   */
  readonly serviceRegion?: string;

  /**
   * The number of interface and Gateway Load Balancer endpoints this VPC may have, after AWS
   * raised the quota; a whole number. It can raise the bound, never lower it. Context
   * `cdk-privatelink:interfaceEndpointsPerVpc` raises it for every VPC.
   * @default - the context value, or 50
   */
  readonly interfaceEndpointsQuota?: number;

  /**
   * Stack outputs with the endpoint's ID and DNS entries, named after the construct's path below
   * the stack (`<path>VpcEndpointId` and `<path>DnsEntries`, such as `PartnerEndpointVpcEndpointId`
   * for a construct `PartnerEndpoint`): the ID is what the consumer hands over to the service's
   * provider for the approval.
   * @default false
   */
  readonly createOutputs?: boolean;
}

/** Properties of an {@link InterfaceEndpoint}. */
export interface InterfaceEndpointProps extends InterfaceEndpointOptions {
  /** The VPC of the endpoint. */
  readonly vpc: ec2.IVpc;

  /**
   * The service: an AWS service (`ec2.InterfaceVpcEndpointAwsService`) or a partner or
   * private service by name, `new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.<region>.vpce-svc-...', port)`.
   */
  readonly service: ec2.IInterfaceVpcEndpointService;
}

/** An existing interface endpoint, for {@link InterfaceEndpoint.fromInterfaceEndpointAttributes}. */
export interface InterfaceEndpointAttributes {
  /** The ID of the endpoint: `vpce-` and 8 or 17 lowercase hexadecimal characters, or a token. */
  readonly vpcEndpointId: string;

  /** The TCP port of the service: `connections` allows traffic to it. A whole number from 1 to 65535. */
  readonly port: number;

  /**
   * The endpoint's security groups. Without them `connections` has no security group, and
   * `connections.allowFrom()` changes nothing.
   * @default - none
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * An interface VPC endpoint that only the VPC can reach: by default its security group admits
 * the VPC's own CIDR blocks on the service ports, and nothing else.
 */
export class InterfaceEndpoint extends Resource implements ec2.IInterfaceVpcEndpoint {
  /**
   * An existing interface endpoint, by ID, port and security groups (aws-cdk-lib's
   * `InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes()`, with the ID, the port and the
   * groups checked).
   */
  public static fromInterfaceEndpointAttributes(scope: Construct, id: string, attrs: InterfaceEndpointAttributes): ec2.IInterfaceVpcEndpoint {
    const given: Partial<InterfaceEndpointAttributes> = attrs ?? {};
    // aws-cdk-lib checks nothing; the values are checked on the imported construct, so errors name its path.
    const imported = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(scope, id, {
      vpcEndpointId: given.vpcEndpointId as string,
      port: typeof given.port === 'number' ? given.port : 443,
      securityGroups: Array.isArray(given.securityGroups) ? given.securityGroups : undefined,
    });
    if (given.vpcEndpointId === undefined) fail(imported, `${propName('vpcEndpointId')} is missing: expected a VPC endpoint ID like 'vpce-0123456789abcdef0'.`);
    validateEndpointIds(imported, [given.vpcEndpointId]);
    checkPort(imported, given.port, 'port');
    validateList(imported, 'securityGroups', given.securityGroups, 'security groups');
    if (given.securityGroups !== undefined) checkGivenSecurityGroups(imported, given.securityGroups, true);
    return imported;
  }

  /** The ID of the endpoint, like `vpce-0123456789abcdef0`. */
  public readonly vpcEndpointId: string;
  /** The DNS entries of the endpoint (`hosted-zone-id:dns-name`). */
  public readonly vpcEndpointDnsEntries: string[];
  /** The IDs of the endpoint's network interfaces. */
  public readonly vpcEndpointNetworkInterfaceIds: string[];
  public readonly connections: ec2.Connections;
  /** The service the endpoint connects to. */
  public readonly service: ec2.IInterfaceVpcEndpointService;
  /** The security group created for the endpoint, unless `securityGroups` was given. */
  public readonly securityGroup?: ec2.ISecurityGroup;

  private readonly endpoint: ec2.InterfaceVpcEndpoint;
  private readonly policy = new iam.PolicyDocument();
  private readonly vpcId: string;
  private readonly serviceRegion?: string;
  private readonly alarmList: cloudwatch.Alarm[] = [];
  private addedToPerimeter?: iam.PolicyStatement[];

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    this.service = props.service;
    this.vpcId = props.vpc.vpcId;
    this.serviceRegion = props.serviceRegion;
    const ports = this.ports(props);
    this.checkServiceName(props.serviceRegion);
    checkServiceNameSource(this, props.service.name);
    if (props.serviceRegion !== undefined && props.serviceRegion !== null) validateRegion(this, props.serviceRegion, propName('serviceRegion'));
    if (props.ipAddressType !== undefined) validateEnumValue(this, 'ipAddressType', props.ipAddressType, IP_ADDRESS_TYPE);
    if (props.dnsRecordIpType !== undefined) validateEnumValue(this, 'dnsRecordIpType', props.dnsRecordIpType, DNS_RECORD_IP_TYPE);
    validateBoolean(this, 'privateDnsEnabled', props.privateDnsEnabled);
    validateBoolean(this, 'lookupSupportedAzs', props.lookupSupportedAzs);
    const inboundOnly = this.inboundResolverOption(props);
    if (props.ipAddressType !== undefined || props.dnsRecordIpType !== undefined) {
      const subnets = props.vpc.selectSubnets({ ...props.subnets, onePerAz: true }).subnets;
      validateIpAddressTypes(this, subnets, props.ipAddressType, props.dnsRecordIpType);
    }

    this.checkSecurityGroups(props.securityGroups);
    if (!props.securityGroups) {
      this.securityGroup = vpcOnlySecurityGroup(this, 'SecurityGroup', props.vpc, ports, props.ipAddressType, props.allowedPeers);
    }
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Resource', {
      vpc: props.vpc,
      service: props.service,
      subnets: props.subnets,
      lookupSupportedAzs: props.lookupSupportedAzs,
      securityGroups: props.securityGroups ?? [this.securityGroup!],
      open: false,
      privateDnsEnabled: props.privateDnsEnabled,
      ipAddressType: props.ipAddressType,
      dnsRecordIpType: props.dnsRecordIpType,
      privateDnsOnlyForInboundResolverEndpoint: inboundOnly,
      serviceRegion: props.serviceRegion,
    });
    const onlyInbound = inboundOnly === ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ONLY_INBOUND_RESOLVER;
    if (onlyInbound && props.service instanceof ec2.InterfaceVpcEndpointAwsService) {
      Aspects.of(this).add(new GatewayEndpointFirst(this, props.service.shortName));
    }
    const cfn = this.endpoint.node.defaultChild as ec2.CfnVPCEndpoint;
    cfn.policyDocument = Token.asAny({ resolve: () => this.policy.isEmpty ? undefined : this.policy.toJSON() });
    validateEndpointPolicyAtSynth(this, this.policy, 'interface');

    this.vpcEndpointId = this.endpoint.vpcEndpointId;
    this.vpcEndpointDnsEntries = this.endpoint.vpcEndpointDnsEntries;
    this.vpcEndpointNetworkInterfaceIds = this.endpoint.vpcEndpointNetworkInterfaceIds;
    this.connections = this.endpoint.connections;
    if (validateBoolean(this, 'createOutputs', props.createOutputs)) {
      readableOutput(this, 'VpcEndpointId', this.vpcEndpointId, `Endpoint ID of ${this.node.path}: hand it to the service's provider for the approval`);
      readableOutput(this, 'DnsEntries', Fn.join(',', this.vpcEndpointDnsEntries), `DNS entries of ${this.node.path}, hosted zone ID:DNS name`);
    }
    const allowPublicPeers = validateBoolean(this, 'allowPublicPeers', props.allowPublicPeers) ?? false;
    validateList(this, 'allowedPeers', props.allowedPeers, 'peers such as ec2.Peer.ipv4(\'10.20.0.0/16\')');
    validateList(this, 'policyStatements', props.policyStatements, 'iam.PolicyStatement values');
    for (const peer of props.allowedPeers ?? []) {
      if (typeof (peer as Partial<ec2.IPeer> | null)?.toIngressRuleConfig !== 'function') {
        fail(this, `${propName('allowedPeers')} has ${describe(peer)}: expected a peer such as ec2.Peer.ipv4('10.20.0.0/16') or a security group.`);
      }
      validatePeer(this, peer, allowPublicPeers);
      for (const port of ports) this.connections.allowFrom(peer, ec2.Port.tcp(port), `TCP ${port} from ${peer.uniqueId}`);
    }
    this.addDefaultPolicy(props.defaultPolicy);
    props.policyStatements?.forEach(statement => this.addToPolicy(statement));

    const limits = EndpointLimits.of(this);
    if (props.interfaceEndpointsQuota !== undefined) {
      validateInterfaceQuota(this, props.interfaceEndpointsQuota);
      limits.raiseInterfaceQuota(props.vpc, props.interfaceEndpointsQuota);
    }
  }

  /**
   * A metric of `AWS/PrivateLinkEndpoints` for this endpoint (dimensions `Endpoint Type`
   * `Interface`, `Service Name`, `VPC Endpoint Id` and `VPC Id`), by name: `ActiveConnections`,
   * `BytesProcessed`, `NewConnections`, `PacketsDropped` or `RstPacketsReceived`, optionally for
   * one subnet (`Subnet Id`). Any other name, or a `dimensionsMap`, is refused. The statistic is
   * the one the AWS PrivateLink guide calls most useful, the period 5 minutes, unless `props` say
   * otherwise.
   */
  public metric(metricName: string, props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return endpointMetric(this, { serviceName: this.service.name, vpcEndpointId: this.vpcEndpointId, vpcId: this.vpcId }, metricName, props);
  }

  /** Concurrent active connections (SYN_SENT and ESTABLISHED): Average over 5 minutes by default. */
  public metricActiveConnections(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return this.metric('ActiveConnections', props);
  }

  /** Bytes exchanged with the service, in both directions (what the endpoint's owner is billed for): Sum over 5 minutes by default. */
  public metricBytesProcessed(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return this.metric('BytesProcessed', props);
  }

  /** New connections established through the endpoint: Sum over 5 minutes by default. */
  public metricNewConnections(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return this.metric('NewConnections', props);
  }

  /** Packets the endpoint dropped: Sum over 5 minutes by default. */
  public metricPacketsDropped(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return this.metric('PacketsDropped', props);
  }

  /** RST packets the endpoint received from the service: Sum over 5 minutes by default. */
  public metricRstPacketsReceived(props?: InterfaceEndpointMetricOptions): cloudwatch.Metric {
    return this.metric('RstPacketsReceived', props);
  }

  /**
   * Adds the recommended alarms, each notifying `topic`: PacketsDropped and RstPacketsReceived
   * (Sum) above 0 in `evaluationPeriods` periods in a row, missing data not breaching. Returns the
   * alarms, which `alarms` lists too. Call it once per endpoint: a second call is refused. AWS
   * publishes no metrics for a cross-Region endpoint (`serviceRegion`), so there it warns.
   */
  public addAlarms(options: InterfaceEndpointAlarmsOptions): cloudwatch.Alarm[] {
    refuseSecondCall(this, this.alarmList);
    const alarms = createEndpointAlarms(this, options);
    if (this.serviceRegion !== undefined && this.serviceRegion !== this.stack.region) {
      Annotations.of(this).addWarningV2('cdk-privatelink:crossRegionEndpointMetrics',
        `AWS PrivateLink publishes no CloudWatch metrics for endpoints that use cross-Region access (service Region '${this.serviceRegion}'), `
        + 'so the alarms of this endpoint will never see data: monitor the service in its own Region instead.');
    }
    this.alarmList.push(...alarms);
    return alarms;
  }

  /** Every alarm added with `addAlarms()`, for example for a dashboard. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.alarmList];
  }

  /** A reference to this endpoint. */
  public get vpcEndpointRef(): ec2.VPCEndpointReference {
    return { vpcEndpointId: this.vpcEndpointId };
  }

  /**
   * Adds a statement to the endpoint policy; it must have a Principal. Only for an endpoint to
   * an AWS service that supports endpoint policies.
   */
  public addToPolicy(statement: iam.PolicyStatement): void {
    const unsupported = endpointPolicyUnsupported(this.service);
    if (unsupported) {
      fail(this, `Endpoint policy statement ${describe(statement.toStatementJson())} cannot be added: `
        + `${unsupported} (AWS allows full access through the endpoint). Expected no ${propName('policyStatements')} here; `
        + 'control access in the service or its resource policies instead.');
    }
    validateEndpointPolicyStatement(this, statement, 'interface');
    this.addedToPerimeter?.push(statement);
    this.policy.addStatements(statement);
  }

  /** Sends notifications about connection events of this endpoint (Accept, Reject, Delete) to an SNS topic. */
  public addConnectionNotification(id: string, options: ConnectionNotificationOptions = {}): ConnectionNotification {
    return new ConnectionNotification(this, id, { ...options, source: ConnectionNotificationSource.fromVpcEndpoint(this) });
  }

  /**
   * Resource policy statements for a private API Gateway REST API that make it reachable only
   * through this endpoint (`aws:SourceVpce`): add them to the API's `policy`. Only for an
   * endpoint to `execute-api`.
   */
  public privateApiPolicyStatements(): iam.PolicyStatement[] {
    const name = Stack.of(this).resolve(this.service.name);
    if (!JSON.stringify(name).includes('execute-api')) {
      fail(this, `${methodName('privateApiPolicyStatements')} is for an endpoint to execute-api, not to ${JSON.stringify(name)}: `
        + 'expected service InterfaceVpcEndpointAwsService.APIGATEWAY.');
    }
    const invoke = { principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
    return [
      new iam.PolicyStatement({ ...invoke, sid: 'DenyUnlessThroughTheEndpoint', effect: iam.Effect.DENY, conditions: { StringNotEquals: { 'aws:SourceVpce': this.vpcEndpointId } } }),
      new iam.PolicyStatement({ ...invoke, sid: 'AllowThroughTheEndpoint', conditions: { StringEquals: { 'aws:SourceVpce': this.vpcEndpointId } } }),
    ];
  }

  private addDefaultPolicy(value: EndpointPolicyDefault | undefined): void {
    const defaultPolicy = defaultWithStatements(this, value);
    if (!defaultPolicy) return;
    const unsupported = endpointPolicyUnsupported(this.service);
    if (unsupported) {
      fail(this, `${propName('defaultPolicy')} ${defaultPolicy.description} cannot apply: ${unsupported}, and AWS allows full access `
        + `through the endpoint. Expected ${methodName('awsDefault', 'EndpointPolicyDefault')} for this endpoint `
        + '(in AwsServiceEndpoints, give this service its own construct).');
    }
    if (defaultPolicy.restrictsResources && !supportsResourceKeys(this.service)) {
      fail(this, `${propName('defaultPolicy')} ${defaultPolicy.description} checks the resource's account, but the actions of `
        + `'${(this.service as ec2.InterfaceVpcEndpointAwsService).shortName}' do not support aws:ResourceOrgID or aws:ResourceAccount, so every request would be denied. `
        + `Expected ${methodName('dataPerimeter', 'EndpointPolicyDefault')} with ${propName('restrictResources')}: false for this endpoint.`);
    }
    this.addedToPerimeter = startPerimeter(this, defaultPolicy, statement => this.addToPolicy(statement));
  }

  /**
   * Checks `privateDnsOnlyForInboundResolverEndpoint`: only for S3 and DynamoDB (the services with
   * gateway endpoints too), and only with private DNS.
   */
  private inboundResolverOption(props: InterfaceEndpointProps): ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint | undefined {
    if (props.privateDnsOnlyForInboundResolverEndpoint === undefined) return undefined;
    const option = validateEnumValue(this, 'privateDnsOnlyForInboundResolverEndpoint', props.privateDnsOnlyForInboundResolverEndpoint, INBOUND_RESOLVER);
    const prop = propName('privateDnsOnlyForInboundResolverEndpoint');
    const service = props.service;
    const expected = `expected an interface endpoint to ${enumMemberName('InterfaceVpcEndpointAwsService', 'S3')} or `
      + `${enumMemberName('InterfaceVpcEndpointAwsService', 'DYNAMODB')}, or no ${prop}.`;
    if (service instanceof ec2.InterfaceVpcEndpointAwsService) {
      if (!SERVICES_WITH_GATEWAY_ENDPOINTS.includes(service.shortName)) {
        fail(this, `${prop} is only for services with both gateway and interface endpoints, not for '${service.shortName}': ${expected}`);
      }
    } else if (!Token.isUnresolved(service.name)) {
      fail(this, `${prop} is only for AWS services with both gateway and interface endpoints, not for '${service.name}': ${expected}`);
    }
    const privateDns = props.privateDnsEnabled ?? service.privateDnsDefault ?? true;
    if (privateDns === false) {
      fail(this, `${prop} '${option}' needs private DNS, but ${propName('privateDnsEnabled')} is false: expected ${propName('privateDnsEnabled')} `
        + `true (or not set), or no ${prop}.`);
    }
    return option;
  }

  /** Given security groups are used as they are; an empty list or a group without ID would leave the VPC's default group. */
  private checkSecurityGroups(groups: ec2.ISecurityGroup[] | undefined): void {
    validateList(this, 'securityGroups', groups, 'security groups');
    if (groups !== undefined) checkGivenSecurityGroups(this, groups);
  }

  private ports(props: InterfaceEndpointProps): number[] {
    const ports = [...new Set(props.ports ?? [props.service.port])];
    if (ports.length === 0) fail(this, `${propName('ports')} is empty: expected at least one TCP port, such as 443.`);
    for (const port of ports) checkPort(this, port, 'ports');
    return ports;
  }

  private checkServiceName(serviceRegion: string | undefined): void {
    if (this.service instanceof ec2.InterfaceVpcEndpointAwsService || Token.isUnresolved(this.service.name)) return;
    const match = SERVICE_NAME.exec(this.service.name);
    if (!match) {
      fail(this, `Invalid service name '${this.service.name}': expected an InterfaceVpcEndpointAwsService, or a partner or `
        + "private service name 'com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 lowercase hex>'.");
    }
    const region = serviceRegion ?? this.stack.region;
    if (!Token.isUnresolved(region) && match[1] !== region) {
      fail(this, `Service '${this.service.name}' is in ${match[1]}, not in ${region}: expected ${propName('serviceRegion')}: '${match[1]}' `
        + 'for a cross-Region endpoint service.');
    }
  }
}

/** Fails unless `port` is a whole number from 1 to 65535 (or a number token). */
function checkPort(scope: IConstruct, port: unknown, prop: string): void {
  if (typeof port === 'number' && Token.isUnresolved(port)) return;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    fail(scope, `Invalid port ${describe(port)} in ${propName(prop)}: expected a whole number from 1 to 65535.`);
  }
}

/** Fails on an empty list of security groups, or on a value that is not a security group. */
function checkGivenSecurityGroups(scope: IConstruct, groups: readonly ec2.ISecurityGroup[], imported = false): void {
  if (groups.length === 0 && imported) {
    fail(scope, `${propName('securityGroups')} is empty: expected the endpoint's security groups, or no ${propName('securityGroups')}.`);
  }
  if (groups.length === 0) {
    fail(scope, `${propName('securityGroups')} is empty: expected at least one security group, or no ${propName('securityGroups')} `
      + 'for one that admits only the VPC (an endpoint without groups gets the VPC\'s default security group).');
  }
  const bad = groups.find(group => typeof (group as Partial<ec2.ISecurityGroup> | null)?.securityGroupId !== 'string');
  if (bad !== undefined) fail(scope, `${propName('securityGroups')} has ${describe(bad)}: expected security groups, such as ec2.SecurityGroup.fromSecurityGroupId().`);
}
