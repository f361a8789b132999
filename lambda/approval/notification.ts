import type { SNSEvent } from 'aws-lambda';
import { Dependencies } from './approve';
import { logEvent } from './log';
import { Phase, currentPhase, restingPhase } from './phase';
import { StackReader } from './stack';
import { UnreadableApproval, templateApprovals } from './template-approvals';
import { watchApprovals } from './watch';
import { isEndpointId, isEndpointServiceId } from '../../src/validation/formats';

/** The service and endpoint IDs a connection notification mentions. */
export interface NotifiedIds {
  readonly serviceIds: string[];
  readonly endpointIds: string[];
}

/** Time kept back from the Lambda timeout while waiting for the stack to settle. */
const SAFETY_MARGIN_MS = 60_000;
/**
 * The longest one run waits for the stack to settle: with Lambda's two retries (after about one
 * and two more minutes) a notification is tried for about 9 minutes, and a flood of forged
 * notifications holds the function and reads the stack only that long each.
 */
export const MAX_SETTLE_WAIT_MS = 120_000;
/** Phases in which the template is the one CloudFormation deployed (or is creating) and nothing is rolling back. */
const TEMPLATE_SETTLED: readonly Phase[] = ['settled', 'cleanup', 'create'];
/** Phases that end by themselves: the run waits for them. */
const TEMPLATE_CHANGING: readonly Phase[] = ['update', 'rollback'];

/**
 * Reads the IDs out of a notification. The message is only a trigger: what is accepted is
 * decided from the EC2 API and the stack's template, never from the message.
 */
export function notifiedIds(message: string): NotifiedIds {
  const matches = (pattern: RegExp) => [...new Set(message.match(pattern) ?? [])];
  return {
    serviceIds: matches(/\bvpce-svc-[0-9a-f]+\b/g).filter(isEndpointServiceId),
    endpointIds: matches(/\bvpce-(?!svc-)[0-9a-f]+\b/g).filter(isEndpointId),
  };
}

/**
 * The path of connection notifications (`Connect` for late arrivals, `Accept` for continuous
 * enforcement). The list, the owners and the options come from the stack's deployed template,
 * resolved, read at the time of the notification; only the services that the message names and
 * an approval of this stack approves are looked at. While the stack is being updated or rolled
 * back, which template `GetTemplate` returns is not documented, so the run waits for the stack to
 * settle, and fails (Lambda retries it, then sends it to the dead-letter queue) if it does not in
 * time. Accepted connections outside the approval are looked for only while the stack is at rest.
 */
export async function onNotification(event: SNSEvent, deps: Dependencies, remainingMs: () => number): Promise<void> {
  const serviceIds = new Set<string>();
  const endpointIds = new Set<string>();
  for (const record of event.Records ?? []) {
    const ids = notifiedIds(String(record?.Sns?.Message ?? ''));
    ids.serviceIds.forEach(id => serviceIds.add(id));
    ids.endpointIds.forEach(id => endpointIds.add(id));
  }
  if (serviceIds.size === 0) {
    logEvent('ignored', { reason: 'the notification names no endpoint service' });
    return;
  }
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const phase = isEnforcementOnly(event, deps)
    ? await restingPhase(stack, { reason: 'an Accept notification while the stack is not at rest: the next scheduled run looks at it' })
    : await settledPhase(stack, deps, remainingMs);
  if (!phase) return;
  const unreadable: UnreadableApproval[] = [];
  const approvals = await templateApprovals(stack, { serviceIds, deployedOnly: true, unreadable });
  const services = new Set(approvals.map(approval => approval.properties.policy.serviceId));
  for (const serviceId of [...serviceIds].filter(id => !services.has(id)).sort()) {
    logEvent('ignored', { serviceId, reason: 'no approval of this service in the stack\'s deployed template' });
  }
  const enforce = phase === 'settled';
  if (!enforce) logEvent('notEnforced', { reason: 'the stack is being deployed: only late arrivals are accepted; the schedule looks for connections accepted outside the approval' });
  await watchApprovals(deps, stack, { trigger: 'Notification', approvals, unreadable, endpointIds, enforce });
}

/** Whether every record comes from the enforcement topic (`Accept` notifications only). */
function isEnforcementOnly(event: SNSEvent, deps: Dependencies): boolean {
  const records = event.Records ?? [];
  return deps.enforcementTopicArn !== undefined && records.length > 0
    && records.every(record => record?.Sns?.TopicArn === deps.enforcementTopicArn);
}

/**
 * The phase in which the template can be read, once it can; waits while the stack changes, fails
 * when it never settles; `undefined` while the stack is deleted.
 */
async function settledPhase(stack: StackReader, deps: Dependencies, remainingMs: () => number): Promise<Phase | undefined> {
  const giveUpAt = deps.now() + Math.min(MAX_SETTLE_WAIT_MS, remainingMs() - SAFETY_MARGIN_MS);
  for (let fresh = false; ; fresh = true) {
    const { phase, status } = await currentPhase(stack, fresh);
    if (TEMPLATE_SETTLED.includes(phase)) return phase;
    if (phase === 'delete') {
      logEvent('ignored', { stackStatus: status, reason: 'the stack is being deleted: nothing is accepted' });
      return undefined;
    }
    const left = giveUpAt - deps.now();
    if (!TEMPLATE_CHANGING.includes(phase) || left <= 0) {
      throw new Error(`The stack ${stack.stackId} is ${status}, so its template cannot be taken as the approved one; `
        + 'nothing was accepted. Lambda retries this notification, and then sends it to the approval\'s dead-letter queue.');
    }
    logEvent('waiting', { stackStatus: status, reason: 'waiting for the stack to settle before reading its template' });
    await deps.sleep(Math.min(deps.pollIntervalMs, left));
  }
}
