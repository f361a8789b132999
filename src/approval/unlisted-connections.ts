/**
 * What continuous enforcement does with a connection found accepted outside the approval: not
 * listed (accepted by hand, for example), or listed but owned outside `allowedOwners`.
 */
export enum UnlistedConnections {
  /**
   * Log it as one decision line and count it in the approval's
   * `metricConnectionsAcceptedOutsideApproval()`; the connection keeps carrying traffic.
   */
  REPORT = 'report',

  /**
   * Reject it, as well as reporting it: its traffic stops, and the endpoint cannot connect again
   * without a new endpoint. Needs `onRemoval: EndpointRemoval.REJECT`, since it would reject the
   * connections of removed IDs too.
   */
  REJECT = 'reject',
}
