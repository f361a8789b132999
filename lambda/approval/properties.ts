import { ApprovalPolicy, RemovalAction, UnlistedAcceptedAction } from './decide';
import { APPROVAL_PROPERTY as PROPERTY, UNLISTED_ACCEPTED_ACTIONS } from '../../src/approval/handler-contract';
import { endpointIdProblem, isAccountId, isEndpointServiceId, repeatedValues } from '../../src/validation/formats';

/** The custom resource's properties, checked again now that every token has resolved. */
export interface ApprovalProperties {
  readonly policy: ApprovalPolicy;
  readonly onRemoval: RemovalAction;
  /** How long to wait for listed IDs that have no connection request yet; 0 fails at once. */
  readonly waitSeconds: number;
  /** Leave listed IDs with no connection request to the late-arrival path instead of failing. */
  readonly acceptOnArrival: boolean;
  /** What continuous enforcement does with a connection accepted outside the approval. */
  readonly unlistedAccepted: UnlistedAcceptedAction;
}

/** CloudFormation passes every scalar as a string; this reads them back and checks them. */
export function parseProperties(raw: Record<string, unknown> | undefined): ApprovalProperties {
  const props = raw ?? {};
  const serviceId = String(props[PROPERTY.serviceId] ?? '');
  if (!isEndpointServiceId(serviceId)) {
    throw new Error(`Invalid endpoint service ID '${serviceId}': expected 'vpce-svc-' followed by 8 or 17 lowercase hexadecimal characters.`);
  }
  const listed = stringList(props[PROPERTY.endpointIds], PROPERTY.endpointIds);
  const problems = listed.map(endpointIdProblem).filter((problem): problem is string => problem !== undefined);
  const repeated = repeatedValues(listed);
  if (repeated.length > 0) problems.push(`Endpoint IDs listed more than once: ${repeated.join(', ')}; list each ID once.`);
  const ownersRaw = props[PROPERTY.allowedOwners];
  const allowedOwners = ownersRaw === undefined ? undefined : stringList(ownersRaw, PROPERTY.allowedOwners);
  for (const owner of allowedOwners ?? []) {
    if (!isAccountId(owner)) problems.push(`Invalid allowed owner '${owner}': expected a 12-digit AWS account ID.`);
  }
  const onRemoval = String(props[PROPERTY.onRemoval] ?? 'leave');
  if (onRemoval !== 'reject' && onRemoval !== 'leave') problems.push(`Invalid OnRemoval '${onRemoval}': expected 'reject' or 'leave'.`);
  const waitSeconds = wholeNumber(props[PROPERTY.waitSeconds] ?? 0);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) problems.push(`Invalid WaitSeconds '${props[PROPERTY.waitSeconds]}': expected a whole number of seconds, 0 or more.`);
  const unlistedAccepted = String(props[PROPERTY.unlistedAccepted] ?? 'report');
  if (!(UNLISTED_ACCEPTED_ACTIONS as readonly string[]).includes(unlistedAccepted)) {
    problems.push(`Invalid UnlistedAccepted '${unlistedAccepted}': expected ${UNLISTED_ACCEPTED_ACTIONS.map(a => `'${a}'`).join(' or ')}.`);
  }
  if (unlistedAccepted === 'reject' && onRemoval !== 'reject') {
    problems.push('UnlistedAccepted \'reject\' needs OnRemoval \'reject\': it rejects the connections of removed IDs, which OnRemoval \'leave\' keeps.');
  }
  if (problems.length > 0) throw new Error(`Connection approval for ${serviceId} has bad properties: ${problems.join(' ')}`);

  return {
    policy: { serviceId, listed, allowedOwners, rejectUnlisted: String(props[PROPERTY.rejectUnlisted]) === 'true' },
    onRemoval: onRemoval as RemovalAction,
    waitSeconds,
    acceptOnArrival: String(props[PROPERTY.acceptOnArrival]) === 'true',
    unlistedAccepted: unlistedAccepted as UnlistedAcceptedAction,
  };
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`Invalid ${name}: expected a list of strings, got ${JSON.stringify(value)}.`);
  return value.map(String);
}

/**
 * A JSON number, or the decimal digits CloudFormation sends for it; `NaN` for anything else, which
 * `Number()` would read too ('1e3', '0x10', ' 60', '', `[60]`, `true`).
 */
export function wholeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
}
