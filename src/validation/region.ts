import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { partitionOf } from './partition';

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Fails unless `value` is an unresolved token or looks like an AWS Region code. */
export function validateRegion(scope: IConstruct, value: string, what = 'Region'): void {
  if (Token.isUnresolved(value)) return;
  if (!REGION.test(value)) fail(scope, `Invalid ${what} '${value}': expected a Region code like 'us-east-1' or 'eu-central-2'.`);
  const regionPartition = RegionInfo.get(value).partition;
  const stackPartition = partitionOf(scope);
  if (regionPartition && !Token.isUnresolved(stackPartition) && regionPartition !== stackPartition) {
    fail(scope, `Invalid ${what} '${value}': it is in partition '${regionPartition}', `
      + `expected a Region of the stack's partition '${stackPartition}'.`);
  }
}
