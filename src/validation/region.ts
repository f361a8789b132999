import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Fails unless `value` is an unresolved token or looks like an AWS Region code. */
export function validateRegion(scope: IConstruct, value: string, what = 'Region'): void {
  if (Token.isUnresolved(value) || REGION.test(value)) return;
  fail(scope, `Invalid ${what} '${value}': expected a Region code like 'us-east-1' or 'eu-central-2'.`);
}
