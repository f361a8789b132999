import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const MAX_NAME_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Fails unless `value` is an unresolved token or a lowercase DNS name with at least two
 * labels, each label up to 63 characters, at most 255 in all, and `*` only as the
 * whole first label.
 */
export function validatePrivateDnsName(scope: IConstruct, value: string): void {
  if (Token.isUnresolved(value)) return;
  const expected = 'expected a lowercase DNS name like \'api.example.com\' or \'*.example.com\' '
    + `(labels of a-z, 0-9 and inner hyphens, up to ${MAX_LABEL_LENGTH} characters each, `
    + `at most ${MAX_NAME_LENGTH} characters in all, '*' only as the whole first label)`;
  const problem = dnsNameProblem(value);
  if (problem) fail(scope, `Invalid private DNS name '${value}': ${problem}; ${expected}.`);
}

function dnsNameProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_NAME_LENGTH) return `it has ${value.length} characters`;
  if (value !== value.toLowerCase()) return 'it has upper-case letters';
  const labels = value.split('.');
  if (labels.length < 2) return 'it has a single label';
  for (const [index, label] of labels.entries()) {
    if (label === '*' && index === 0) continue;
    if (label.includes('*')) return `the wildcard in label '${label}' is not the whole first label`;
    if (label.length > MAX_LABEL_LENGTH) return `label '${label}' has ${label.length} characters`;
    if (!LABEL.test(label)) return label.length === 0 ? 'it has an empty label' : `label '${label}' is not valid`;
  }
  return undefined;
}

/** The name without a leading wildcard label: `*.example.com` becomes `example.com`. */
export function withoutWildcard(name: string): string {
  return name.startsWith('*.') ? name.slice(2) : name;
}
