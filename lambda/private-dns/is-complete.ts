import { parseVerificationProperties } from './properties';
import { readServiceDns } from './service-dns';
import { PRIVATE_DNS_ATTRIBUTE as ATTRIBUTE, PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE } from '../../src/provider/private-dns-contract';
import { Dependencies } from '../approval/approve';

/** What the provider framework sends to ask whether a verification is complete: the request and the answer to it. */
export interface IsCompleteEvent {
  readonly RequestType: string;
  readonly ResourceType: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly Data: Record<string, unknown>;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** A completion check repeats the verification's answer, which always carries `VerificationWaitUntil`; CloudFormation's requests never do. */
export function isCompletionCheck(event: unknown): event is IsCompleteEvent {
  const candidate = event as Partial<IsCompleteEvent> | null;
  return candidate !== null && typeof candidate === 'object' && candidate.ResourceType === PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE
    && candidate.Data !== null && typeof candidate.Data === 'object' && ATTRIBUTE.waitUntil in candidate.Data;
}

/**
 * Complete when there is nothing to wait for, or the domain is verified; fails when EC2 reports
 * the verification failed, or the wait is over, naming the TXT record to publish. Only reads.
 */
export async function isVerificationComplete(event: IsCompleteEvent, deps: Dependencies): Promise<IsCompleteResponse> {
  const waitUntil = Number(event.Data[ATTRIBUTE.waitUntil]);
  if (event.RequestType === 'Delete' || !(waitUntil > 0)) return { IsComplete: true };
  const properties = parseVerificationProperties(event.ResourceProperties);
  const { serviceId, privateDnsName, verificationRecord } = properties;
  const dns = await readServiceDns(deps.ec2, serviceId, privateDnsName);
  if (dns?.state === 'verified' && dns.privateDnsName === privateDnsName) return { IsComplete: true, Data: { [ATTRIBUTE.state]: 'verified' } };
  const publish = `Publish the TXT record ${verificationRecord} with the value ${dns?.recordValue ?? '(see the service\'s verification record)'} `
    + 'in the domain\'s public DNS, then deploy again or start the verification with '
    + `aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${serviceId}.`;
  if (!dns) throw new Error(`Cannot verify the private DNS name ${privateDnsName}: EC2 does not know endpoint service ${serviceId}.`);
  if (dns.state === 'failed') {
    throw new Error(`The domain ownership verification of ${privateDnsName} for endpoint service ${serviceId} failed. ${publish}`);
  }
  if (deps.now() >= waitUntil) {
    throw new Error(`The private DNS name ${privateDnsName} of endpoint service ${serviceId} is still ${dns.state ?? 'not verified'} `
      + `after the wait for its verification. ${publish}`);
  }
  return { IsComplete: false };
}
