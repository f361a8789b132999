import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const ACCOUNT_ID = /^\d{12}$/;

/** Whether `value` is a literal 12-digit AWS account ID. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** Fails unless `value` is an unresolved token or exactly 12 digits. */
export function validateAccountId(scope: IConstruct, value: string, what = 'AWS account ID'): void {
  if (Token.isUnresolved(value) || isAccountId(value)) return;
  fail(scope, `Invalid ${what} '${value}': expected exactly 12 digits (0-9), like '123456789012'.`);
}
