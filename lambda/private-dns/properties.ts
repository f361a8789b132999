import { MAX_VERIFICATION_WAIT_MINUTES, PRIVATE_DNS_PROPERTY as PROPERTY } from '../../src/provider/private-dns-contract';
import { isEndpointServiceId } from '../../src/validation/formats';
import { wholeNumber } from '../approval/properties';

/** The properties of a private DNS name resource, checked again now that every token has resolved. */
export interface DnsNameProperties {
  readonly serviceId: string;
  readonly privateDnsName: string;
}

/** The properties of a verification resource. */
export interface VerificationProperties extends DnsNameProperties {
  /** The TXT record's name, as the record set's physical ID. */
  readonly verificationRecord: string;
  readonly waitSeconds: number;
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_WAIT_SECONDS = MAX_VERIFICATION_WAIT_MINUTES * 60;

export function parseDnsNameProperties(raw: Record<string, unknown> | undefined): DnsNameProperties {
  const props = raw ?? {};
  const serviceId = String(props[PROPERTY.serviceId] ?? '');
  const privateDnsName = String(props[PROPERTY.privateDnsName] ?? '');
  const problems: string[] = [];
  if (!isEndpointServiceId(serviceId)) {
    problems.push(`Invalid endpoint service ID '${serviceId}': expected 'vpce-svc-' followed by 8 or 17 lowercase hexadecimal characters.`);
  }
  if (privateDnsName.length > 255 || !DNS_NAME.test(privateDnsName)) {
    problems.push(`Invalid private DNS name '${privateDnsName}': expected a lowercase DNS name like 'api.example.com' or '*.example.com'.`);
  }
  if (problems.length > 0) throw new Error(`Private DNS name of ${serviceId || 'an endpoint service'} has bad properties: ${problems.join(' ')}`);
  return { serviceId, privateDnsName };
}

export function parseVerificationProperties(raw: Record<string, unknown> | undefined): VerificationProperties {
  const props = raw ?? {};
  const name = parseDnsNameProperties(props);
  const verificationRecord = String(props[PROPERTY.verificationRecord] ?? '');
  const waitSeconds = wholeNumber(props[PROPERTY.waitSeconds] ?? 0);
  const problems: string[] = [];
  if (verificationRecord.length === 0) problems.push(`${PROPERTY.verificationRecord} is empty: expected the TXT record's name.`);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
    problems.push(`Invalid ${PROPERTY.waitSeconds} '${props[PROPERTY.waitSeconds]}': expected a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`);
  }
  if (problems.length > 0) throw new Error(`Verification of ${name.privateDnsName} for ${name.serviceId} has bad properties: ${problems.join(' ')}`);
  return { ...name, verificationRecord, waitSeconds };
}

/** The properties in a canonical form, whether CloudFormation sent the number as a string or not. */
export function canonicalDnsName(properties: DnsNameProperties): string {
  return JSON.stringify({ serviceId: properties.serviceId, privateDnsName: properties.privateDnsName });
}

export function canonicalVerification(properties: VerificationProperties): string {
  return JSON.stringify({
    serviceId: properties.serviceId,
    privateDnsName: properties.privateDnsName,
    verificationRecord: properties.verificationRecord,
    waitSeconds: properties.waitSeconds,
  });
}
