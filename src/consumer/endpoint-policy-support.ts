import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * AWS services whose interface endpoints take no endpoint policy (`VpcEndpointPolicySupported`
 * is false), by short name: the list AWS's Landing Zone Accelerator keeps from the AWS
 * PrivateLink guide, and the services whose own guides say so. Check it against
 * `aws ec2 describe-vpc-endpoint-services --query 'ServiceDetails[?VpcEndpointPolicySupported==\`false\`].ServiceName'`.
 */
export const SERVICES_WITHOUT_ENDPOINT_POLICIES: readonly string[] = [
  'appmesh-envoy-management', 'appstream.api', 'appstream.streaming', 'aps', 'aps-workspaces', 'awsconnector', 'batch',
  'cleanrooms', 'cleanrooms-ml', 'cloudtrail', 'codeguru-profiler', 'codeguru-reviewer', 'codepipeline', 'datasync',
  'deviceadvisor.iot', 'ebs', 'elastic-inference.runtime', 'email-smtp', 'iot.data', 'iotsitewise.api', 'iotsitewise.data',
  'iotwireless.api', 'lorawan.cups', 'lorawan.lns', 'macie2', 'neptune-graph', 'refactor-spaces', 'sms', 'sms-fips',
  'storagegateway', 'transfer', 'transfer.server',
];

/** Services whose actions do not support `aws:ResourceOrgID` or `aws:ResourceAccount` (IAM User Guide). */
export const SERVICES_WITHOUT_RESOURCE_KEYS: readonly string[] = ['events'];

/**
 * Why an endpoint to `service` cannot take an endpoint policy, or `undefined` when it can (or
 * the service is not known at synthesis). AWS allows full access through such an endpoint.
 */
export function endpointPolicyUnsupported(service: ec2.IInterfaceVpcEndpointService): string | undefined {
  if (service instanceof ec2.InterfaceVpcEndpointAwsService) {
    return SERVICES_WITHOUT_ENDPOINT_POLICIES.includes(service.shortName)
      ? `the AWS service '${service.shortName}' does not support endpoint policies`
      : undefined;
  }
  if (Token.isUnresolved(service.name)) return undefined;
  return `'${service.name}' is an endpoint service, not an AWS service (endpoints to endpoint services take no policy)`;
}

/** Whether the actions of `service` can be limited by the resource's account or organization. */
export function supportsResourceKeys(service: ec2.IInterfaceVpcEndpointService): boolean {
  return !(service instanceof ec2.InterfaceVpcEndpointAwsService && SERVICES_WITHOUT_RESOURCE_KEYS.includes(service.shortName));
}
