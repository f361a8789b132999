/** The same platform with aws-cdk-lib only: approval and private DNS through `AwsCustomResource`. */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  CA_PEM, ENDPOINT_IDS_PER_SERVICE, INTERFACE_ENDPOINTS, PRINCIPALS_PER_SERVICE, PRIVATE_DNS_NAME, PRIVATE_DNS_SERVICE, SERVICES,
  approvedEndpointId, consumerAccount, partnerServiceName, platformApp, platformStack, platformVpc, range, serviceLoadBalancer,
} from './workload';

function serviceArn(stack: Stack, serviceId: string): string {
  return `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-endpoint-service/${serviceId}`;
}

/** An SNS topic encrypted with its own rotating key, SSL enforced, that only this service may publish to. */
function notifications(scope: Construct, stack: Stack, service: ec2.VpcEndpointService): void {
  const key = new kms.Key(scope, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(scope, 'Topic', { masterKey: key, enforceSSL: true });
  const vpce = new iam.ServicePrincipal('vpce.amazonaws.com');
  const conditions = {
    ArnLike: { 'aws:SourceArn': serviceArn(stack, service.vpcEndpointServiceId) },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
  topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [vpce], actions: ['sns:Publish'], resources: [topic.topicArn], conditions }));
  key.addToResourcePolicy(new iam.PolicyStatement({ principals: [vpce], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions }));
  new ec2.CfnVPCEndpointConnectionNotification(scope, 'Notification', {
    connectionNotificationArn: topic.topicArn,
    connectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
    serviceId: service.vpcEndpointServiceId,
  });
}

function approval(scope: Construct, stack: Stack, service: ec2.VpcEndpointService, endpointIds: string[]): void {
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'acceptVpcEndpointConnections',
    parameters: { ServiceId: service.vpcEndpointServiceId, VpcEndpointIds: endpointIds },
    physicalResourceId: cr.PhysicalResourceId.of(service.vpcEndpointServiceId),
  };
  new cr.AwsCustomResource(scope, 'Approval', {
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [serviceArn(stack, service.vpcEndpointServiceId)] }),
    installLatestAwsSdk: false,
  });
}

function privateDnsName(scope: Construct, stack: Stack, service: ec2.VpcEndpointService, name: string): void {
  const set: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'modifyVpcEndpointServiceConfiguration',
    parameters: { ServiceId: service.vpcEndpointServiceId, PrivateDnsName: name },
    physicalResourceId: cr.PhysicalResourceId.of(`${service.vpcEndpointServiceId}-dns`),
  };
  new cr.AwsCustomResource(scope, 'PrivateDnsName', {
    onCreate: set,
    onUpdate: set,
    onDelete: { ...set, parameters: { ServiceId: service.vpcEndpointServiceId, RemovePrivateDnsName: true } },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [serviceArn(stack, service.vpcEndpointServiceId)] }),
    installLatestAwsSdk: false,
  });
}

export function plainApp(outdir: string, validation: boolean) {
  const app = platformApp(outdir, validation);

  const provider = platformStack(app, 'Provider');
  const providerVpc = platformVpc(provider);
  for (const s of range(SERVICES)) {
    const scope = new Construct(provider, `Service${s}`);
    const service = new ec2.VpcEndpointService(scope, 'Resource', {
      vpcEndpointServiceLoadBalancers: [serviceLoadBalancer(provider, providerVpc, s)],
      acceptanceRequired: true,
      allowedPrincipals: range(PRINCIPALS_PER_SERVICE).map(p => new iam.ArnPrincipal(`arn:${provider.partition}:iam::${consumerAccount(s, p)}:root`)),
    });
    approval(scope, provider, service, range(ENDPOINT_IDS_PER_SERVICE).map(e => approvedEndpointId(s, e)));
    if (s === PRIVATE_DNS_SERVICE) privateDnsName(scope, provider, service, PRIVATE_DNS_NAME);
    notifications(new Construct(scope, 'Notifications'), provider, service);
  }

  const consumer = platformStack(app, 'Consumer');
  const consumerVpc = platformVpc(consumer);
  for (const e of range(INTERFACE_ENDPOINTS)) {
    new ec2.InterfaceVpcEndpoint(consumer, `Endpoint${e}`, { vpc: consumerVpc, service: new ec2.InterfaceVpcEndpointService(partnerServiceName(e), 443) });
  }
  new ec2.GatewayVpcEndpoint(consumer, 'S3', { vpc: consumerVpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
  new ec2.GatewayVpcEndpoint(consumer, 'DynamoDb', { vpc: consumerVpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });

  const workload = platformStack(app, 'WorkloadAccess');
  const anchor = new rolesanywhere.CfnTrustAnchor(workload, 'TrustAnchor', {
    name: 'OnPremises',
    enabled: true,
    source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: CA_PEM } },
  });
  const role = new iam.Role(workload, 'Batch', {
    assumedBy: new iam.PrincipalWithConditions(new iam.SessionTagsPrincipal(new iam.ServicePrincipal('rolesanywhere.amazonaws.com')), {
      ArnEquals: { 'aws:SourceArn': anchor.attrTrustAnchorArn },
      StringEquals: { 'aws:SourceAccount': workload.account, 'aws:PrincipalTag/x509Subject/CN': 'batch' },
    }),
  });
  new rolesanywhere.CfnProfile(workload, 'Profile', { name: 'OnPremises', roleArns: [role.roleArn], enabled: true });

  return app;
}
