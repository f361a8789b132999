import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { enumMemberName, propName } from './caller-names';
import { fail } from './errors';
import { tokenText } from './token-text';

/** An enum as the caller sees it: its name and its members with their values. */
export interface EnumType<T extends string> {
  readonly name: string;
  readonly members: Record<string, T>;
}

/**
 * Fails unless `value` is one of the enum's values. A TypeScript caller cannot pass anything
 * else, but a JavaScript caller, or a Python dict, can pass any string.
 */
export function validateEnumValue<T extends string>(scope: IConstruct, prop: string, value: unknown, type: EnumType<T>): T {
  const values: unknown[] = Object.values(type.members);
  if (values.includes(value)) return value as T;
  const expected = Object.entries(type.members)
    .map(([member, memberValue]) => `${enumMemberName(type.name, member)} ('${memberValue}')`)
    .join(', ');
  fail(scope, `${propName(prop)} has ${describe(value)}: expected ${Object.keys(type.members).length === 1 ? '' : 'one of '}${expected}.`);
}

/** Checks each value of a list prop with {@link validateEnumValue}. */
export function validateEnumValues<T extends string>(scope: IConstruct, prop: string, values: readonly unknown[], type: EnumType<T>): T[] {
  if (!Array.isArray(values)) fail(scope, `${propName(prop)} is ${describe(values)}: expected a list of ${type.name} values.`);
  return values.map(value => validateEnumValue(scope, prop, value, type));
}

/** A value as an error message quotes it: strings in quotes (tokens as written, see {@link tokenText}), other values as JSON. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${tokenText(value)}'`;
  if (typeof value === 'number' && Token.isUnresolved(value)) return 'a number token';
  if (Array.isArray(value) && Token.isUnresolved(value)) return 'a list token';
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && Token.isUnresolved(item) ? tokenText(item) : item)) ?? String(value);
  } catch {
    const type = (value as object | null)?.constructor?.name;
    return type ? `a ${type} object` : String(value);
  }
}

/**
 * Fails unless `value` is `true`, `false` or absent. From JavaScript, `'false'` would be a
 * truthy string here, and CloudFormation would read it as `false`.
 */
export function validateBoolean(scope: IConstruct, prop: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  fail(scope, `${propName(prop)} is ${describe(value)}: expected true or false.`);
}

/**
 * Fails unless `value` is a list or absent. From JavaScript or a Python dict a single value or a
 * string can arrive where a list is expected, and a string would be read character by character.
 */
export function validateList(scope: IConstruct, prop: string, value: unknown, expected: string): void {
  if (value === undefined || Array.isArray(value)) return;
  fail(scope, `${propName(prop)} is ${describe(value)}: expected a list of ${expected}.`);
}

/** Fails unless `value` is a string or absent. */
export function validateString(scope: IConstruct, prop: string, value: unknown, expected: string): void {
  if (value === undefined || typeof value === 'string') return;
  fail(scope, `${propName(prop)} is ${describe(value)}: expected ${expected}.`);
}
