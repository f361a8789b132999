import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isolatedVpc } from './isolated-vpc';
import {
  AwsServiceEndpoints, EndpointPolicyDefault, GatewayEndpoint, GatewayEndpointPolicy, InterfaceEndpoint, PrivateLinkDashboard, TrustedScope,
} from '../src';

/** Settings a consumer team changes per environment. */
export interface ConsumerStackProps extends StackProps {
  /** The name of the partner's endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-...`. */
  readonly partnerServiceName: string;
  /** The partner service's port. */
  readonly partnerPort?: number;
  /** The AWS Organization whose principals may use S3 and DynamoDB through the gateway endpoints. */
  readonly organizationId: string;
}

/**
 * A consumer team's stack: a VPC without internet access that reaches a partner service over
 * PrivateLink with its private DNS name, the AWS services Session Manager and STS need, and S3
 * and DynamoDB through gateway endpoints, each behind a data perimeter: the AWS service endpoints admit
 * only the organization's principals to the organization's resources, the gateway endpoints only this
 * account and organization.
 */
export class ConsumerStack extends Stack {
  public readonly partner: InterfaceEndpoint;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);

    const vpc = isolatedVpc(this, 'workloads');

    this.partner = new InterfaceEndpoint(this, 'Partner', {
      vpc,
      service: new ec2.InterfaceVpcEndpointService(props.partnerServiceName, props.partnerPort ?? 443),
      privateDnsEnabled: true,
      // PartnerVpcEndpointId: the ID to hand over to the provider.
      createOutputs: true,
    });
    this.partner.addConnectionNotification('PartnerEvents');
    // Drops and resets on the partner endpoint, three 5-minute periods in a row.
    this.partner.addAlarms({ topic: new sns.Topic(this, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true }) }) });
    new PrivateLinkDashboard(this, 'Dashboard', { scope: this });

    // Only the organization's principals; the messaging actions of Session Manager name no
    // resource whose organization could be checked.
    new AwsServiceEndpoints(this, 'AwsServices', {
      vpc,
      services: AwsServiceEndpoints.sessionManager(),
      defaultPolicy: EndpointPolicyDefault.dataPerimeter({
        trustedIdentities: TrustedScope.organization(props.organizationId),
        restrictResources: false,
      }),
    });
    // The data perimeter of the AWS guidance: only the organization's principals, only to the
    // organization's resources (and AWS service principals).
    new InterfaceEndpoint(this, 'Sts', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      defaultPolicy: EndpointPolicyDefault.sameOrganization(props.organizationId),
    });

    new GatewayEndpoint(this, 'S3', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      policyStatements: [
        GatewayEndpointPolicy.forAccounts([this.account], { actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'] }),
        GatewayEndpointPolicy.forOrganization(props.organizationId, { actions: ['s3:GetObject'] }),
      ],
    });
    new GatewayEndpoint(this, 'DynamoDb', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      defaultPolicy: EndpointPolicyDefault.dataPerimeter({
        trustedIdentities: TrustedScope.stackAccount(),
        trustedResources: TrustedScope.stackAccount(),
        actions: ['dynamodb:*'],
      }),
    });
  }
}
