import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context, SNSEvent } from 'aws-lambda';
import { Dependencies } from './approve';
import { SDK_RETRY, newEc2Client } from './ec2';
import { Trigger, isLogged, logRunFailed } from './log';
import { onNotification } from './notification';
import { OnEventResponse, onEvent } from './on-event';
import { ScheduledEvent, isScheduledEvent, onSchedule } from './schedule';
import { APPROVAL_STACK_ENV, ENFORCEMENT_TOPIC_ENV } from '../../src/approval/handler-contract';
import { isPrivateDnsEvent, onPrivateDnsEvent } from '../private-dns';
import { IsCompleteResponse } from '../private-dns/is-complete';
import { DnsResponse } from '../private-dns/on-event';

const POLL_INTERVAL_MS = 10_000;

let dependencies: Dependencies | undefined;

function realDependencies(): Dependencies {
  const stackId = process.env[APPROVAL_STACK_ENV];
  if (!stackId) throw new Error(`The environment variable ${APPROVAL_STACK_ENV} is not set: the handler does not know its own stack.`);
  dependencies ??= {
    ec2: newEc2Client(),
    cloudformation: new CloudFormationClient(SDK_RETRY),
    stackId,
    enforcementTopicArn: process.env[ENFORCEMENT_TOPIC_ENV] || undefined,
    now: () => Date.now(),
    sleep: milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds)),
    pollIntervalMs: POLL_INTERVAL_MS,
  };
  return dependencies;
}

type HandlerEvent = CloudFormationCustomResourceEvent | SNSEvent | ScheduledEvent;
type HandlerResponse = OnEventResponse | DnsResponse | IsCompleteResponse | void;

/**
 * One function serves every path: CloudFormation requests of the approvals and of the private
 * DNS names (through the provider framework), SNS connection notifications, and the enforcement schedule. Every event is only a trigger
 * or a claim: what is accepted or rejected comes from the stack's template and the EC2 API.
 */
export async function handler(event: HandlerEvent, context: Context): Promise<HandlerResponse> {
  return handle(event, realDependencies(), () => context.getRemainingTimeInMillis());
}

export async function handle(event: HandlerEvent, deps: Dependencies, remainingMs: () => number): Promise<HandlerResponse> {
  // Private DNS failures are CloudFormation's to report: they are not approval runs.
  if (isPrivateDnsEvent(event)) return onPrivateDnsEvent(event as CloudFormationCustomResourceEvent, deps);
  try {
    if (isScheduledEvent(event)) return await onSchedule(deps);
    if (isNotification(event)) return await onNotification(event, deps, remainingMs);
    return await onEvent(event as CloudFormationCustomResourceEvent, deps, remainingMs);
  } catch (error) {
    if (!isLogged(error)) logRunFailed(triggerOf(event), undefined, error);
    throw error;
  }
}

function isNotification(event: HandlerEvent): event is SNSEvent {
  return event !== null && typeof event === 'object' && 'Records' in event;
}

function triggerOf(event: HandlerEvent): Trigger {
  if (isScheduledEvent(event)) return 'Schedule';
  if (isNotification(event)) return 'Notification';
  const requestType = (event as Partial<CloudFormationCustomResourceEvent> | null)?.RequestType;
  return requestType === 'Create' || requestType === 'Update' || requestType === 'Delete' ? requestType : 'Create';
}
