// Formats checked both at synth time and by the approval handler at deploy time, when tokens
// have resolved. Nothing from aws-cdk-lib here: the handler bundle imports this file.

const ENDPOINT_ID = /^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const ENDPOINT_SERVICE_ID = /^vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Whether `value` is a literal 12-digit AWS account ID. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** Whether `value` is a VPC endpoint service ID such as `vpce-svc-0123456789abcdef0`. */
export function isEndpointServiceId(value: string): boolean {
  return ENDPOINT_SERVICE_ID.test(value);
}

/** Whether `value` is a VPC endpoint ID such as `vpce-0123456789abcdef0`. */
export function isEndpointId(value: string): boolean {
  return ENDPOINT_ID.test(value);
}

/** Why `value` is not a VPC endpoint ID, as a full sentence; `undefined` when it is one. */
export function endpointIdProblem(value: string): string | undefined {
  if (isEndpointId(value)) return undefined;
  const digits = value.startsWith('vpce-') ? value.slice('vpce-'.length) : '';
  let why: string;
  if (/\s/.test(value)) why = 'it contains whitespace';
  else if (value !== value.toLowerCase()) why = 'it has upper-case letters';
  else if (value.startsWith('vpce-svc-')) why = 'it is an endpoint service ID, not an endpoint ID';
  else if (!value.startsWith('vpce-')) why = "it does not start with 'vpce-'";
  else if (!/^[0-9a-f]*$/.test(digits)) why = "it has characters other than 0-9 and a-f after 'vpce-'";
  else why = `it has ${digits.length} hexadecimal characters after 'vpce-'`;
  return `Invalid VPC endpoint ID '${value}': ${why}; expected 'vpce-' followed by 8 or 17 `
    + "lowercase hexadecimal characters, like 'vpce-0123456789abcdef0'.";
}

/** The values that occur more than once in `values`, each once, in order of first repeat. */
export function repeatedValues(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}
