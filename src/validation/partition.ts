import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The AWS partitions an ARN can name. */
export const PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/**
 * Fails when `partition` is not an AWS partition, or differs from the partition of the
 * stack that holds `scope` (where that stack's partition is known at synth time).
 */
export function validatePartition(scope: IConstruct, partition: string, value: string): void {
  if (!PARTITIONS.includes(partition)) {
    fail(scope, `Invalid partition '${partition}' in '${value}': expected one of ${PARTITIONS.join(', ')}.`);
  }
  const stackPartition = partitionOf(scope);
  if (!Token.isUnresolved(stackPartition) && stackPartition !== partition) {
    fail(scope, `Wrong partition '${partition}' in '${value}': the stack is in partition '${stackPartition}'.`);
  }
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
