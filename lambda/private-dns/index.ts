import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { IsCompleteResponse, isCompletionCheck, isVerificationComplete } from './is-complete';
import { DnsResponse, onDnsNameEvent, onVerificationEvent } from './on-event';
import { PRIVATE_DNS_NAME_RESOURCE_TYPE, PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE } from '../../src/provider/private-dns-contract';
import { Dependencies } from '../approval/approve';

/** Whether the event is the private DNS handler's: a request for one of its resource types, or a completion check. */
export function isPrivateDnsEvent(event: unknown): boolean {
  const type = (event as { ResourceType?: unknown } | null)?.ResourceType;
  return type === PRIVATE_DNS_NAME_RESOURCE_TYPE || type === PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE;
}

/** Requests of the private DNS resources, and the provider framework's checks whether a verification is complete. */
export async function onPrivateDnsEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies): Promise<DnsResponse | IsCompleteResponse> {
  if (event.StackId !== deps.stackId) {
    throw new Error(`Refused a ${event.RequestType} request for stack ${event.StackId}: this handler acts only for its own `
      + `stack ${deps.stackId}. Nothing was changed.`);
  }
  if (isCompletionCheck(event)) return isVerificationComplete(event, deps);
  if (event.ResourceType === PRIVATE_DNS_NAME_RESOURCE_TYPE) return onDnsNameEvent(event, deps);
  return onVerificationEvent(event, deps);
}
