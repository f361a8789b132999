import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propName } from './caller-names';
import { describe } from './enum-value';
import { fail } from './errors';

const ROUTE_TABLE_ID = /^rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Fails unless `value` is an unresolved token or `rtb-` with 8 or 17 lowercase hexadecimal characters. */
export function validateRouteTableId(scope: IConstruct, value: unknown, prop = 'routeTableIds'): void {
  if (typeof value === 'string' && (Token.isUnresolved(value) || ROUTE_TABLE_ID.test(value))) return;
  fail(scope, `Invalid route table ID ${describe(value)} in ${propName(prop)}: expected 'rtb-' followed by 8 or 17 `
    + "lowercase hexadecimal characters, like 'rtb-0123456789abcdef0'.");
}
