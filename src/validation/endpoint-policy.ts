import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** The largest endpoint policy AWS PrivateLink takes, in characters. */
export const MAX_ENDPOINT_POLICY_CHARACTERS = 20_480;

/** Which rules an endpoint policy statement must follow. */
export type EndpointKind = 'interface' | 'gateway';

/**
 * Fails on an endpoint policy statement without a `Principal`, and, for a gateway endpoint,
 * on any `Principal` other than `*` (the AWS PrivateLink guide requires `*` there).
 */
export function validateEndpointPolicyStatement(scope: IConstruct, statement: iam.PolicyStatement, kind: EndpointKind): void {
  const json = statement.toStatementJson();
  const what = `Endpoint policy statement ${json.Sid ? `'${json.Sid}' ` : ''}${JSON.stringify(Stack.of(scope).resolve(json))}`;
  if (json.NotPrincipal) fail(scope, `${what} uses NotPrincipal: expected a Principal.`);
  if (!statement.hasPrincipal) {
    fail(scope, `${what} has no Principal: expected one, such as new iam.AnyPrincipal() with conditions that narrow it.`);
  }
  if (kind === 'gateway' && !isEveryone(json.Principal)) {
    fail(scope, `${what} names a principal: a gateway endpoint policy must use Principal '*' `
      + '(AWS PrivateLink guide); restrict it with aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID '
      + 'conditions, for example with GatewayEndpointPolicy.');
  }
}

/**
 * Checks at synthesis that the rendered policy has at most 20,480 characters. A policy that
 * still holds CloudFormation references cannot be measured then, and is not checked.
 */
export function validateEndpointPolicySize(scope: IConstruct, document: iam.PolicyDocument): void {
  scope.node.addValidation({
    validate: () => {
      if (document.isEmpty) return [];
      const text = JSON.stringify(Stack.of(scope).resolve(document.toJSON()));
      if (/"(Ref|Fn::[A-Za-z]+)"/.test(text) || text.length <= MAX_ENDPOINT_POLICY_CHARACTERS) return [];
      return [`The endpoint policy has ${text.length} characters: expected at most ${MAX_ENDPOINT_POLICY_CHARACTERS}. `
        + 'Merge statements, or use fewer resources and conditions.'];
    },
  });
}

function isEveryone(principal: unknown): boolean {
  return principal === '*' || (typeof principal === 'object' && principal !== null
    && Object.keys(principal).length === 1 && (principal as Record<string, unknown>).AWS === '*');
}
