import { Annotations, Lazy, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { AllowedPrincipal, AllowedPrincipalType } from './allowed-principal';
import { ImportedEndpointService } from './imported-endpoint-service';
import { PayerResponsibility } from './payer-responsibility';
import { EndpointServicePrivateDnsName, PrivateDnsVerificationOptions } from './private-dns-name';
import { ConnectionApproval, ConnectionApprovalOptions } from '../approval';
import { ec2Arn } from '../ec2-arn';
import { ConnectionNotification, ConnectionNotificationOptions, ConnectionNotificationSource } from '../notifications';
import { EndpointServiceAlarmsOptions, EndpointServiceMetricOptions } from '../observability';
import { refuseSecondCall } from '../observability/alarm-timing';
import { createServiceAlarms } from '../observability/service-alarms';
import { serviceMetric } from '../observability/service-metrics';
import { readableOutput } from '../readable-output';
import {
  EnumType, LoadBalancerKind, describe, enumMemberName, fail, methodName, propName,
  validateBoolean, validateEnumValue, validateEnumValues, validateList, validateLoadBalancerArn, validateRegion,
} from '../validation';

const PAYER_RESPONSIBILITY: EnumType<PayerResponsibility> = { name: 'PayerResponsibility', members: { ...PayerResponsibility } };
const IP_ADDRESS_TYPE: EnumType<ec2.IpAddressType> = { name: 'IpAddressType', members: { ...ec2.IpAddressType } };

/** Properties of a {@link PrivateEndpointService}. */
export interface PrivateEndpointServiceProps {
  /**
   * The Network Load Balancers that host the service. Give these or
   * `gatewayLoadBalancerArns`, never both.
   * @default - none; then `gatewayLoadBalancerArns` is required
   */
  readonly networkLoadBalancers?: elbv2.INetworkLoadBalancer[];

  /**
   * The ARNs of the Gateway Load Balancers that host the service. Give these or
   * `networkLoadBalancers`, never both.
   * @default - none; then `networkLoadBalancers` is required
   */
  readonly gatewayLoadBalancerArns?: string[];

  /**
   * Whether each connection request must be accepted before it can carry traffic.
   * Turning this off lets every allowed principal connect at once.
   * @default true
   */
  readonly acceptanceRequired?: boolean;

  /**
   * The principals that may create endpoints to this service. More can be added with
   * `allowPrincipals()`.
   * @default - nobody but the service owner's account
   */
  readonly allowedPrincipals?: AllowedPrincipal[];

  /**
   * The IP address types the service supports. IPv6 needs every Network Load Balancer
   * to be dualstack.
   * @default [IpAddressType.IPV4]
   */
  readonly supportedIpAddressTypes?: ec2.IpAddressType[];

  /**
   * Other Regions from which consumers may connect (cross-Region PrivateLink): AWS Regions of
   * the stack's partition.
   * @default - only the service's own Region
   */
  readonly allowedRegions?: string[];

  /**
   * Whether to turn on the built-in Contributor Insights rules of AWS PrivateLink.
   * @default false
   */
  readonly contributorInsights?: boolean;

  /**
   * Who pays for the endpoints that connect to the service.
   * @default - each endpoint owner pays for their endpoints
   */
  readonly payerResponsibility?: PayerResponsibility;

  /**
   * A private DNS name for the service, such as `api.example.com`. Consumers can use it
   * once AWS has verified that you own the domain. Not a public suffix (`com`, `co.uk`,
   * `github.io`) and no wildcard directly under one (`*.com`).
   * @default - no private DNS name
   */
  readonly privateDnsName?: string;

  /**
   * The Route 53 public hosted zone of `privateDnsName`. With it, the verification TXT
   * record is created and verification is started; without it, the record's name and
   * value are stack outputs for you to publish.
   * @default - the verification record is given as outputs
   */
  readonly publicHostedZone?: route53.IPublicHostedZone;

  /**
   * How the domain of `privateDnsName` is verified: which domain the TXT record proves, and
   * whether the deployment waits until it is verified.
   * @default - the private DNS name itself is verified, without a wait
   */
  readonly privateDnsVerification?: PrivateDnsVerificationOptions;

  /**
   * Stack outputs with the service ID and service name, named after the construct's path below
   * the stack (`<path>VpcEndpointServiceId` and `<path>VpcEndpointServiceName`, such as
   * `PaymentsVpcEndpointServiceName` for a construct `Payments`): the name is what the provider
   * hands over to the consumers.
   * @default false
   */
  readonly createOutputs?: boolean;

  /**
   * Accept the connection requests of these endpoints (and nothing else) with a
   * `ConnectionApproval`. More IDs can be added with `approveEndpoints()`.
   * @default - no approval; requests stay pending until accepted some other way
   */
  readonly connectionApproval?: ConnectionApprovalOptions;
}

/**
 * An endpoint service (AWS PrivateLink) on Network or Gateway Load Balancers, with
 * acceptance required by default, one permissions resource for all allowed principals,
 * and optional private DNS name and connection notifications.
 */
export class PrivateEndpointService extends Resource implements ec2.IVpcEndpointService {
  /**
   * An endpoint service of this account and Region, by ID, for example to approve its
   * connections with a `ConnectionApproval`.
   */
  public static fromEndpointServiceId(scope: Construct, id: string, vpcEndpointServiceId: string): ec2.IVpcEndpointService {
    return new ImportedEndpointService(scope, id, vpcEndpointServiceId);
  }

  /** The ID of the endpoint service, like `vpce-svc-0123456789abcdef0`. */
  public readonly vpcEndpointServiceId: string;
  /** The service name consumers connect to: `com.amazonaws.vpce.<region>.<service ID>`. */
  public readonly vpcEndpointServiceName: string;
  /** The ARN of the endpoint service. */
  public readonly vpcEndpointServiceArn: string;
  /** Whether connection requests must be accepted. */
  public readonly acceptanceRequired: boolean;
  /** The private DNS name configuration, when `privateDnsName` was given. */
  public readonly privateDns?: EndpointServicePrivateDnsName;

  private readonly principalArns: string[] = [];
  private connectionApprovalConstruct?: ConnectionApproval;
  private permissions?: ec2.CfnVPCEndpointServicePermissions;
  private readonly alarmList: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PrivateEndpointServiceProps) {
    super(scope, id);
    this.acceptanceRequired = validateBoolean(this, 'acceptanceRequired', props.acceptanceRequired) ?? true;

    const service = new ec2.CfnVPCEndpointService(this, 'Resource', {
      acceptanceRequired: this.acceptanceRequired,
      ...this.loadBalancerArns(props),
      supportedIpAddressTypes: this.ipAddressTypes(props),
      supportedRegions: this.regions(props.allowedRegions),
      contributorInsightsEnabled: validateBoolean(this, 'contributorInsights', props.contributorInsights),
      payerResponsibility: props.payerResponsibility === undefined ? undefined
        : validateEnumValue(this, 'payerResponsibility', props.payerResponsibility, PAYER_RESPONSIBILITY),
    });

    this.vpcEndpointServiceId = service.ref;
    this.vpcEndpointServiceName = `${ec2.VpcEndpointService.DEFAULT_PREFIX}.${this.stack.region}.${service.ref}`;
    this.vpcEndpointServiceArn = ec2Arn(this, 'vpc-endpoint-service', service.ref);

    validateList(this, 'allowedPrincipals', props.allowedPrincipals, 'AllowedPrincipal values');
    this.allowPrincipals(...props.allowedPrincipals ?? []);

    if (props.privateDnsName !== undefined) {
      this.privateDns = new EndpointServicePrivateDnsName(this, 'PrivateDnsName', {
        endpointService: this,
        privateDnsName: props.privateDnsName,
        publicHostedZone: props.publicHostedZone,
        ...props.privateDnsVerification,
      });
    } else if (props.publicHostedZone || props.privateDnsVerification) {
      const given = props.publicHostedZone ? 'publicHostedZone' : 'privateDnsVerification';
      fail(this, `${propName(given)} is given without ${propName('privateDnsName')}: expected both, or neither.`);
    }

    if (props.connectionApproval) this.approveWith(props.connectionApproval);

    if (validateBoolean(this, 'createOutputs', props.createOutputs)) {
      readableOutput(this, 'VpcEndpointServiceId', this.vpcEndpointServiceId, `Endpoint service ID of ${this.node.path}`);
      readableOutput(this, 'VpcEndpointServiceName', this.vpcEndpointServiceName, `Endpoint service name of ${this.node.path}: hand it to the consumers`);
    }
  }

  /** The approval of connection requests, once `connectionApproval` or `approveEndpoints()` is used. */
  public get approval(): ConnectionApproval | undefined {
    return this.connectionApprovalConstruct;
  }

  /**
   * A metric of `AWS/PrivateLinkServices` for this service (dimension `Service Id`), by name:
   * `ActiveConnections`, `BytesProcessed`, `EndpointsCount`, `NewConnections` or
   * `RstPacketsSent`, optionally per Availability Zone, load balancer or consumer endpoint in the
   * combinations AWS publishes. Any other name or combination, or a `dimensionsMap`, is refused.
   * The statistic is the one the AWS PrivateLink guide calls most useful, the period 5 minutes,
   * unless `props` say otherwise.
   */
  public metric(metricName: string, props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return serviceMetric(this, this.vpcEndpointServiceId, metricName, props);
  }

  /** Concurrent active connections from consumers' endpoints (SYN_SENT and ESTABLISHED): Average over 5 minutes by default. */
  public metricActiveConnections(props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return this.metric('ActiveConnections', props);
  }

  /** Bytes exchanged with consumers' endpoints, in both directions: Sum over 5 minutes by default. */
  public metricBytesProcessed(props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return this.metric('BytesProcessed', props);
  }

  /** Endpoints connected to the service: Average over 5 minutes by default. Published per service only (no options). */
  public metricEndpointsCount(props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return this.metric('EndpointsCount', props);
  }

  /** New connections established from consumers' endpoints: Sum over 5 minutes by default. */
  public metricNewConnections(props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return this.metric('NewConnections', props);
  }

  /** RST packets the service sent to consumers' endpoints: Sum over 5 minutes by default. */
  public metricRstPacketsSent(props?: EndpointServiceMetricOptions): cloudwatch.Metric {
    return this.metric('RstPacketsSent', props);
  }

  /**
   * Adds the recommended alarms, each notifying `topic`: RstPacketsSent rising above its anomaly
   * detection band, and, with `expectedEndpoints`, fewer connected endpoints than expected (see
   * `EndpointServiceAlarmsOptions` for the thresholds). Returns the alarms, which `alarms` lists
   * too. Call it once per service: a second call is refused.
   */
  public addAlarms(options: EndpointServiceAlarmsOptions): cloudwatch.Alarm[] {
    refuseSecondCall(this, this.alarmList);
    const alarms = createServiceAlarms(this, options);
    this.alarmList.push(...alarms);
    return alarms;
  }

  /** Every alarm added with `addAlarms()`, for example for a dashboard. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.alarmList];
  }

  /** A reference to this endpoint service. */
  public get vpcEndpointServiceRef(): ec2.VPCEndpointServiceReference {
    return { serviceId: this.vpcEndpointServiceId };
  }

  /**
   * Allows more principals to create endpoints to this service. All principals, from props
   * and from every call, end up in one `AWS::EC2::VPCEndpointServicePermissions`, each once.
   */
  public allowPrincipals(...principals: AllowedPrincipal[]): void {
    for (const principal of principals) {
      if (!(principal instanceof AllowedPrincipal)) {
        fail(this, `${methodName('allowPrincipals')} or ${propName('allowedPrincipals')} got ${describe(principal)}: expected an `
          + `AllowedPrincipal, made with ${methodName('account', 'AllowedPrincipal')}, ${methodName('role', 'AllowedPrincipal')}, `
          + `${methodName('user', 'AllowedPrincipal')}, ${methodName('servicePrincipal', 'AllowedPrincipal')} or ${methodName('everyone', 'AllowedPrincipal')}.`);
      }
      if (principal._mayBeEveryone()) this.guardPublicAccess(principal);
      const arn = principal._render(this);
      if (!this.principalArns.includes(arn)) {
        this.principalArns.push(arn);
        this.node.addValidation({ validate: () => principal._problemsAsSynthesized(this, arn) });
      }
    }
    if (this.principalArns.length > 0 && !this.permissions) {
      this.permissions = new ec2.CfnVPCEndpointServicePermissions(this, 'Permissions', {
        serviceId: this.vpcEndpointServiceId,
        allowedPrincipals: Lazy.list({ produce: () => this.principalArns }),
      });
    }
  }

  /** The principal ARNs (or `*`) allowed so far, without duplicates. */
  public get allowedPrincipalArns(): string[] {
    return [...this.principalArns];
  }

  /**
   * Accepts the connection requests of these VPC endpoints, and no others. Unlike
   * `ConnectionApproval.addEndpointIds()`, which adds IDs to an approval that exists, this
   * creates the service's `ConnectionApproval` on the first call (when `connectionApproval` was
   * not given), adds the IDs to it, and returns it. All IDs, from `connectionApproval` and every
   * call, are kept in that one approval.
   */
  public approveEndpoints(...endpointIds: string[]): ConnectionApproval {
    const approval = this.connectionApprovalConstruct ?? this.approveWith({});
    approval.addEndpointIds(...endpointIds);
    return approval;
  }

  /** Sends notifications about connection events of this service to an SNS topic. */
  public addConnectionNotification(id: string, options: ConnectionNotificationOptions = {}): ConnectionNotification {
    return new ConnectionNotification(this, id, {
      ...options,
      source: ConnectionNotificationSource.fromEndpointService(this),
    });
  }

  private approveWith(options: ConnectionApprovalOptions): ConnectionApproval {
    this.connectionApprovalConstruct = new ConnectionApproval(this, 'ConnectionApproval', { ...options, service: this });
    return this.connectionApprovalConstruct;
  }

  private guardPublicAccess(principal: AllowedPrincipal): void {
    if (!this.acceptanceRequired) {
      const what = principal.type === AllowedPrincipalType.EVERYONE
        ? methodName('everyone', 'AllowedPrincipal')
        : `The ${principal.type.toLowerCase()} principal '${principal.value}' (a token that may be '*' at deploy time)`;
      fail(this, `${what} with ${propName('acceptanceRequired')}: false is refused: any AWS account could `
        + 'connect without approval, which makes the load balancer behind this service public. '
        + `Keep ${propName('acceptanceRequired')}: true, or allow named principals.`);
    }
    if (principal.type !== AllowedPrincipalType.EVERYONE) return;
    Annotations.of(this).addWarningV2('cdk-privatelink:everyoneAllowed',
      `${methodName('everyone', 'AllowedPrincipal')} lets any AWS account request a connection to this endpoint service; `
      + 'only approved requests are accepted. Acknowledge this warning if that is intended.');
  }

  private loadBalancerArns(props: PrivateEndpointServiceProps): Pick<ec2.CfnVPCEndpointServiceProps, 'networkLoadBalancerArns' | 'gatewayLoadBalancerArns'> {
    validateList(this, 'networkLoadBalancers', props.networkLoadBalancers, 'Network Load Balancers');
    validateList(this, 'gatewayLoadBalancerArns', props.gatewayLoadBalancerArns, 'Gateway Load Balancer ARNs');
    const nlbs = props.networkLoadBalancers ?? [];
    const gwlbs = props.gatewayLoadBalancerArns ?? [];
    if (nlbs.length > 0 && gwlbs.length > 0) {
      fail(this, `Both ${propName('networkLoadBalancers')} (${nlbs.length}) and ${propName('gatewayLoadBalancerArns')} (${gwlbs.length}) are given: `
        + 'an endpoint service runs on Network Load Balancers or on Gateway Load Balancers, not both.');
    }
    if (nlbs.length === 0 && gwlbs.length === 0) {
      fail(this, `No load balancer given: expected at least one in ${propName('networkLoadBalancers')} or ${propName('gatewayLoadBalancerArns')}.`);
    }
    if (gwlbs.length > 0) {
      gwlbs.forEach(arn => validateLoadBalancerArn(this, arn, LoadBalancerKind.GATEWAY));
      return { gatewayLoadBalancerArns: unique(gwlbs) };
    }
    const arns = nlbs.map(nlb => nlb.loadBalancerArn);
    arns.forEach(arn => validateLoadBalancerArn(this, arn, LoadBalancerKind.NETWORK));
    return { networkLoadBalancerArns: unique(arns) };
  }

  private ipAddressTypes(props: PrivateEndpointServiceProps): string[] {
    const types = unique(validateEnumValues(this, 'supportedIpAddressTypes', props.supportedIpAddressTypes ?? [ec2.IpAddressType.IPV4], IP_ADDRESS_TYPE));
    if (types.length === 0) {
      fail(this, `${propName('supportedIpAddressTypes')} is empty: expected ${enumMemberName('IpAddressType', 'IPV4')}, `
        + `${enumMemberName('IpAddressType', 'IPV6')} or both.`);
    }
    if (types.includes(ec2.IpAddressType.IPV6)) {
      for (const nlb of props.networkLoadBalancers ?? []) {
        const nlbType = ipAddressTypeOf(nlb);
        if (nlbType !== undefined && !DUALSTACK.includes(nlbType)) {
          fail(this, `${propName('supportedIpAddressTypes')} includes IPv6, but Network Load Balancer '${nlb.node.path}' has `
            + `IP address type '${nlbType}': expected every load balancer to be dualstack (${enumMemberName('IpAddressType', 'DUAL_STACK')}).`);
        }
      }
    }
    return types;
  }

  private regions(regions: string[] | undefined): string[] | undefined {
    validateList(this, 'allowedRegions', regions, "Region codes like 'eu-west-1'");
    if (regions === undefined) return undefined;
    regions.forEach(region => validateRegion(this, region, `${propName('allowedRegions')} entry`));
    return unique(regions);
  }
}

const DUALSTACK: string[] = [elbv2.IpAddressType.DUAL_STACK, elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4];

/** A created NLB without an explicit type is IPv4; an imported one without it is unknown. */
function ipAddressTypeOf(nlb: elbv2.INetworkLoadBalancer): string | undefined {
  if (nlb.ipAddressType !== undefined) return nlb.ipAddressType;
  return nlb instanceof elbv2.NetworkLoadBalancer ? elbv2.IpAddressType.IPV4 : undefined;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

