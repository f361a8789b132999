import type { SNSEvent } from 'aws-lambda';
import { Dependencies, approveLateArrivals } from './approve';
import { logEvent } from './log';
import { isEndpointId, isEndpointServiceId } from '../../src/validation/formats';

/** The service and endpoint IDs a connection notification mentions. */
export interface NotifiedIds {
  readonly serviceIds: string[];
  readonly endpointIds: string[];
}

/**
 * Reads the IDs out of a notification. The message is only a trigger: what is accepted is
 * decided from the EC2 API and the stored list, never from the message.
 */
export function notifiedIds(message: string): NotifiedIds {
  const matches = (pattern: RegExp) => [...new Set(message.match(pattern) ?? [])];
  return {
    serviceIds: matches(/\bvpce-svc-[0-9a-f]+\b/g).filter(isEndpointServiceId),
    endpointIds: matches(/\bvpce-(?!svc-)[0-9a-f]+\b/g).filter(isEndpointId),
  };
}

/** The late-arrival path: one run per service named in each SNS record. */
export async function onNotification(event: SNSEvent, deps: Dependencies): Promise<void> {
  for (const record of event.Records) {
    const ids = notifiedIds(record.Sns.Message);
    if (ids.serviceIds.length === 0) logEvent('ignored', { reason: 'the notification names no endpoint service' });
    for (const serviceId of ids.serviceIds) {
      await approveLateArrivals(deps, serviceId, ids.endpointIds.length > 0 ? ids.endpointIds : undefined);
    }
  }
}
