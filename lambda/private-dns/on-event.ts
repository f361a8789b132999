import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { confirmRequest, issuedId, templateHolder } from './confirm';
import { DNS_NAME_KIND, VERIFICATION_KIND } from './kinds';
import { DnsNameProperties } from './properties';
import {
  ServiceDns, describeServiceDns, readServiceDns, removePrivateDnsName, setPrivateDnsName, startVerification,
} from './service-dns';
import { PRIVATE_DNS_ATTRIBUTE as ATTRIBUTE } from '../../src/provider/private-dns-contract';
import { Dependencies } from '../approval/approve';
import { logEvent } from '../approval/log';
import { Phase } from '../approval/phase';
import { StackReader } from '../approval/stack';

/** What the provider framework expects back from the user handler, with the resource's attributes. */
export interface DnsResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string | number>;
}

/** Waits before reading the service again when EC2 does not show the name just set yet. */
const READ_BACK_DELAYS_MS = [1_000, 3_000, 10_000];

/**
 * Sets the name on a create or update (also the previous name, when a rollback puts it back),
 * and returns the TXT record to publish; a create or update that fails after the set removes the
 * name again. On a delete removes it, unless the service has another name now (set by a newer
 * generation) or is gone, or another resource of the template holds the same name on it.
 * Nothing else of the service is changed.
 */
export async function onDnsNameEvent(event: CloudFormationCustomResourceEvent, deps: Dependencies): Promise<DnsResponse> {
  const { properties, putBack, phase, stack } = await confirmRequest(event, deps, DNS_NAME_KIND);
  const { serviceId, privateDnsName } = properties;
  const current = await readServiceDns(deps.ec2, serviceId, privateDnsName);
  if (event.RequestType === 'Delete') {
    await removeIfOurs(deps, properties, current, () => otherHolder(event.LogicalResourceId, phase, stack, properties));
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (!current) throw new Error(`Cannot set the private DNS name ${privateDnsName} of endpoint service ${serviceId}: EC2 does not know the service.`);
  const dns = current.privateDnsName !== privateDnsName ? await setName(deps, properties, current, event.RequestType, putBack)
    : current.recordName ? current : await readBack(deps, properties);
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
  const current = await readServiceDns(deps.ec2, serviceId, privateDnsName);
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

async function removeIfOurs(deps: Dependencies, { serviceId, privateDnsName }: DnsNameProperties, current: ServiceDns | undefined,
  holder: () => Promise<string | undefined>): Promise<void> {
  if (!current) {
    logEvent('skipped', { serviceId, privateDnsName, reason: 'the endpoint service is gone' });
  } else if (current.privateDnsName !== privateDnsName) {
    logEvent('skipped', { serviceId, privateDnsName, reason: `the service's private DNS name is ${current.privateDnsName ?? '(none)'} now: left as it is` });
  } else {
    const held = await holder();
    if (held !== undefined) {
      logEvent('skipped', { serviceId, privateDnsName, reason: `the template's ${held} has the same name on the service: left as it is` });
      return;
    }
    await carryOut(`remove the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => removePrivateDnsName(deps.ec2, serviceId, deps.sleep));
    logEvent('privateDnsNameRemoved', { serviceId, privateDnsName });
  }
}

/**
 * Another resource of the template with the same name on the same service, which holds the name
 * now: in the cleanup after an update, any of the new template (also this logical ID, replaced
 * with equal properties); in a rollback, any other of the template (a renamed resource whose
 * creation is rolled back). None when the whole stack is deleted.
 */
async function otherHolder(logicalId: string, phase: Phase, stack: StackReader, { serviceId, privateDnsName }: DnsNameProperties)
  : Promise<string | undefined> {
  if (phase !== 'cleanup' && phase !== 'rollback') return undefined;
  return templateHolder(stack, DNS_NAME_KIND, held => held.serviceId === serviceId && held.privateDnsName === privateDnsName,
    phase === 'rollback' ? logicalId : undefined);
}

/**
 * Sets the name and reads it back. When that fails, the name may be set all the same: unless a
 * rollback puts it back, the name is removed again if the service has it, because CloudFormation
 * sends no delete for it (the provider framework answers the delete of a failed create itself,
 * and a failed update keeps the previous physical ID).
 */
async function setName(deps: Dependencies, properties: DnsNameProperties, current: ServiceDns, requestType: string,
  putBack: boolean): Promise<ServiceDns> {
  const { serviceId, privateDnsName } = properties;
  try {
    await carryOut(`set the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => setPrivateDnsName(deps.ec2, serviceId, privateDnsName, deps.sleep));
    logEvent('privateDnsNameSet', { serviceId, privateDnsName, previous: current.privateDnsName ?? null, requestType });
    return await readBack(deps, properties);
  } catch (error) {
    throw putBack ? error : await undo(deps, properties, error as Error);
  }
}

/** Removes the name again after a failed set, if the service has it; the error to fail the request with. */
async function undo(deps: Dependencies, { serviceId, privateDnsName }: DnsNameProperties, failure: Error): Promise<Error> {
  try {
    const now = await describeServiceDns(deps.ec2, serviceId);
    if (now?.privateDnsName !== privateDnsName) return failure;
    await removePrivateDnsName(deps.ec2, serviceId, deps.sleep);
    logEvent('privateDnsNameRemoved', { serviceId, privateDnsName, reason: 'the request failed after the name was set' });
    return new Error(`${failure.message} The name was removed again.`);
  } catch (error) {
    return new Error(`${failure.message} The endpoint service may still have the private DNS name ${privateDnsName}: it could not be `
      + `removed again (${(error as Error).name}: ${(error as Error).message}). Unless a deployment sets it again, remove it with `
      + `aws ec2 modify-vpc-endpoint-service-configuration --service-id ${serviceId} --remove-private-dns-name.`);
  }
}

/** The service's name and record once EC2 shows the name just set. */
async function readBack(deps: Dependencies, { serviceId, privateDnsName }: DnsNameProperties): Promise<ServiceDns> {
  for (let attempt = 0; ; attempt++) {
    const dns = await readServiceDns(deps.ec2, serviceId, privateDnsName);
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
