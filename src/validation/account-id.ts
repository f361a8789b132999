import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { isAccountId } from './formats';

/** Fails unless `value` is an unresolved token or exactly 12 digits. */
export function validateAccountId(scope: IConstruct, value: string, what = 'AWS account ID'): void {
  if (Token.isUnresolved(value) || isAccountId(value)) return;
  fail(scope, `Invalid ${what} '${value}': expected exactly 12 digits (0-9), like '123456789012'.`);
}
