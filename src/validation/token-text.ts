import { IResolvable, IResolveContext, Intrinsic, Reference, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';

/**
 * A string with tokens as the user wrote it: each reference as `${<construct path>.<attribute>}`
 * (`${Provider/Service/Resource.Ref}`), a pseudo parameter by its name (`${AWS::Region}`), an
 * intrinsic function by name and arguments (`${Fn::ImportValue(Shared)}`), any other token as
 * `${token}`; literal parts as they are.
 */
export function tokenText(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return Tokenization.reverseString(value).mapTokens({ mapToken: token => `\${${tokenName(token)}}` }).join(new StringConcat());
}

function tokenName(token: IResolvable): string {
  if (Reference.isReference(token)) {
    return token.target instanceof Stack ? token.displayName : `${token.target.node.path}.${token.displayName}`;
  }
  // An intrinsic resolves to its value whatever the context: a pseudo parameter is `{ Ref: 'AWS::...' }`.
  const value: unknown = token instanceof Intrinsic ? token.resolve({} as IResolveContext) : undefined;
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref === 'string' && ref.startsWith('AWS::')) return ref;
  return intrinsicText(value) ?? 'token';
}

/** `Fn::ImportValue(SharedServiceId)` for `{ 'Fn::ImportValue': 'SharedServiceId' }`, with tokens inside as written. */
function intrinsicText(value: unknown): string | undefined {
  if (typeof value === 'string') return Token.isUnresolved(value) ? tokenText(value) : value;
  if (Array.isArray(value)) {
    const items = value.map(intrinsicText);
    return items.every(item => item !== undefined) ? items.join(', ') : undefined;
  }
  const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
  if (entries.length !== 1 || !entries[0][0].startsWith('Fn::')) return undefined;
  const argument = intrinsicText(entries[0][1]);
  return argument === undefined ? undefined : `${entries[0][0]}(${argument})`;
}
