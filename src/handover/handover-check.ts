import { Aspects, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { StackReference, inOtherEnvironment, otherStackReferences, topLevelStack } from './stack-references';
import { fail } from '../validation';

const APPROVED_IDS = Symbol.for('cdk-privatelink.approvedEndpointIds');

interface ApprovalLike extends IConstruct {
  readonly [APPROVED_IDS]: () => string[];
}

const TWO_STEPS = 'Hand the values over in two steps instead (README "Hand-over between accounts"): deploy the provider stack and give its '
  + 'service name to the consumer app as a literal string; deploy the consumer stack and hand its endpoint IDs back to the provider app as '
  + 'literal strings on a trusted channel (a reviewed change to a config file the provider app reads); then deploy the provider stack again, '
  + 'or let the approval accept them when they arrive with MissingEndpoints.acceptOnArrival().';

/**
 * Makes an approval's endpoint IDs visible to the check of endpoints in other stacks, and checks
 * them again before synthesis resolves references: a value bound late (`Lazy.uncachedString`)
 * or an endpoint added after the approval is seen before aws-cdk-lib renders it.
 */
export function registerApprovedEndpointIds(approval: IConstruct, endpointIds: () => string[]): void {
  Object.defineProperty(approval, APPROVED_IDS, { value: endpointIds });
  atSynthesis(approval, () => endpointIds().forEach(endpointId => validateApprovedIdSource(approval, endpointId)));
}

/** {@link validateServiceNameSource} now, and again before synthesis resolves references. */
export function checkServiceNameSource(endpoint: IConstruct, serviceName: unknown): void {
  validateServiceNameSource(endpoint, serviceName);
  atSynthesis(endpoint, () => validateServiceNameSource(endpoint, serviceName));
}

/** Runs `check` when aspects run, before aws-cdk-lib resolves cross-stack references. */
function atSynthesis(scope: IConstruct, check: () => void): void {
  Aspects.of(scope).add({ visit: node => { if (node === scope) check(); } });
}

/**
 * Fails when an approved endpoint ID is read from a stack that cannot hand it over at deployment:
 * one in another account or Region, or one whose endpoints use a service name of the approval's
 * stack (neither stack could be deployed first).
 */
export function validateApprovedIdSource(approval: IConstruct, endpointId: unknown): void {
  const provider = topLevelStack(Stack.of(approval));
  for (const reference of otherStackReferences(approval, endpointId)) {
    if (inOtherEnvironment(reference.stack, provider)) {
      fail(approval, `Endpoint ID ${reference.text} comes from stack ${reference.stack.stackName} in ${environment(reference.stack)}, `
        + `not from ${environment(provider)} like this stack ${provider.stackName}: the approval trusts only its own account's CloudFormation, `
        + `and aws-cdk-lib would read the ID from another account or Region at deployment (Fn::GetStackOutput). ${TWO_STEPS}`);
    }
    const endpoint = endpointUsing(reference.stack, provider);
    if (endpoint !== undefined) fail(approval, mutualReference(reference, endpoint, provider));
  }
}

/**
 * Fails when an endpoint's service name is read from a stack that cannot hand it over at
 * deployment: one in another account or Region, or one whose approval lists an endpoint ID of
 * the endpoint's stack.
 */
export function validateServiceNameSource(endpoint: IConstruct, serviceName: unknown): void {
  const consumer = topLevelStack(Stack.of(endpoint));
  for (const reference of otherStackReferences(endpoint, serviceName)) {
    if (inOtherEnvironment(reference.stack, consumer)) {
      fail(endpoint, `The service name ${reference.text} comes from stack ${reference.stack.stackName} in ${environment(reference.stack)}, `
        + `not from ${environment(consumer)} like this stack ${consumer.stackName}: aws-cdk-lib would read it from another account or Region `
        + `at deployment (Fn::GetStackOutput), with a role that stack must grant. ${TWO_STEPS}`);
    }
    const approval = approvalListing(reference.stack, consumer);
    if (approval !== undefined) {
      fail(endpoint, `The service name ${reference.text} comes from stack ${reference.stack.stackName}, whose approval ${approval.node.path} `
        + `lists an endpoint ID of this stack ${consumer.stackName}: each stack would need the other deployed first. ${TWO_STEPS}`);
    }
  }
}

function mutualReference(reference: StackReference, endpoint: IConstruct, provider: Stack): string {
  return `Endpoint ID ${reference.text} comes from stack ${reference.stack.stackName}, whose endpoint ${endpoint.node.path} uses the name `
    + `of a service of this stack ${provider.stackName}: each stack would need the other deployed first. ${TWO_STEPS}`;
}

/** A VPC endpoint of `stack` whose service name references `target`. */
function endpointUsing(stack: Stack, target: Stack): IConstruct | undefined {
  return stack.node.findAll().find(c => c instanceof ec2.CfnVPCEndpoint
    && otherStackReferences(c, c.serviceName).some(reference => reference.stack === target))?.node.scope;
}

/** An approval of `stack` that lists an endpoint ID referencing `target`. */
function approvalListing(stack: Stack, target: Stack): IConstruct | undefined {
  return stack.node.findAll().find((c): c is ApprovalLike => APPROVED_IDS in c
    && (c as ApprovalLike)[APPROVED_IDS]().some(id => otherStackReferences(c, id).some(reference => reference.stack === target)));
}

function environment(stack: Stack): string {
  const known = (value: string, what: string) => (Token.isUnresolved(value) ? `an unknown ${what}` : `${what} ${value}`);
  return `${known(stack.account, 'account')}, ${known(stack.region, 'Region')}`;
}
