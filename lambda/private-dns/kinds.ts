import { ResourceKind } from './confirm';
import {
  DnsNameProperties, VerificationProperties, canonicalDnsName, canonicalVerification, parseDnsNameProperties, parseVerificationProperties,
} from './properties';
import {
  PRIVATE_DNS_NAME_RESOURCE_TYPE, PRIVATE_DNS_PROPERTY, PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE,
} from '../../src/provider/private-dns-contract';

export const DNS_NAME_KIND: ResourceKind<DnsNameProperties> = {
  type: PRIVATE_DNS_NAME_RESOURCE_TYPE,
  propertyNames: [PRIVATE_DNS_PROPERTY.serviceId, PRIVATE_DNS_PROPERTY.privateDnsName],
  parse: parseDnsNameProperties,
  canonical: canonicalDnsName,
};

export const VERIFICATION_KIND: ResourceKind<VerificationProperties> = {
  type: PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE,
  propertyNames: Object.values(PRIVATE_DNS_PROPERTY),
  parse: parseVerificationProperties,
  canonical: canonicalVerification,
};
