import { Dependencies, watchService } from './approve';
import { logRunFailed } from './log';
import { phaseOf } from './phase';
import { StackReader } from './stack';
import { TemplateApproval } from './template-approvals';

/** A failure already logged, per service, by the run that met it. */
export class LoggedFailure extends Error {}

/**
 * Runs `watchService` for every service that the approvals approve, each service on its own:
 * one service's failure is logged for that service and does not keep the others from being
 * looked at; the run fails at the end, naming each.
 */
export async function watchApprovals(
  deps: Dependencies, stack: StackReader, trigger: 'Notification' | 'Schedule',
  approvals: readonly TemplateApproval[], endpointIds: ReadonlySet<string>, enforce: boolean,
): Promise<void> {
  const byService = new Map<string, TemplateApproval[]>();
  for (const approval of approvals) {
    const serviceId = approval.properties.policy.serviceId;
    byService.set(serviceId, [...byService.get(serviceId) ?? [], approval]);
  }
  const stillSettled = unchangedSince(stack);
  const failures: string[] = [];
  for (const [serviceId, ofService] of [...byService].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    try {
      await watchService(deps, {
        trigger, serviceId, endpointIds, enforce, stillSettled,
        approvals: ofService.map(approval => approval.properties),
      });
    } catch (error) {
      logRunFailed(trigger, serviceId, error);
      failures.push(`${serviceId}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new LoggedFailure(`The ${trigger.toLowerCase()} run failed for ${failures.join(' ')}`);
}

/**
 * Whether the stack is still in the phase, and at the update, that the run started in: read
 * again before a change, so that no deployment began (and ended) between reading the template
 * and changing a connection.
 */
function unchangedSince(stack: StackReader): () => Promise<boolean> {
  const before = stack.describe();
  return async () => {
    const [then, now] = [await before, await stack.describe(true)];
    return phaseOf(now.StackStatus ?? '') === phaseOf(then.StackStatus ?? '')
      && String(now.LastUpdatedTime?.valueOf()) === String(then.LastUpdatedTime?.valueOf());
  };
}
