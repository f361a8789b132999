import { IConstruct } from 'constructs';
import { ServiceRegistry } from '../service-registry';
import { fail, methodName } from '../validation';
import { tokenText } from '../validation/token-text';

const APPROVED_SERVICES = new ServiceRegistry();

/**
 * Records that `approval` approves the connections of `serviceId`; a second approval of the
 * same service anywhere in the app is refused, naming both. Two approvals of one service would
 * reject each other's IDs.
 */
export function registerApprovedService(approval: IConstruct, serviceId: string): void {
  const first = APPROVED_SERVICES.claim(approval, serviceId);
  if (first) {
    fail(approval, `Endpoint service ${tokenText(serviceId)} already has a connection approval in this app (${first}): `
      + `expected one approval per service; add endpoint IDs to it with ${methodName('addEndpointIds')} or ${methodName('approveEndpoints')}.`);
  }
}
