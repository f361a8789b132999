import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { acknowledgeGuardRule, acknowledgeRuleInPacks, HIPAA_SECURITY, NIST_800_53_R5, PCI_DSS_321 } from '../validation';

const ALL_PACKS = [NIST_800_53_R5, HIPAA_SECURITY, PCI_DSS_321];
const CONCURRENCY_PACKS = [NIST_800_53_R5, HIPAA_SECURITY];

const NOT_IN_VPC = 'The function calls only AWS APIs (EC2, CloudFormation, Lambda) and no resource in a VPC: inside a VPC it would '
  + 'need a NAT gateway or interface endpoints for these APIs, and gain no isolation.';
const RESERVATION_FAILS = 'Lambda refuses a reservation that leaves the account less unreserved concurrency than its minimum (100 at the '
  + 'default quota), so a reservation fails to deploy in accounts with a low quota, such as new accounts whose quota is 10.';
const NO_RESERVATION = `No reservation by default: ${RESERVATION_FAILS} Set one with PrivateLinkHandler.configure(stack, { reservedConcurrency }).`;

/**
 * The inline policies (`iam.Policy`, roles' default policies) under `scope`: each grants one function or state
 * machine of the library exactly what it needs, so a managed policy, attachable elsewhere, would only widen it.
 */
export function acknowledgeInlinePolicies(scope: IConstruct, what: string): void {
  for (const policy of scope.node.findAll().filter(c => c instanceof iam.CfnPolicy)) {
    acknowledgeRuleInPacks(policy, 'IAMNoInlinePolicy', ALL_PACKS,
      `${what}: an inline policy of one role, scoped to what it does; a managed policy could be attached to other principals.`);
  }
}

/** The stack's handler function: outside a VPC, and without reserved concurrency unless configured. */
export function acknowledgeHandlerFunction(fn: lambda.Function, reservedConcurrency: boolean): void {
  const resource = fn.node.defaultChild as CfnResource;
  acknowledgeRuleInPacks(resource, 'LambdaInsideVPC', ALL_PACKS, NOT_IN_VPC);
  acknowledgeGuardRule(resource, 'lambda_inside_vpc_check', `[CT.LAMBDA.PR.3] ${NOT_IN_VPC}`);
  if (!reservedConcurrency) acknowledgeRuleInPacks(resource, 'LambdaConcurrency', CONCURRENCY_PACKS, NO_RESERVATION);
}

/** The functions and the waiter state machine of aws-cdk-lib's provider framework under `provider`. */
export function acknowledgeProviderFramework(provider: IConstruct): void {
  for (const fn of provider.node.findAll().filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)) {
    acknowledgeRuleInPacks(fn, 'LambdaInsideVPC', ALL_PACKS, `aws-cdk-lib's provider framework function. ${NOT_IN_VPC}`);
    acknowledgeGuardRule(fn, 'lambda_inside_vpc_check', `[CT.LAMBDA.PR.3] aws-cdk-lib's provider framework function. ${NOT_IN_VPC}`);
    acknowledgeRuleInPacks(fn, 'LambdaConcurrency', CONCURRENCY_PACKS,
      'aws-cdk-lib\'s provider framework function, invoked by CloudFormation once per custom resource change; aws-cdk-lib offers no '
      + `reservation for it, and ${RESERVATION_FAILS}`);
    acknowledgeRuleInPacks(fn, 'LambdaDLQ', CONCURRENCY_PACKS,
      'aws-cdk-lib\'s provider framework function (CloudFormation invokes onEvent asynchronously, the waiter state machine invokes '
      + 'isComplete and onTimeout synchronously) reports each failure to CloudFormation itself, which fails the stack operation; '
      + 'a dead-letter queue would only hold events whose failure CloudFormation already shows, and aws-cdk-lib offers none for it.');
  }
  for (const machine of provider.node.findAll().filter((c): c is sfn.CfnStateMachine => c instanceof sfn.CfnStateMachine)) {
    acknowledgeGuardRule(machine, 'step_functions_state_machine_tracing_enabled_check',
      '[CT.STEPFUNCTIONS.PR.2] aws-cdk-lib\'s waiter state machine only repeats the completion check every minute: '
      + 'X-Ray tracing would show nothing more than its execution history and logs.');
  }
  acknowledgeInlinePolicies(provider, 'aws-cdk-lib\'s provider framework');
}

/** A log group of the handler without a customer managed key (none was configured). */
export function acknowledgeLogGroupEncryption(logGroup: logs.LogGroup): void {
  const reason = 'Encrypted by CloudWatch Logs with keys it manages; the lines hold endpoint and service IDs and decisions, no secrets. '
    + 'Give a customer managed key with PrivateLinkHandler.configure(stack, { logEncryptionKey }).';
  const resource = logGroup.node.defaultChild as CfnResource;
  acknowledgeRuleInPacks(resource, 'CloudWatchLogGroupEncrypted', ALL_PACKS, reason);
  acknowledgeGuardRule(resource, 'cloudwatch_log_group_encrypted_check', `[CT.CLOUDWATCH.PR.3] ${reason}`);
}
