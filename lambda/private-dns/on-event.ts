import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { confirmRequest, issuedId } from './confirm';
import { DNS_NAME_KIND, VERIFICATION_KIND } from './kinds';
import { DnsNameProperties } from './properties';
import { ServiceDns, describeServiceDns, removePrivateDnsName, setPrivateDnsName, startVerification } from './service-dns';
import { PRIVATE_DNS_ATTRIBUTE as ATTRIBUTE } from '../../src/provider/private-dns-contract';
import { Dependencies } from '../approval/approve';
import { logEvent } from '../approval/log';

/** What the provider framework expects back from the user handler, with the resource's attributes. */
export interface DnsResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string | number>;
}

/** Waits before reading the service again when EC2 does not show the name just set yet. */
const READ_BACK_DELAYS_MS = [1_000, 3_000, 10_000];

/**
 * Sets the name on a create or update (also the previous name, when a rollback puts it back),
 * and returns the TXT record to publish; on a delete removes it, unless the service has another
 * name now (set by a newer generation) or is gone. Nothing else of the service is changed.
 */
export async function onDnsNameEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies): Promise<DnsResponse> {
  const { properties, putBack } = await confirmRequest(event, deps, DNS_NAME_KIND);
  const { serviceId, privateDnsName } = properties;
  const current = await describeServiceDns(deps.ec2, serviceId);
  if (event.RequestType === 'Delete') {
    await removeIfOurs(deps, properties, current);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (!current) throw new Error(`Cannot set the private DNS name ${privateDnsName} of endpoint service ${serviceId}: EC2 does not know the service.`);
  if (current.privateDnsName !== privateDnsName) {
    await carryOut(`set the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => setPrivateDnsName(deps.ec2, serviceId, privateDnsName, deps.sleep));
    logEvent('privateDnsNameSet', { serviceId, privateDnsName, previous: current.privateDnsName ?? null, requestType: event.RequestType });
  }
  const dns = current.privateDnsName === privateDnsName && current.recordName ? current : await readBack(deps, properties);
  return {
    PhysicalResourceId: putBack && event.RequestType === 'Update' ? event.PhysicalResourceId : issuedId(event, deps, DNS_NAME_KIND, properties),
    Data: { [ATTRIBUTE.recordName]: dns.recordName!, [ATTRIBUTE.recordValue]: dns.recordValue!, [ATTRIBUTE.state]: dns.state ?? 'pendingVerification' },
  };
}

/**
 * Starts the verification of the domain, unless it is verified already, and answers with until
 * when the provider framework's completion checks wait (0: no wait; nor in a rollback). A delete
 * changes nothing: a verification cannot be undone.
 */
export async function onVerificationEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies): Promise<DnsResponse> {
  const { properties, putBack } = await confirmRequest(event, deps, VERIFICATION_KIND);
  const { serviceId, privateDnsName } = properties;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId, Data: { [ATTRIBUTE.waitUntil]: 0 } };
  const current = await describeServiceDns(deps.ec2, serviceId);
  if (current?.privateDnsName !== privateDnsName) {
    throw new Error(`Cannot verify the private DNS name ${privateDnsName} of endpoint service ${serviceId}: `
      + (current ? `the service's private DNS name is ${current.privateDnsName ?? '(none)'}.` : 'EC2 does not know the service.'));
  }
  const verified = current.state === 'verified';
  if (!verified) {
    await carryOut(`start the verification of ${privateDnsName} for endpoint service ${serviceId}`,
      () => startVerification(deps.ec2, serviceId, deps.sleep));
    logEvent('privateDnsVerificationStarted', { serviceId, privateDnsName, record: properties.verificationRecord });
  }
  const waits = !verified && !putBack && properties.waitSeconds > 0;
  return {
    PhysicalResourceId: putBack && event.RequestType === 'Update' ? event.PhysicalResourceId : issuedId(event, deps, VERIFICATION_KIND, properties),
    Data: {
      [ATTRIBUTE.waitUntil]: waits ? deps.now() + properties.waitSeconds * 1000 : 0,
      [ATTRIBUTE.state]: verified ? 'verified' : 'pendingVerification',
    },
  };
}

async function removeIfOurs(deps: Dependencies, { serviceId, privateDnsName }: DnsNameProperties, current: ServiceDns | undefined): Promise<void> {
  if (!current) {
    logEvent('skipped', { serviceId, privateDnsName, reason: 'the endpoint service is gone' });
  } else if (current.privateDnsName !== privateDnsName) {
    logEvent('skipped', { serviceId, privateDnsName, reason: `the service's private DNS name is ${current.privateDnsName ?? '(none)'} now: left as it is` });
  } else {
    await carryOut(`remove the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => removePrivateDnsName(deps.ec2, serviceId, deps.sleep));
    logEvent('privateDnsNameRemoved', { serviceId, privateDnsName });
  }
}

/** The service's name and record once EC2 shows the name just set. */
async function readBack(deps: Dependencies, { serviceId, privateDnsName }: DnsNameProperties): Promise<ServiceDns> {
  for (let attempt = 0; ; attempt++) {
    const dns = await describeServiceDns(deps.ec2, serviceId);
    if (dns?.privateDnsName === privateDnsName && dns.recordName && dns.recordValue) return dns;
    if (attempt >= READ_BACK_DELAYS_MS.length) {
      throw new Error(`Set the private DNS name ${privateDnsName} of endpoint service ${serviceId}, but EC2 does not report it with `
        + `its verification record (it reports ${dns?.privateDnsName ?? 'no name'}): retry the deployment.`);
    }
    await deps.sleep(READ_BACK_DELAYS_MS[attempt]);
  }
}

async function carryOut(what: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    throw new Error(`Could not ${what}: ${(error as Error).name}: ${(error as Error).message}`);
  }
}
