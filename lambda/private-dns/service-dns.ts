import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import { Sleep, withPermissionRetry } from '../approval/ec2';

/** What EC2 reports of a service's private DNS name. */
export interface ServiceDns {
  readonly serviceId: string;
  /** The name the service has now, if any. */
  readonly privateDnsName?: string;
  /** `pendingVerification`, `verified` or `failed`. */
  readonly state?: string;
  readonly recordName?: string;
  readonly recordValue?: string;
}

/** The service's private DNS name and its verification, or `undefined` when the service does not exist. */
export async function describeServiceDns(ec2: EC2Client, serviceId: string): Promise<ServiceDns | undefined> {
  let response;
  try {
    response = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
  } catch (error) {
    if (isServiceNotFound(error)) return undefined;
    throw error;
  }
  const service = response.ServiceConfigurations?.find(candidate => candidate.ServiceId === serviceId);
  if (!service) return undefined;
  const configuration = service.PrivateDnsNameConfiguration;
  return {
    serviceId,
    privateDnsName: service.PrivateDnsName || undefined,
    state: configuration?.State,
    recordName: configuration?.Name,
    recordValue: configuration?.Value,
  };
}

/** {@link describeServiceDns}, whose errors name the service and the private DNS name it is read for. */
export async function readServiceDns(ec2: EC2Client, serviceId: string, privateDnsName: string): Promise<ServiceDns | undefined> {
  try {
    return await describeServiceDns(ec2, serviceId);
  } catch (error) {
    throw new Error(`Could not check the private DNS name ${privateDnsName} of endpoint service ${serviceId}: `
      + `${(error as Error).name}: ${(error as Error).message}`);
  }
}

/** Sets the name, and nothing else of the service's configuration. */
export async function setPrivateDnsName(ec2: EC2Client, serviceId: string, privateDnsName: string, sleep: Sleep): Promise<void> {
  const command = new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, PrivateDnsName: privateDnsName });
  await withPermissionRetry(() => ec2.send(command), sleep);
}

/** Removes the name, and nothing else of the service's configuration. */
export async function removePrivateDnsName(ec2: EC2Client, serviceId: string, sleep: Sleep): Promise<void> {
  const command = new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, RemovePrivateDnsName: true });
  await withPermissionRetry(() => ec2.send(command), sleep);
}

export async function startVerification(ec2: EC2Client, serviceId: string, sleep: Sleep): Promise<void> {
  await withPermissionRetry(() => ec2.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: serviceId })), sleep);
}

export function isServiceNotFound(error: unknown): boolean {
  return /^InvalidVpcEndpointServiceId\.NotFound$|^InvalidVpcEndpointService\.NotFound$/.test((error as Error)?.name ?? '');
}
