import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a CloudFormation reference becomes in a shape: a token marker, so the token-aware checks skip it. */
const REFERENCE = '${Token[REFERENCE.1]}';
const TOKEN_MARKER = /\$\{Token\[[^\]]*\]\}/g;

/** The literal text of `text`, without its token markers. */
export function literalText(text: string): string {
  return text.replace(TOKEN_MARKER, '');
}

/** The shortest text a resolved value can become: its literal parts, with every reference empty. */
export function shortestText(resolved: unknown): string {
  return literalText(shapeOf(resolved) ?? '');
}

/**
 * The text `value` becomes in the template, with each CloudFormation reference replaced by a
 * token marker: `Fn.join('', ['arn:aws:iam::', '*', ':role/x'])` is `arn:aws:iam::*:role/x`, and a
 * join with a parameter keeps its literal parts around a marker. Checks written for literals and
 * tokens can then judge what is literal in the template, whatever tokens built it (`Fn.join`,
 * `Lazy.string`). `undefined` for a value that does not become text.
 */
export function literalShape(scope: IConstruct, value: unknown): string | undefined {
  return shapeOf(Stack.of(scope).resolve(value));
}

function shapeOf(resolved: unknown): string | undefined {
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) return undefined;
  const join = (resolved as Record<string, unknown>)['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(part => shapeOf(part) ?? REFERENCE).join(join[0]);
  }
  return REFERENCE;
}
