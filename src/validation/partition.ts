import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { AWS_PARTITIONS } from './regions';

/** The AWS partitions an ARN can name: those of the Region list. */
export const PARTITIONS: readonly string[] = AWS_PARTITIONS;

/**
 * Fails when `partition` is not an AWS partition, or differs from the partition of the
 * stack that holds `scope` (where that stack's partition is known at synth time).
 */
export function validatePartition(scope: IConstruct, partition: string, value: string): void {
  const problem = partitionProblem(partition, value, partitionOf(scope));
  if (problem) fail(scope, problem);
}

/**
 * Why `partition` of `value` is not an AWS partition, or not `stackPartition` (unless that is
 * undefined or a token), as a full sentence; `undefined` when it is right.
 */
export function partitionProblem(partition: string, value: string, stackPartition: string | undefined): string | undefined {
  if (!PARTITIONS.includes(partition)) return `Invalid partition '${partition}' in '${value}': expected one of ${PARTITIONS.join(', ')}.`;
  if (stackPartition !== undefined && !Token.isUnresolved(stackPartition) && stackPartition !== partition) {
    return `Wrong partition '${partition}' in '${value}': the stack is in partition '${stackPartition}'.`;
  }
  return undefined;
}

/**
 * The partition of the stack that holds `scope`: a literal when the stack's Region is
 * known at synth time, otherwise the `AWS::Partition` token.
 */
export function partitionOf(scope: IConstruct): string {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) return stack.partition;
  return RegionInfo.get(stack.region).partition ?? stack.partition;
}
