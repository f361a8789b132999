// What the private DNS constructs and the handler (lambda/private-dns) agree on. Nothing from
// aws-cdk-lib here: the handler bundle imports this file.

/** The custom resource that sets an endpoint service's private DNS name. */
export const PRIVATE_DNS_NAME_RESOURCE_TYPE = 'Custom::VpcEndpointServicePrivateDnsName';

/** The custom resource that starts the verification of the name's domain, and optionally waits for it. */
export const PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE = 'Custom::VpcEndpointServicePrivateDnsVerification';

/** Names of the two custom resources' properties (the verification has all four, the name the first two). */
export const PRIVATE_DNS_PROPERTY = {
  serviceId: 'ServiceId',
  privateDnsName: 'PrivateDnsName',
  /** The TXT record (`Ref` of the record set: its name), so that a new record starts a new verification. */
  verificationRecord: 'VerificationRecord',
  /** How long the deployment waits for the domain to be verified; 0 does not wait. */
  waitSeconds: 'WaitSeconds',
} as const;

/** Attributes of the custom resources (`Fn::GetAtt`). */
export const PRIVATE_DNS_ATTRIBUTE = {
  /** The TXT record's label, such as `_1a2b3c`, to publish under the verified domain. */
  recordName: 'VerificationRecordName',
  recordValue: 'VerificationRecordValue',
  /** `pendingVerification`, `verified` or `failed`, when the resource was last created or updated. */
  state: 'VerificationState',
  /**
   * Until when (epoch milliseconds) the verification waits; 0 for no wait. Every answer of the
   * verification resource carries it, so that the provider framework's completion checks
   * (which repeat the answer) are told apart from CloudFormation's requests.
   */
  waitUntil: 'VerificationWaitUntil',
} as const;

/**
 * The longest wait for verification: CloudFormation waits at most 1 hour for a custom resource
 * (`ServiceTimeout`), the provider framework's total timeout is set to that, and its last checks need time.
 */
export const MAX_VERIFICATION_WAIT_MINUTES = 55;

/** How often the provider framework asks whether the domain is verified yet. */
export const VERIFICATION_QUERY_INTERVAL_SECONDS = 60;
