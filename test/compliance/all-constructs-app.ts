import { App, AppProps, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AllowedPrincipal, AwsServiceEndpoints, CertificateCondition, ConnectionApproval, ConnectionEvent, EndpointPolicyDefault, EndpointRemoval,
  EndpointServicePrivateDnsName, ExpiryNotification, GatewayEndpoint, GatewayEndpointPolicy, GatewayLoadBalancerEndpoint,
  GatewayLoadBalancerService, InterfaceEndpoint, MissingEndpoints, PrivateEndpointService, PrivateLinkDashboard, PrivateLinkGuardrails,
  RolesAnywhereAccess, ServiceOwner, TrustAnchorSource, TrustedScope, UnlistedConnections, VerifiedDomain,
} from '../../src';
import { testPki } from '../roles-anywhere/certificates';

export const PROVIDER_ENV = { account: '111111111111', region: 'eu-west-1' };
export const CONSUMER_ENV = { account: '222222222222', region: 'eu-west-1' };
const ENDPOINT_ID = 'vpce-0a1b2c3d4e5f60718';
const PARTNER_SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const GWLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/gwy/inspection/0123456789abcdef';

/** The stacks of an app that uses every public construct of the library, as a user would. */
export interface AllConstructsApp {
  readonly app: App;
  /** Endpoint services, approvals, notifications, private DNS names (with the waiting provider), dashboard, alarms. */
  readonly provider: Stack;
  /** Interface, AWS service, gateway and Gateway Load Balancer endpoints, their notifications, alarms and dashboard. */
  readonly consumer: Stack;
  /** IAM Roles Anywhere access with expiry notifications and a revocation list, and the guardrail statements. */
  readonly workload: Stack;
  readonly stacks: Stack[];
}

/** Options of {@link allConstructsApp}. */
export interface AllConstructsAppOptions {
  /** Called on each stack before any construct of the library is created in it (to configure the stack's handler). */
  readonly beforeConstructs?: (stack: Stack) => void;
  /** Extra App props (context). */
  readonly appProps?: AppProps;
}

/**
 * Builds the app. The user's own resources (VPCs, load balancers, the alarm topics and their keys, the
 * hosted zone, the bucket, the managed policy) are made here, outside the library's constructs.
 */
export function allConstructsApp(options: AllConstructsAppOptions = {}): AllConstructsApp {
  const app = new App({ builtinCloudFormationValidation: false, ...options.appProps } as AppProps);
  const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const workload = new Stack(app, 'Workload', { env: PROVIDER_ENV });
  for (const stack of [provider, consumer, workload]) options.beforeConstructs?.(stack);
  providerSide(provider);
  consumerSide(consumer);
  workloadSide(workload);
  return { app, provider, consumer, workload, stacks: [provider, consumer, workload] };
}

function userVpc(stack: Stack, ipProtocol = ec2.IpProtocol.IPV4_ONLY): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    ipProtocol,
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, ...(ipProtocol === ec2.IpProtocol.DUAL_STACK ? { ipv6AssignAddressOnCreation: false } : {}) },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24, ...(ipProtocol === ec2.IpProtocol.DUAL_STACK ? { ipv6AssignAddressOnCreation: false } : {}) },
    ],
  });
}

function userAlarmTopic(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'Alarms', {
    masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true, description: 'The user\'s alarm topic key' }),
    enforceSSL: true,
  });
}

function providerSide(stack: Stack): void {
  const vpc = userVpc(stack);
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
  const otherNlb = new elbv2.NetworkLoadBalancer(stack, 'OtherNlb', { vpc, internetFacing: false });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  const alarms = userAlarmTopic(stack);

  // A service with a private DNS name in a hosted zone, waited for; approval with every option and alarms.
  const service = new PrivateEndpointService(stack, 'Service', {
    networkLoadBalancers: [nlb],
    allowedPrincipals: [
      AllowedPrincipal.account('333333333333'),
      AllowedPrincipal.role('arn:aws:iam::444444444444:role/consumer'),
      AllowedPrincipal.servicePrincipal('elasticloadbalancing.amazonaws.com'),
    ],
    privateDnsName: 'api.example.com',
    publicHostedZone: zone,
    privateDnsVerification: { verifiedDomain: VerifiedDomain.hostedZoneApex(), waitForVerification: Duration.minutes(30) },
    contributorInsights: true,
    createOutputs: true,
  });
  const approval = new ConnectionApproval(stack, 'Approval', {
    service,
    endpointIds: [ENDPOINT_ID],
    allowedOwners: ['333333333333'],
    rejectUnlisted: true,
    onRemoval: EndpointRemoval.REJECT,
    unlistedAccepted: UnlistedConnections.REJECT,
    missingEndpoints: MissingEndpoints.acceptOnArrival(),
  });
  approval.addAlarms({ topic: alarms, listedNotAcceptedFor: Duration.hours(24) });
  service.addConnectionNotification('Events', { events: [ConnectionEvent.CONNECT, ConnectionEvent.ACCEPT, ConnectionEvent.REJECT] });
  service.addConnectionNotification('EventsToUserTopic', { topic: alarms, events: [ConnectionEvent.DELETE] });
  service.addAlarms({ topic: alarms, expectedEndpoints: 1 });

  // A service whose private DNS name has no hosted zone (TXT record as outputs), approved through its props.
  const second = new PrivateEndpointService(stack, 'SecondService', {
    networkLoadBalancers: [otherNlb],
    allowedPrincipals: [AllowedPrincipal.account('333333333333')],
    connectionApproval: { endpointIds: [ENDPOINT_ID], missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(5)) },
  });
  new EndpointServicePrivateDnsName(stack, 'SecondDns', { endpointService: second, privateDnsName: 'second.example.org' });

  // A Gateway Load Balancer endpoint service.
  new PrivateEndpointService(stack, 'Inspection', {
    gatewayLoadBalancerArns: [GWLB_ARN],
    allowedPrincipals: [AllowedPrincipal.account('333333333333')],
  });
  new PrivateLinkDashboard(stack, 'Dashboard', { services: [service, second] });
}

