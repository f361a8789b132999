import { createHash } from 'crypto';
import { ApprovalProperties } from './properties';

/**
 * The properties in a canonical form: the same approval gives the same text, whatever the order
 * of its lists and whether CloudFormation sent its scalars as strings. `unlistedAccepted` is in
 * it only when it is not the default, so that physical IDs issued before it existed stay valid.
 */
export function canonical(properties: ApprovalProperties): string {
  const { policy } = properties;
  return JSON.stringify({
    serviceId: policy.serviceId,
    listed: [...policy.listed].sort(),
    allowedOwners: policy.allowedOwners ? [...policy.allowedOwners].sort() : null,
    rejectUnlisted: policy.rejectUnlisted,
    onRemoval: properties.onRemoval,
    waitSeconds: properties.waitSeconds,
    acceptOnArrival: properties.acceptOnArrival,
    ...properties.unlistedAccepted === 'report' ? {} : { unlistedAccepted: properties.unlistedAccepted },
  });
}

/**
 * The physical ID of a generation of an approval: `<service ID>/<nonce>/<digest>`, the digest
 * binding the nonce, the stack, the logical ID and the properties. The handler returns one only
 * for properties it confirmed against the template; so when CloudFormation later names this
 * physical ID (in a delete), the properties that hash to it are the ones it confirmed then.
 */
export function generationId(stackId: string, logicalId: string, nonce: string, properties: ApprovalProperties): string {
  return boundId(stackId, logicalId, nonce, properties.policy.serviceId, canonical(properties));
}

/** Whether `physicalId` is the generation ID of exactly these properties. */
export function isGenerationOf(physicalId: string, stackId: string, logicalId: string, properties: ApprovalProperties): boolean {
  return isBoundId(physicalId, stackId, logicalId, properties.policy.serviceId, canonical(properties));
}

/**
 * A physical ID `<prefix>/<nonce>/<digest>` that binds a resource's properties in their
 * canonical text (`text`) to the stack, the logical ID and the nonce: what every custom
 * resource of the handler returns for the properties it confirmed against the template.
 */
export function boundId(stackId: string, logicalId: string, nonce: string, prefix: string, text: string): string {
  const safeNonce = nonce.replace(/[^A-Za-z0-9-]/g, '');
  return `${prefix}/${safeNonce}/${digest(stackId, logicalId, safeNonce, text)}`;
}

/** Whether `physicalId` is the {@link boundId} of exactly this canonical text. */
export function isBoundId(physicalId: string, stackId: string, logicalId: string, prefix: string, text: string): boolean {
  const parts = physicalId.split('/');
  if (parts.length !== 3 || parts[0] !== prefix) return false;
  return parts[2] === digest(stackId, logicalId, parts[1], text);
}

function digest(stackId: string, logicalId: string, nonce: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([stackId, logicalId, nonce, text])).digest('hex');
}
