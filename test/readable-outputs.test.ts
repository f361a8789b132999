import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { newNlb, validationErrorOf } from './helpers';
import {
  AwsServiceEndpoints, GatewayLoadBalancerEndpoint, GatewayLoadBalancerService, InterfaceEndpoint, PrivateEndpointService, RolesAnywhereAccess,
  TrustAnchorSource,
} from '../src';

const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012';

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false } as object), 'Consumer', { env: { account: '123456789012', region: 'eu-west-1' } });
}

function vpcOf(scope: Stack): ec2.Vpc {
  return (scope.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 0 });
}

function partnerEndpoint(scope: Construct, id: string, createOutputs: boolean = true): InterfaceEndpoint {
  return new InterfaceEndpoint(scope, id, { vpc: vpcOf(Stack.of(scope)), service: new ec2.InterfaceVpcEndpointService(PARTNER, 443), createOutputs });
}

describe('stack outputs are named after the construct path, without hashes', () => {
  test('an interface endpoint: its ID, to hand over, and its DNS entries', () => {
    const s = stack();
    const endpoint = partnerEndpoint(s, 'PartnerEndpoint');
    const outputs = Template.fromStack(s).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['PartnerEndpointDnsEntries', 'PartnerEndpointVpcEndpointId']);
    expect(outputs.PartnerEndpointVpcEndpointId.Value).toEqual(s.resolve(endpoint.vpcEndpointId));
    expect(outputs.PartnerEndpointVpcEndpointId.Description).toContain('hand it to the service\'s provider');
    expect(outputs.PartnerEndpointDnsEntries.Value).toEqual({ 'Fn::Join': [',', s.resolve(endpoint.vpcEndpointDnsEntries)] });
  });

  test('nested constructs join their path; punctuation is left out', () => {
    const s = stack();
    partnerEndpoint(new Construct(s, 'team-payments'), 'partner_endpoint');
    expect(Object.keys(Template.fromStack(s).findOutputs('*')).sort())
      .toEqual(['TeamPaymentsPartnerEndpointDnsEntries', 'TeamPaymentsPartnerEndpointVpcEndpointId']);
  });

  test('AWS service endpoints: one pair per service', () => {
    const s = stack();
    new AwsServiceEndpoints(s, 'SessionManager', { vpc: vpcOf(s), services: AwsServiceEndpoints.sessionManager(), createOutputs: true });
    expect(Object.keys(Template.fromStack(s).findOutputs('*')).filter(name => name.endsWith('VpcEndpointId')).sort())
      .toEqual(['SessionManagerEc2messagesVpcEndpointId', 'SessionManagerSsmVpcEndpointId', 'SessionManagerSsmmessagesVpcEndpointId']);
  });

  test('an endpoint service: its ID and the name to hand over', () => {
    const s = stack();
    const service = new PrivateEndpointService(s, 'Payments', { networkLoadBalancers: [newNlb(s)], createOutputs: true });
    const outputs = Template.fromStack(s).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['PaymentsVpcEndpointServiceId', 'PaymentsVpcEndpointServiceName']);
    expect(outputs.PaymentsVpcEndpointServiceName.Value).toEqual(s.resolve(service.vpcEndpointServiceName));
  });

  test('Roles Anywhere: a bound role is named by its path', () => {
    const s = stack();
    const access = new RolesAnywhereAccess(s, 'Workload', { source: TrustAnchorSource.fromCertificateAuthorityArn(PCA_ARN), createOutputs: true });
    access.bindRole(new iam.Role(s, 'Existing-Role', { assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com') }));
    expect(Object.keys(Template.fromStack(s).findOutputs('*')).sort()).toEqual([
      'WorkloadBoundExistingRoleCredentialProcess', 'WorkloadBoundExistingRoleRoleArn', 'WorkloadProfileArn', 'WorkloadTrustAnchorArn',
    ]);
  });

  test('names do not change when other constructs are added, and synthesis is repeatable', () => {
    const first = stack();
    partnerEndpoint(first, 'PartnerEndpoint');
    const second = stack();
    partnerEndpoint(second, 'Before', false);
    partnerEndpoint(second, 'PartnerEndpoint');
    expect(Template.fromStack(second).findOutputs('*')).toEqual(Template.fromStack(first).findOutputs('*'));
  });

  test('no outputs unless asked for; a non-boolean is refused', () => {
    const s = stack();
    new InterfaceEndpoint(s, 'Quiet', { vpc: vpcOf(s), service: new ec2.InterfaceVpcEndpointService(PARTNER, 443) });
    expect(Template.fromStack(s).findOutputs('*')).toEqual({});
    expect(validationErrorOf(() => partnerEndpoint(s, 'Odd', 'yes' as unknown as boolean)).message).toMatch(/createOutputs/);
  });

  test('two paths that differ only in punctuation are refused, naming both', () => {
    const s = stack();
    partnerEndpoint(s, 'Partner-A');
    const error = validationErrorOf(() => partnerEndpoint(s, 'PartnerA'));
    expect(error.message).toContain('The stack output name PartnerAVpcEndpointId of Consumer/PartnerA is taken by Consumer/Partner-A');
  });
});

describe('a Gateway Load Balancer endpoint', () => {
  test('outputs its ID under a readable name, and refuses a service name from another account', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'AppVpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'inspection', subnetType: ec2.SubnetType.PUBLIC }] });
    const endpoint = new GatewayLoadBalancerEndpoint(s, 'Inspection1', {
      vpc, service: GatewayLoadBalancerService.fromServiceName(PARTNER), subnets: { subnetGroupName: 'inspection' }, createOutputs: true,
    });
    expect(Template.fromStack(s).findOutputs('*')).toEqual({
      Inspection1VpcEndpointId: expect.objectContaining({ Value: s.resolve(endpoint.vpcEndpointId) }),
    });

    const provider = new Stack(s.node.root as App, 'Provider', { env: { account: '111111111111', region: 'eu-west-1' } });
    const service = new PrivateEndpointService(provider, 'Appliances', {
      gatewayLoadBalancerArns: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/gwy/inspection/0123456789abcdef'],
    });
    expect(validationErrorOf(() => new GatewayLoadBalancerEndpoint(s, 'Inspection2', {
      vpc, service: GatewayLoadBalancerService.fromEndpointService(service), subnets: { subnetGroupName: 'inspection' },
    })).message).toContain('The service name Provider/Appliances/Resource.Ref comes from stack Provider in account 111111111111');
  });
});
