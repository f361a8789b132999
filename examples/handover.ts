/**
 * What the provider and its consumers hand each other. This file is the trusted channel: a change
 * to it is a reviewed pull request to the provider's repository, and the provider app reads the
 * endpoint IDs only from here (README "Hand-over between accounts").
 */

/** A consumer account and the endpoints it created to the provider's service. */
export interface ConsumerHandover {
  /** The consumer's AWS account: an allowed principal, and the owner the approval requires. */
  readonly accountId: string;
  /** The IDs its deployment printed as the output `<endpoint path>VpcEndpointId`; empty until then. */
  readonly endpointIds: string[];
}

/** The provider's account and Region. */
export const PROVIDER_ENV = { account: '123456789012', region: 'eu-west-1' };

/**
 * The provider's service name, from its output `ServiceVpcEndpointServiceName` after the first
 * deployment; the consumers' apps take it from here as a literal string.
 */
export const SERVICE_NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

/** Replace with your consumers' accounts and the endpoint IDs they handed over. */
export const CONSUMERS: ConsumerHandover[] = [
  { accountId: '111111111111', endpointIds: ['vpce-0a1b2c3d4e5f60718'] },
  { accountId: '222222222222', endpointIds: ['vpce-1a2b3c4d'] },
];
