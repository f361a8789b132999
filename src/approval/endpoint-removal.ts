/** What happens to a connection whose endpoint ID leaves the approved list, or whose approval is deleted. */
export enum EndpointRemoval {
  /**
   * Leave the connection as it is: an accepted connection stays accepted. Nothing is
   * rejected unless you ask for it; a rejected connection cannot be accepted again.
   */
  LEAVE = 'leave',

  /**
   * Reject the connection, accepted or pending, so the endpoint can no longer reach the
   * service. An ID that another approval of the same service still lists is left alone.
   */
  REJECT = 'reject',
}
