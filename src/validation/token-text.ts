import { IResolvable, IResolveContext, Intrinsic, Reference, Stack, StringConcat, Tokenization } from 'aws-cdk-lib';

/**
 * A string with tokens as the user wrote it: each reference as `${<construct path>.<attribute>}`
 * (`${Provider/Service/Resource.Ref}`), a pseudo parameter by its name (`${AWS::Region}`), any
 * other token as `${token}`; literal parts as they are.
 */
export function tokenText(value: string): string {
  return Tokenization.reverseString(value).mapTokens({ mapToken: token => `\${${tokenName(token)}}` }).join(new StringConcat());
}

function tokenName(token: IResolvable): string {
  if (Reference.isReference(token)) {
    return token.target instanceof Stack ? token.displayName : `${token.target.node.path}.${token.displayName}`;
  }
  // An intrinsic resolves to its value whatever the context: a pseudo parameter is `{ Ref: 'AWS::...' }`.
  const value: unknown = token instanceof Intrinsic ? token.resolve({} as IResolveContext) : undefined;
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' && ref.startsWith('AWS::') ? ref : 'token';
}
