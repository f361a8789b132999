import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describe } from './enum-value';
import { fail } from './errors';
import { partitionOf } from './partition';
import { AWS_PARTITIONS, AWS_REGIONS, closestRegion, partitionOfRegion, regionsOfPartition } from './regions';

/**
 * Fails unless `value` is an unresolved token or an AWS Region of the partition of the stack
 * that holds `scope` (the list in `regions.ts`). When the stack's partition is not known at
 * synth time (its Region is a token), any AWS Region of any partition is taken.
 *
 * `what` names the value in the message, such as `serviceRegion` (from `propName()`).
 */
export function validateRegion(scope: IConstruct, value: string, what = 'Region'): void {
  if (typeof value !== 'string') fail(scope, `Invalid ${what} ${describe(value)}: expected a Region code like 'eu-west-1'.`);
  if (Token.isUnresolved(value)) return;
  const stackPartition = knownStackPartition(scope);
  const regionPartition = partitionOfRegion(value);
  if (stackPartition === undefined) {
    if (regionPartition) return;
    fail(scope, `Invalid ${what} '${value}': it is not an AWS Region${didYouMean(value, [])}; expected an AWS Region `
      + `of any partition (the stack's Region is not known at synth time): ${allRegionsByPartition()}.`);
  }
  if (regionPartition === stackPartition) return;
  const regions = regionsOfPartition(stackPartition);
  const expected = `expected a Region of the stack's partition '${stackPartition}': ${regions.join(', ')}`;
  if (regionPartition === undefined) {
    fail(scope, `Invalid ${what} '${value}': it is not an AWS Region${didYouMean(value, regions)}; ${expected}.`);
  }
  fail(scope, `Invalid ${what} '${value}': it is in partition '${regionPartition}', ${expected}.`);
}

/**
 * The partition of the stack that holds `scope`, when it is known at synth time and has
 * Regions in the list; `undefined` otherwise. A literal stack Region that aws-cdk-lib does
 * not know yet is looked up in the list.
 */
function knownStackPartition(scope: IConstruct): string | undefined {
  const fromCdk = partitionOf(scope);
  const partition = Token.isUnresolved(fromCdk) ? listedPartitionOfStack(scope) : fromCdk;
  return partition !== undefined && regionsOfPartition(partition).length > 0 ? partition : undefined;
}

function listedPartitionOfStack(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : partitionOfRegion(region);
}

function didYouMean(value: string, regions: readonly string[]): string {
  const closest = regions.length > 0 ? closestRegion(value, regions) : closestRegion(value);
  return closest ? ` (did you mean '${closest}'?)` : '';
}

function allRegionsByPartition(): string {
  return AWS_PARTITIONS.map(partition => `${partition}: ${AWS_REGIONS[partition].join(', ')}`).join('; ');
}
