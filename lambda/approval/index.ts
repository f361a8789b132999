import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context, SNSEvent } from 'aws-lambda';
import { Dependencies } from './approve';
import { SDK_RETRY, newEc2Client } from './ec2';
import { onNotification } from './notification';
import { OnEventResponse, onEvent } from './on-event';
import { APPROVAL_STACK_ENV } from '../../src/approval/handler-contract';

const POLL_INTERVAL_MS = 10_000;

let dependencies: Dependencies | undefined;

function realDependencies(): Dependencies {
  const stackId = process.env[APPROVAL_STACK_ENV];
  if (!stackId) throw new Error(`The environment variable ${APPROVAL_STACK_ENV} is not set: the handler does not know its own stack.`);
  dependencies ??= {
    ec2: newEc2Client(),
    cloudformation: new CloudFormationClient(SDK_RETRY),
    stackId,
    now: () => Date.now(),
    sleep: milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds)),
    pollIntervalMs: POLL_INTERVAL_MS,
  };
  return dependencies;
}

/** One function serves both paths: CloudFormation requests (through the provider framework) and SNS notifications. */
export async function handler(event: CloudFormationCustomResourceEvent | SNSEvent, context: Context): Promise<OnEventResponse | void> {
  return handle(event, realDependencies(), () => context.getRemainingTimeInMillis());
}

export async function handle(
  event: CloudFormationCustomResourceEvent | SNSEvent, deps: Dependencies, remainingMs: () => number,
): Promise<OnEventResponse | void> {
  if (event !== null && typeof event === 'object' && 'Records' in event) return onNotification(event, deps, remainingMs);
  return onEvent(event, deps, remainingMs);
}
