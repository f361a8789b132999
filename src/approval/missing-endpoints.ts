import { Duration } from 'aws-cdk-lib';

/**
 * What a deployment does with a listed endpoint ID that has no connection request to the
 * service (yet).
 */
export class MissingEndpoints {
  /** Fail the deployment at once, naming the ID: the safe choice for IDs that should exist. */
  public static fail(): MissingEndpoints {
    return new MissingEndpoints(false);
  }

  /**
   * Wait up to `timeout` (at most 10 minutes) for the request, then fail the deployment if it
   * has not arrived.
   */
  public static waitFor(timeout: Duration): MissingEndpoints {
    return new MissingEndpoints(false, timeout);
  }

  /**
   * Let the deployment succeed, and accept the request when the endpoint connects: driven by
   * the service's `Connect` notifications, with the same decision as at deploy time.
   */
  public static acceptOnArrival(): MissingEndpoints {
    return new MissingEndpoints(true);
  }

  private constructor(
    /** Whether listed endpoints that connect after the deployment are accepted. */
    public readonly acceptsOnArrival: boolean,
    /** How long a deployment waits for missing endpoints. */
    public readonly timeout?: Duration,
  ) {}
}
