import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { logEvent } from './log';

/** Whether the stack is rolling back (or cleaning up after a rollback), going forward, or unknown. */
export type StackDirection = 'rollback' | 'forward' | 'unknown';

/** Reads the stack's status. Rejections are final, so callers treat `unknown` as "do not reject". */
export async function stackDirection(cloudformation: CloudFormationClient, stackId: string): Promise<StackDirection> {
  try {
    const response = await cloudformation.send(new DescribeStacksCommand({ StackName: stackId }));
    const status = response.Stacks?.[0]?.StackStatus;
    if (!status) return 'unknown';
    return status.includes('ROLLBACK') ? 'rollback' : 'forward';
  } catch (error) {
    logEvent('stackStatusUnknown', { stackId, reason: (error as Error).message });
    return 'unknown';
  }
}
