/** The connection events an endpoint service or endpoint can notify about. */
export enum ConnectionEvent {
  /** A consumer requested a connection (endpoint services only). */
  CONNECT = 'Connect',
  /** A connection request was accepted. */
  ACCEPT = 'Accept',
  /** A connection request was rejected. */
  REJECT = 'Reject',
  /** A connection was deleted. */
  DELETE = 'Delete',
}
