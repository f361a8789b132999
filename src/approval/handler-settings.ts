import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/** The construct ID of the stack's one handler, a child of the stack. */
export const HANDLER_ID = 'CdkPrivateLinkConnectionApproval';

/** What `PrivateLinkHandler.configure()` recorded for a stack, read when the handler is created. */
export interface HandlerSettings {
  readonly logEncryptionKey?: kms.IKey;
  readonly reservedConcurrency?: number;
}

const settingsByStack = new WeakMap<Stack, HandlerSettings>();

export function recordHandlerSettings(stack: Stack, settings: HandlerSettings): void {
  settingsByStack.set(stack, settings);
}

export function handlerSettingsOf(stack: Stack): HandlerSettings | undefined {
  return settingsByStack.get(stack);
}
