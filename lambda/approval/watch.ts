import { Dependencies, watchService } from './approve';
import { logRunFailed, markLogged } from './log';
import { phaseOf } from './phase';
import { StackReader } from './stack';
import { TemplateApproval, UnreadableApproval } from './template-approvals';

/** What a run between deployments looks at. */
export interface WatchScope {
  readonly trigger: 'Notification' | 'Schedule';
  /** The approvals of the stack's deployed template. */
  readonly approvals: readonly TemplateApproval[];
  /** Approvals of the template that could not be bound to their deployed physical ID. */
  readonly unreadable: readonly UnreadableApproval[];
  /** The endpoints a notification names; empty: every connection of each service. */
  readonly endpointIds: ReadonlySet<string>;
  /** Whether to look for connections accepted outside the approval: only while the stack is at rest. */
  readonly enforce: boolean;
}

/**
 * Runs `watchService` for every service that the approvals approve, each service on its own:
 * one service's failure is logged for that service and does not keep the others from being
 * looked at. While enforcing, an approval of the template that cannot be bound to what
 * CloudFormation deployed is a failure too (of its service, when that resolved): its
 * connections are not enforced, which must not go unnoticed. The run fails at the end, naming each.
 */
export async function watchApprovals(deps: Dependencies, stack: StackReader, scope: WatchScope): Promise<void> {
  const byService = new Map<string, TemplateApproval[]>();
  for (const approval of scope.approvals) {
    const serviceId = approval.properties.policy.serviceId;
    byService.set(serviceId, [...byService.get(serviceId) ?? [], approval]);
  }
  const stillSettled = unchangedSince(stack);
  const failures: string[] = [];
  for (const [serviceId, ofService] of [...byService].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    try {
      await watchService(deps, {
        trigger: scope.trigger,
        serviceId,
        endpointIds: scope.endpointIds,
        enforce: scope.enforce,
        stillSettled,
        approvals: ofService.map(approval => approval.properties),
      });
    } catch (error) {
      logRunFailed(scope.trigger, serviceId, error);
      failures.push(`${serviceId}: ${(error as Error).message}`);
    }
  }
  if (scope.enforce) {
    for (const { serviceId, reason } of scope.unreadable) {
      const error = new Error(`Cannot enforce the ${reason}`);
      logRunFailed(scope.trigger, serviceId, error);
      failures.push(error.message);
    }
  }
  if (failures.length > 0) throw markLogged(new Error(`The ${scope.trigger.toLowerCase()} run failed for ${failures.join(' ')}`));
}

/**
 * Whether no deployment began since the run started: the stack's `LastUpdatedTime` is the same,
 * and its phase the same or at rest since (a creation or cleanup that completed changes no
 * template). Read again just before a change, so that nothing is accepted or rejected from a
 * template that a deployment replaced meanwhile.
 */
function unchangedSince(stack: StackReader): () => Promise<boolean> {
  const before = stack.describe();
  return async () => {
    const [then, now] = [await before, await stack.describe(true)];
    const [was, is] = [phaseOf(then.StackStatus ?? ''), phaseOf(now.StackStatus ?? '')];
    return (is === was || (is === 'settled' && (was === 'create' || was === 'cleanup')))
      && String(now.LastUpdatedTime?.valueOf()) === String(then.LastUpdatedTime?.valueOf());
  };
}
