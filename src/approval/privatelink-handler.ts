import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { HANDLER_ID, HandlerSettings, handlerSettingsOf, recordHandlerSettings } from './handler-settings';
import { describe, fail, methodName, propName } from '../validation';

/** Settings of the stack's one handler, for {@link PrivateLinkHandler.configure}. */
export interface PrivateLinkHandlerProps {
  /**
   * A customer managed key that encrypts the handler's log groups: the function's, its custom resource
   * providers' and the waiter state machine's. The log groups then get fixed names,
   * `<stack name>/cdk-privatelink/<handler|provider|waiting-provider|waiter>` (in a nested stack,
   * `<top-level stack name>/<unique ID of the nested stack>/cdk-privatelink/...`), so that the key policy can
   * allow CloudWatch Logs (`logs.<region>.amazonaws.com`) to use the key for exactly these log groups
   * (`kms:EncryptionContext:aws:logs:arn`). The library adds that statement to a key of this app; for an
   * imported key, add it yourself (a warning says so). One key may serve several stacks. The key must be
   * in the stack's Region, and be a key, not an alias. Giving a key to a stack whose log groups exist
   * replaces them with new, named ones (the old ones are retained). The groups are retained when the
   * stack is deleted: creating a stack of the same name again fails until they are deleted.
   *
   * @default - the log groups are encrypted by CloudWatch Logs with keys it manages
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Reserved concurrency of the handler function, a whole number from 1 to 2147483647. It also caps the
   * handler: deployments, late arrivals and the hourly enforcement share it.
   *
   * Off by default: Lambda refuses a reservation that leaves the account less unreserved concurrency
   * than its minimum (100 at the default quota of 1,000), so it fails to deploy in accounts with a low
   * quota, such as new accounts whose quota is still 10.
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
    validateLogEncryptionKey(scope, stack, props.logEncryptionKey);
    const settings = { logEncryptionKey: props.logEncryptionKey, reservedConcurrency: props.reservedConcurrency };
    const existing = handlerSettingsOf(stack);
    if (existing && !sameSettings(stack, existing, settings)) {
      fail(scope, `${method} is called twice for stack ${stack.node.path} with different settings: expected one configuration per stack.`);
    }
    recordHandlerSettings(stack, settings);
  }

  private constructor() {}
}

/** Lambda's reserved concurrency is a 32-bit integer. */
const MAX_RESERVED_CONCURRENCY = 2 ** 31 - 1;

function validateReservedConcurrency(scope: IConstruct, value: unknown): void {
  if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RESERVED_CONCURRENCY) {
    fail(scope, `${propName('reservedConcurrency')} is ${typeof value === 'number' ? String(value) : describe(value)}: expected a whole number `
      + `from 1 to ${MAX_RESERVED_CONCURRENCY} (0 would stop the handler; leave it out to use the account's unreserved concurrency).`);
  }
}

/** A symmetric KMS key by its key ARN (CloudWatch Logs takes no alias), in the stack's Region. */
function validateLogEncryptionKey(scope: IConstruct, stack: Stack, value: kms.IKey | undefined): void {
  if (value === undefined) return;
  const key = value as Partial<kms.IKey>;
  const name = propName('logEncryptionKey');
  if (typeof key?.keyArn !== 'string' || typeof key.addToResourcePolicy !== 'function') {
    fail(scope, `${name} is ${describe(key)}: expected a KMS key (kms.Key or kms.Key.fromKeyArn()).`);
  }
  if (JSON.stringify(stack.resolve(key.keyArn)).includes(':alias/')) {
    fail(scope, `${name} is the alias ${key.node?.path ?? key.keyArn}: expected the key itself (CloudWatch Logs takes a key ARN, not an alias ARN), `
      + 'such as the alias\'s aliasTargetKey or kms.Key.fromKeyArn().');
  }
  const keyRegion = key.env?.region;
  if (keyRegion !== undefined && !Token.isUnresolved(keyRegion) && !Token.isUnresolved(stack.region) && keyRegion !== stack.region) {
    fail(scope, `${name} ${key.node?.path ?? key.keyArn} is in Region ${keyRegion}: expected a key in the stack's Region ${stack.region} `
      + '(CloudWatch Logs encrypts only with keys of its own Region).');
  }
}

/** The same key (by its ARN, whichever object names it) and the same reservation. */
function sameSettings(stack: Stack, a: HandlerSettings, b: HandlerSettings): boolean {
  const keyArn = (settings: HandlerSettings) => JSON.stringify(settings.logEncryptionKey && stack.resolve(settings.logEncryptionKey.keyArn));
  return a.reservedConcurrency === b.reservedConcurrency && keyArn(a) === keyArn(b);
}
