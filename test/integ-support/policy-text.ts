/**
 * A regular expression for `"<operator>":{"<key>":"<value>"` in a policy as a JSON string,
 * with or without the backslashes before the quotes that API Gateway returns (`getRestApi`
 * gives `{\"Version\":...}`). `value` is taken literally; it may be a token.
 */
export function conditionPattern(operator: string, key: string, value: string): string {
  const quote = '\\\\?"';
  return `${quote}${escaped(operator)}${quote}:\\{${quote}${escaped(key)}${quote}:${quote}${value}${quote}`;
}

/**
 * A regular expression that matches a text containing every one of `patterns`, in any order.
 */
export function allOf(patterns: string[]): string {
  return `^${patterns.map(pattern => `(?=[\\s\\S]*${pattern})`).join('')}`;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
