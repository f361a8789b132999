import { IConstruct } from 'constructs';

/**
 * Thrown at synth time when a construct gets an input it cannot use.
 * The message names the bad value, what is expected, and the construct's path.
 */
export class PrivateLinkValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${message} [at ${scope.node.path || '<root>'}]`);
    this.name = 'PrivateLinkValidationError';
  }
}

/** Shorthand for `throw new PrivateLinkValidationError(...)` inside expressions. */
export function fail(scope: IConstruct, message: string): never {
  throw new PrivateLinkValidationError(scope, message);
}
