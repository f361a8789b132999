import { Dependencies } from './approve';
import { restingPhase } from './phase';
import { StackReader } from './stack';
import { UnreadableApproval, templateApprovals } from './template-approvals';
import { watchApprovals } from './watch';

/** The event of an EventBridge schedule, as far as the handler reads it. */
export interface ScheduledEvent {
  readonly 'source': string;
  readonly 'detail-type': string;
}

/** Whether an event is an EventBridge schedule's: only a trigger, like a notification. */
export function isScheduledEvent(event: unknown): event is ScheduledEvent {
  const candidate = event as Partial<ScheduledEvent> | null;
  return typeof candidate === 'object' && candidate !== null
    && candidate.source === 'aws.events' && candidate['detail-type'] === 'Scheduled Event';
}

/**
 * Continuous enforcement on a schedule: catches what a lost notification missed. Runs only
 * while the stack is at rest (never during a deployment, a rollback or a deletion), for every
 * approval of the stack's deployed template, over every connection of its service.
 */
export async function onSchedule(deps: Dependencies): Promise<void> {
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  if (!await restingPhase(stack, { trigger: 'Schedule', reason: 'the stack is not at rest: enforcement runs only between deployments' })) return;
  const unreadable: UnreadableApproval[] = [];
  const approvals = await templateApprovals(stack, { deployedOnly: true, unreadable });
  await watchApprovals(deps, stack, { trigger: 'Schedule', approvals, unreadable, endpointIds: new Set(), enforce: true });
}
