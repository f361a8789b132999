// What the construct and the approval handler (lambda/approval) agree on. Nothing from
// aws-cdk-lib here: the handler bundle imports this file.

/** Names of the custom resource's properties. */
export const APPROVAL_PROPERTY = {
  serviceId: 'ServiceId',
  endpointIds: 'EndpointIds',
  allowedOwners: 'AllowedOwners',
  rejectUnlisted: 'RejectUnlisted',
  onRemoval: 'OnRemoval',
  waitSeconds: 'WaitSeconds',
  acceptOnArrival: 'AcceptOnArrival',
} as const;

/** The environment variable that names the approvals table. */
export const APPROVAL_TABLE_ENV = 'APPROVAL_TABLE_NAME';
