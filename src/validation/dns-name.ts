import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propName } from './caller-names';
import { validateString } from './enum-value';
import { fail } from './errors';

type Tldts = typeof import('tldts');

const MAX_NAME_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const SINGLE_LABEL = 'it has a single label';

/**
 * Fails unless `value` is an unresolved token or a lowercase DNS name with at least two
 * labels, each label up to 63 characters, at most 255 in all, and `*` only as the
 * whole first label; and, without its wildcard label, not a public suffix (see
 * {@link publicSuffixProblem}).
 */
export function validatePrivateDnsName(scope: IConstruct, value: string): void {
  validateString(scope, 'privateDnsName', value ?? undefined, "a DNS name like 'api.example.com'");
  if (value === null) fail(scope, `${propName('privateDnsName')} is null: expected a DNS name like 'api.example.com', or no ${propName('privateDnsName')}.`);
  if (Token.isUnresolved(value)) return;
  const invalid = `Invalid private DNS name '${value}' (${propName('privateDnsName')})`;
  const expected = 'expected a lowercase DNS name like \'api.example.com\' or \'*.example.com\' '
    + `(labels of a-z, 0-9 and inner hyphens, up to ${MAX_LABEL_LENGTH} characters each, `
    + `at most ${MAX_NAME_LENGTH} characters in all, '*' only as the whole first label)`;
  const problem = dnsNameProblem(value);
  // A single label that is a listed suffix (`com`) gets the public suffix message below.
  const listedSuffix = problem === SINGLE_LABEL && LABEL.test(value) && isListedSuffix(value);
  if (problem && !listedSuffix) fail(scope, `${invalid}: ${problem}; ${expected}.`);
  const suffixProblem = publicSuffixProblem(value);
  if (suffixProblem) fail(scope, `${invalid}: ${suffixProblem}.`);
}

/**
 * Why a syntactically valid name cannot be a private DNS name because of the Public Suffix
 * List (ICANN and private sections, from `tldts`): the name without its wildcard label must
 * not be a public suffix (`com`, `co.uk`, `github.io`, `s3.amazonaws.com`), nor a top-level
 * domain the list does not know (its implicit `*` rule). Nobody can prove to own a public
 * suffix, and a wildcard directly under one would match every domain registered under it.
 * `undefined` when the name is in a registrable domain.
 */
export function publicSuffixProblem(name: string): string | undefined {
  const base = withoutWildcard(name);
  const result = parse(base);
  if (result.domain !== null || result.publicSuffix === null) return undefined;
  const what = result.isIcann ? 'a public suffix (ICANN section of the Public Suffix List)'
    : result.isPrivate ? 'a public suffix (private section of the Public Suffix List: its owner hands out the names under it)'
      : 'a top-level domain (not in the Public Suffix List)';
  const example = `example.${base}`;
  const problem = name === base
    ? `it is ${what}, which nobody can prove to own`
    : `the wildcard is directly under '${base}', ${what}: it would match every domain registered under it, `
      + `and nobody can prove to own '${base}'`;
  return `${problem}; expected a name in a domain you registered, like 'api.${example}' or '*.${example}'`;
}

function dnsNameProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_NAME_LENGTH) return `it has ${value.length} characters`;
  if (value !== value.toLowerCase()) return 'it has upper-case letters';
  const labels = value.split('.');
  if (labels.length < 2) return SINGLE_LABEL;
  for (const [index, label] of labels.entries()) {
    if (label === '*' && index === 0) continue;
    if (label.includes('*')) return `the wildcard in label '${label}' is not the whole first label`;
    if (label.length > MAX_LABEL_LENGTH) return `label '${label}' has ${label.length} characters`;
    if (!LABEL.test(label)) return label.length === 0 ? 'it has an empty label' : `label '${label}' is not valid`;
  }
  const topLevel = labels[labels.length - 1];
  if (/^\d+$/.test(topLevel)) return `its last label '${topLevel}' is all digits (no top-level domain is; an IP address is not a name)`;
  return undefined;
}

/** The name without a leading wildcard label: `*.example.com` becomes `example.com`. */
export function withoutWildcard(name: string): string {
  return name.startsWith('*.') ? name.slice(2) : name;
}

/** Whether `name` is itself a suffix of the ICANN or private section of the Public Suffix List. */
function isListedSuffix(name: string): boolean {
  const result = parse(name);
  return result.domain === null && result.publicSuffix === name && (result.isIcann === true || result.isPrivate === true);
}

function parse(hostname: string) {
  return tldts().parse(hostname, { allowPrivateDomains: true, extractHostname: false });
}

let loaded: Tldts | undefined;

/** `tldts`, loaded on first use: its Public Suffix List takes some milliseconds to load. */
function tldts(): Tldts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('tldts') as Tldts;
  return loaded;
}
