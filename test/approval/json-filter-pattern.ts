/**
 * Matches a CloudWatch Logs JSON filter pattern against one log event, for the part of the
 * syntax that `logs.FilterPattern` writes for the approval's metrics: `{ ... }` around
 * comparisons `$.a.b = "text"` / `!= "text"` and `$.a.b IS TRUE` / `IS FALSE`, joined with `&&`
 * and `||` (`&&` binding tighter), with parentheses. Anything else throws, so a pattern outside
 * this subset fails the test instead of being misread.
 */
export function matchesJsonFilter(pattern: string, logEvent: string): boolean {
  const text = pattern.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  let record: unknown;
  try {
    record = JSON.parse(logEvent);
  } catch {
    return false;
  }
  const tokens = tokenize(text.slice(1, -1));
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'a token'} at ${at} in ${pattern}`);
    return token;
  };
  const orExpression = (): boolean => {
    let value = andExpression();
    while (peek() === '||') {
      take();
      value = andExpression() || value;
    }
    return value;
  };
  const andExpression = (): boolean => {
    let value = term();
    while (peek() === '&&') {
      take();
      value = term() && value;
    }
    return value;
  };
  const term = (): boolean => {
    if (peek() === '(') {
      take('(');
      const value = orExpression();
      take(')');
      return value;
    }
    const selector = take();
    if (!selector.startsWith('$.')) throw new Error(`expected a selector, got ${selector} in ${pattern}`);
    const actual = selector.slice(2).split('.').reduce<unknown>((object, key) =>
      object !== null && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined, record);
    const operator = take();
    if (operator === 'IS') {
      const literal = take();
      if (literal !== 'TRUE' && literal !== 'FALSE') throw new Error(`unsupported IS ${literal} in ${pattern}`);
      return actual === (literal === 'TRUE');
    }
    if (operator !== '=' && operator !== '!=') throw new Error(`unsupported operator ${operator} in ${pattern}`);
    const literal = take();
    if (!literal.startsWith('"')) throw new Error(`only quoted strings are supported, got ${literal} in ${pattern}`);
    const expected = JSON.parse(literal);
    return operator === '=' ? actual === expected : actual !== expected;
  };
  const result = orExpression();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${pattern}`);
  return result;
}

function tokenize(body: string): string[] {
  const tokens: string[] = [];
  const token = /\s*("(?:[^"\\]|\\.)*"|&&|\|\||!=|=|\(|\)|[^\s()=!&|"]+)/y;
  let position = 0;
  while (body.slice(position).trim() !== '') {
    token.lastIndex = position;
    const match = token.exec(body);
    if (!match) throw new Error(`cannot read ${body.slice(position)}`);
    tokens.push(match[1]);
    position = token.lastIndex;
  }
  return tokens;
}