function consumerSide(stack: Stack): void {
  const vpc = userVpc(stack, ec2.IpProtocol.DUAL_STACK);
  const alarms = userAlarmTopic(stack);
  const partner = new InterfaceEndpoint(stack, 'Partner', {
    vpc,
    service: new ec2.InterfaceVpcEndpointService(PARTNER_SERVICE, 443),
    subnets: { subnetGroupName: 'app' },
    ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
    createOutputs: true,
  });
  partner.addConnectionNotification('PartnerEvents');
  partner.addAlarms({ topic: alarms });
  new InterfaceEndpoint(stack, 'Sts', {
    vpc,
    service: ec2.InterfaceVpcEndpointAwsService.STS,
    subnets: { subnetGroupName: 'app' },
    defaultPolicy: EndpointPolicyDefault.sameOrganization('o-a1b2c3d4e5'),
  });
  new AwsServiceEndpoints(stack, 'AwsServices', {
    vpc,
    subnets: { subnetGroupName: 'app' },
    services: AwsServiceEndpoints.sessionManager(),
    defaultPolicy: EndpointPolicyDefault.dataPerimeter({ trustedIdentities: TrustedScope.organization('o-a1b2c3d4e5'), restrictResources: false }),
  });
  const s3Endpoint = new GatewayEndpoint(stack, 'S3', {
    vpc,
    service: ec2.GatewayVpcEndpointAwsService.S3,
    policyStatements: [GatewayEndpointPolicy.forAccounts([stack.account], { actions: ['s3:GetObject', 's3:PutObject'] })],
  });
  new GatewayEndpoint(stack, 'DynamoDb', {
    vpc,
    service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
    defaultPolicy: EndpointPolicyDefault.dataPerimeter({
      trustedIdentities: TrustedScope.stackAccount(), trustedResources: TrustedScope.stackAccount(), actions: ['dynamodb:*'],
    }),
  });
  const bucket = new s3.Bucket(stack, 'Data', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const statement of s3Endpoint.bucketPolicyStatements(bucket)) bucket.addToResourcePolicy(statement);

  const inspection = new GatewayLoadBalancerEndpoint(stack, 'Inspection', {
    vpc,
    service: GatewayLoadBalancerService.fromServiceName(PARTNER_SERVICE),
    subnets: { subnetGroupName: 'public', availabilityZones: [vpc.availabilityZones[0]] },
  });
  inspection.addIngressRoutes({ destinationSubnets: { subnetGroupName: 'app', availabilityZones: [vpc.availabilityZones[0]] } });
  inspection.addReturnRoutes({ subnets: { subnetGroupName: 'app', availabilityZones: [vpc.availabilityZones[0]] } });
  new PrivateLinkDashboard(stack, 'Dashboard', { endpoints: [partner] });
}

function workloadSide(stack: Stack): void {
  const pki = testPki();
  const access = new RolesAnywhereAccess(stack, 'OnPremises', {
    source: TrustAnchorSource.fromCertificateBundle(pki.caPem),
    notifications: [ExpiryNotification.caCertificateExpiry(60), ExpiryNotification.endEntityCertificateExpiry(14)],
    revocationLists: [pki.crlPem],
    sessionDuration: Duration.hours(1),
    createOutputs: true,
  });
  access.addRole('Batch', {
    certificateConditions: [CertificateCondition.subjectCommonName('payments-batch'), CertificateCondition.subjectOrganization('Example')],
    description: 'The batch job outside AWS',
  });
  // The guardrails are statements for the user's own policies.
  new iam.ManagedPolicy(stack, 'Guardrails', {
    statements: [
      PrivateLinkGuardrails.endpointsOnlyToServiceOwners(stack, [ServiceOwner.amazon(), ServiceOwner.account('111111111111')]),
      PrivateLinkGuardrails.endpointsOnlyToServiceNames(stack, [PARTNER_SERVICE]),
      PrivateLinkGuardrails.endpointServicesOnlyWithPrivateDnsNames(stack, ['api.example.com']),
      PrivateLinkGuardrails.acceptConnectionsOnlyBy(stack, ['arn:aws:iam::111111111111:role/approver']),
    ],
  });
}
