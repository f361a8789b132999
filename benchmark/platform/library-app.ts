/** The platform written with cdk-privatelink. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  CA_PEM, ENDPOINT_IDS_PER_SERVICE, INTERFACE_ENDPOINTS, PRINCIPALS_PER_SERVICE, PRIVATE_DNS_NAME, PRIVATE_DNS_SERVICE, SERVICES,
  approvedEndpointId, consumerAccount, partnerServiceName, platformApp, platformStack, platformVpc, range, serviceLoadBalancer,
} from './workload';
import {
  AllowedPrincipal, CertificateCondition, GatewayEndpoint, InterfaceEndpoint, PrivateEndpointService, RolesAnywhereAccess, TrustAnchorSource,
} from '../../src';

export function libraryApp(outdir: string, validation: boolean) {
  const app = platformApp(outdir, validation);

  const provider = platformStack(app, 'Provider');
  const providerVpc = platformVpc(provider);
  for (const s of range(SERVICES)) {
    const service = new PrivateEndpointService(provider, `Service${s}`, {
      networkLoadBalancers: [serviceLoadBalancer(provider, providerVpc, s)],
      allowedPrincipals: range(PRINCIPALS_PER_SERVICE).map(p => AllowedPrincipal.account(consumerAccount(s, p))),
      connectionApproval: { endpointIds: range(ENDPOINT_IDS_PER_SERVICE).map(e => approvedEndpointId(s, e)) },
      privateDnsName: s === PRIVATE_DNS_SERVICE ? PRIVATE_DNS_NAME : undefined,
    });
    service.addConnectionNotification('Notifications');
  }

  const consumer = platformStack(app, 'Consumer');
  const consumerVpc = platformVpc(consumer);
  for (const e of range(INTERFACE_ENDPOINTS)) {
    new InterfaceEndpoint(consumer, `Endpoint${e}`, { vpc: consumerVpc, service: new ec2.InterfaceVpcEndpointService(partnerServiceName(e), 443) });
  }
  new GatewayEndpoint(consumer, 'S3', { vpc: consumerVpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
  new GatewayEndpoint(consumer, 'DynamoDb', { vpc: consumerVpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });

  const workload = platformStack(app, 'WorkloadAccess');
  const access = new RolesAnywhereAccess(workload, 'OnPremises', { source: TrustAnchorSource.fromCertificateBundle(CA_PEM) });
  access.addRole('Batch', { certificateConditions: [CertificateCondition.subjectCommonName('batch')] });

  return app;
}
