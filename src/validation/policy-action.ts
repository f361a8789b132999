import { Token } from 'aws-cdk-lib';

/** The actions `iam.PolicyStatement` takes (`service:Action`, wildcards allowed, or `*`); anything else makes it throw. */
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*]+)$/;

/** The first of `actions` that is not a token and not an action `iam.PolicyStatement` takes. */
export function invalidAction(actions: readonly unknown[]): unknown {
  return actions.find(action => !(typeof action === 'string' && (Token.isUnresolved(action) || ACTION.test(action))));
}
