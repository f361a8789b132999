// What the construct and the approval handler (lambda/approval) agree on. Nothing from
// aws-cdk-lib here: the handler bundle imports this file.

/** The CloudFormation type of the approval custom resource. */
export const APPROVAL_RESOURCE_TYPE = 'Custom::VpcEndpointConnectionApproval';

/** Names of the custom resource's properties. */
export const APPROVAL_PROPERTY = {
  serviceId: 'ServiceId',
  endpointIds: 'EndpointIds',
  allowedOwners: 'AllowedOwners',
  rejectUnlisted: 'RejectUnlisted',
  onRemoval: 'OnRemoval',
  waitSeconds: 'WaitSeconds',
  acceptOnArrival: 'AcceptOnArrival',
  unlistedAccepted: 'UnlistedAccepted',
} as const;

/** What continuous enforcement does with a connection accepted outside the approval (`UnlistedAccepted`). */
export const UNLISTED_ACCEPTED_ACTIONS = ['report', 'reject'] as const;

/**
 * What a decision line's `outcome` says became of one connection. The approval's metric
 * filters count these, so a renamed outcome is a breaking change of its metrics.
 */
export const DECISION_OUTCOME = {
  /** A listed request EC2 accepted. */
  accepted: 'accepted',
  /** A connection EC2 rejected. */
  rejected: 'rejected',
  /** An unlisted request left pending. */
  leftPending: 'leftPending',
  /** A listed ID whose connection cannot be accepted (its state or its owner). */
  blocked: 'blocked',
  /** A listed ID with no connection request to the service. */
  missing: 'missing',
  /** A listed request pending acceptance that only a deployment accepts (no late arrivals). */
  awaitingAcceptance: 'awaitingAcceptance',
  /** A listed connection already accepted: nothing to do. */
  unchanged: 'unchanged',
  /** The connection of an ID removed from the list, left as it is. */
  leftRemoved: 'leftRemoved',
  /** A connection accepted although the approval does not approve it, reported. */
  acceptedOutsideApproval: 'acceptedOutsideApproval',
  /** A rejection that the cleanup after the update carries out. */
  deferred: 'deferred',
  /** An Accept or Reject that EC2 did not carry out. */
  failed: 'failed',
  /** A change the run did not make, because it failed first. */
  notCarriedOut: 'notCarriedOut',
} as const;

export type DecisionOutcome = typeof DECISION_OUTCOME[keyof typeof DECISION_OUTCOME];

/** The `event` of a decision line, and of the line a failed run writes. */
export const LOG_EVENT = { decision: 'decision', runFailed: 'runFailed' } as const;

/**
 * The environment variable that holds the ID (ARN) of the handler's own stack: the only stack
 * whose requests it carries out, and whose template it reads.
 */
export const APPROVAL_STACK_ENV = 'APPROVAL_STACK_ID';

/**
 * The environment variable that holds the ARN of the stack's enforcement topic, which receives
 * the `Accept` notifications of every approved service: a run from it never waits for a
 * deployment to end, it leaves the connections to the next scheduled run.
 */
export const ENFORCEMENT_TOPIC_ENV = 'APPROVAL_ENFORCEMENT_TOPIC_ARN';

/** The CloudFormation calls the handler makes on its own stack (resource-level permissions). */
export const STACK_READ_ACTIONS = [
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:GetTemplate',
  'cloudformation:ListStackResources',
] as const;

/** The intrinsic functions the handler resolves in an approval's properties; any other fails closed. */
export const RESOLVABLE_INTRINSICS = ['Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub'] as const;

/**
 * The `Fn::GetAtt` attributes the handler resolves, by resource type: each one equals the
 * resource's physical ID, which `ListStackResources` reports.
 */
export const PHYSICAL_ID_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::VPCEndpoint': ['Id'],
  'AWS::EC2::VPCEndpointService': ['ServiceId'],
};

/** The pseudo parameters the handler resolves (`AWS::NoValue` removes the value). */
export const RESOLVABLE_PSEUDO_PARAMETERS = [
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix', 'AWS::NoValue',
] as const;

/** Whether a single-key object with this key is an intrinsic function (or a condition), as CloudFormation reads it. */
export function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
}

/** The `[logicalId, attribute]` of an `Fn::GetAtt` argument: the list form as it is, the `Logical.Attribute` string form split. */
export function getAttParts(argument: unknown): unknown {
  if (typeof argument !== 'string') return argument;
  const at = argument.indexOf('.');
  return at < 0 ? [argument] : [argument.slice(0, at), argument.slice(at + 1)];
}
