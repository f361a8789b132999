import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { logEvent } from './log';

/**
 * Whether the stack is rolling back (or cleaning up after a rollback). Rejections are final,
 * so they happen only when this is known to be false; when the status cannot be read, the
 * answer is `true`.
 */
export async function isRollingBack(cloudformation: CloudFormationClient, stackId: string): Promise<boolean> {
  try {
    const response = await cloudformation.send(new DescribeStacksCommand({ StackName: stackId }));
    const status = response.Stacks?.[0]?.StackStatus ?? '';
    return status === '' || status.includes('ROLLBACK');
  } catch (error) {
    logEvent('stackStatusUnknown', { stackId, reason: (error as Error).message });
    return true;
  }
}
