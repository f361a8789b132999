import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { HANDLER_ID, handlerSettingsOf, recordHandlerSettings } from './handler-settings';
import { describe, fail, methodName, propName } from '../validation';

/** Settings of the stack's one handler, for {@link PrivateLinkHandler.configure}. */
export interface PrivateLinkHandlerProps {
  /**
   * A customer managed key that encrypts the handler's log groups: the function's, its custom resource
   * providers' and the waiter state machine's. The log groups then get fixed names,
   * `<stack name>/cdk-privatelink/<handler|provider|waiting-provider|waiter>`, so that the key policy can
   * allow CloudWatch Logs (`logs.<region>.amazonaws.com`) to use the key for exactly these log groups
   * (`kms:EncryptionContext:aws:logs:arn`). The library adds that statement to a key of this app; for an
   * imported key, add it yourself (a warning says so). Giving a key to a stack whose log groups exist
   * replaces them with new, named ones (the old ones are retained).
   *
   * @default - the log groups are encrypted by CloudWatch Logs with keys it manages
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Reserved concurrency of the handler function, a whole number of at least 1. It also caps the
   * handler: deployments, late arrivals and the hourly enforcement share it.
   *
   * Off by default: Lambda keeps at least 10 unreserved concurrent executions in every account, so a
   * reservation fails to deploy in accounts whose concurrency quota is still 10 (new accounts).
   *
   * @default - none: the handler uses the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
}

/**
 * The stack's one handler (of every `ConnectionApproval` and private DNS name of the stack), to
 * configure before the first of them is created.
 */
export class PrivateLinkHandler {
  /**
   * Configures the handler of `scope`'s stack. Call it before any `ConnectionApproval`, private DNS
   * name or endpoint service with approval is added to the stack; calling it again with other settings
   * is an error.
   */
  public static configure(scope: IConstruct, props: PrivateLinkHandlerProps): void {
    const stack = Stack.of(scope);
    const method = methodName('configure', 'PrivateLinkHandler');
    if (stack.node.tryFindChild(HANDLER_ID)) {
      fail(scope, `${method} is called after the handler of stack ${stack.node.path} was created: call it before the first `
        + 'ConnectionApproval, private DNS name or endpoint service with connectionApproval of the stack.');
    }
    validateReservedConcurrency(scope, props.reservedConcurrency);
    const key = props.logEncryptionKey as Partial<kms.IKey> | undefined;
    if (key !== undefined && (typeof key?.keyArn !== 'string' || typeof key.addToResourcePolicy !== 'function')) {
      fail(scope, `${propName('logEncryptionKey')} is ${describe(key)}: expected a KMS key (kms.Key or kms.Key.fromKeyArn()).`);
    }
    const settings = { logEncryptionKey: props.logEncryptionKey, reservedConcurrency: props.reservedConcurrency };
    const existing = handlerSettingsOf(stack);
    if (existing && (existing.logEncryptionKey !== settings.logEncryptionKey || existing.reservedConcurrency !== settings.reservedConcurrency)) {
      fail(scope, `${method} is called twice for stack ${stack.node.path} with different settings: expected one configuration per stack.`);
    }
    recordHandlerSettings(stack, settings);
  }

  private constructor() {}
}

function validateReservedConcurrency(scope: IConstruct, value: unknown): void {
  if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(scope, `${propName('reservedConcurrency')} is ${Number.isNaN(value) ? 'NaN' : describe(value)}: expected a whole number of at least 1 `
      + '(0 would stop the handler; leave it out to use the account\'s unreserved concurrency).');
  }
}
