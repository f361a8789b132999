import { createHash } from 'crypto';
import { CfnResource, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  MAX_VERIFICATION_WAIT_MINUTES, PRIVATE_DNS_ATTRIBUTE, PRIVATE_DNS_NAME_RESOURCE_TYPE, PRIVATE_DNS_PROPERTY,
  PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE,
} from './private-dns-contract';
import { VerifiedDomain } from './verified-domain';
import { ApprovalHandler, VERIFICATION_TOTAL_TIMEOUT } from '../approval/approval-handler';
import { acknowledgeInlinePolicies } from '../approval/handler-acknowledgements';
import { ec2Arn } from '../ec2-arn';
import { readableOutput } from '../readable-output';
import { ServiceRegistry } from '../service-registry';
import { fail, propName, validatePrivateDnsName } from '../validation';

/** How the domain of a private DNS name is verified. */
export interface PrivateDnsVerificationOptions {
  /**
   * The domain whose ownership the TXT record proves: the name itself, or a parent domain such
   * as the hosted zone's apex, which then covers every name under it.
   * @default VerifiedDomain.privateDnsName() - the record is `<verification name>.<private DNS name without a wildcard>`
   */
  readonly verifiedDomain?: VerifiedDomain;

  /**
   * Wait in the deployment until AWS reports the domain `verified`, at most this long (1 minute
   * to 55 minutes, whole seconds; CloudFormation waits at most 1 hour for a custom resource): the deployment fails, naming the TXT record, when the
   * verification fails or the wait is over. Needs `publicHostedZone`. The wait runs in
   * aws-cdk-lib's provider framework (`isComplete`, checked every minute), which adds three
   * functions and a state machine to the stack.
   * @default - no wait: the state right after the verification started is `verificationState`
   */
  readonly waitForVerification?: Duration;
}

/** Properties of an {@link EndpointServicePrivateDnsName}. */
export interface EndpointServicePrivateDnsNameProps extends PrivateDnsVerificationOptions {
  /** The endpoint service that gets the name. */
  readonly endpointService: ec2.IVpcEndpointService;

  /**
   * The private DNS name, such as `api.example.com` or `*.example.com`: lowercase, labels
   * up to 63 characters, at most 255 characters, a wildcard only as the first label; not a
   * public suffix of the Public Suffix List, and no wildcard directly under one.
   */
  readonly privateDnsName: string;

  /**
   * The Route 53 public hosted zone that holds the verified domain (the zone of the name or
   * of a parent domain), also one imported by ID. With it, the verification TXT record is
   * created in the zone and verification is started; without it, the record's name and value
   * are stack outputs.
   * @default - the verification record is given as outputs
   */
  readonly publicHostedZone?: route53.IPublicHostedZone;
}

/**
 * Sets a private DNS name on an endpoint service and gets its domain ownership verified:
 * with a public hosted zone the TXT record is created and verification started (optionally
 * waited for), otherwise the record's name and value are stack outputs.
 *
 * CloudFormation has no property for this. The library's one handler of the stack does it,
 * for requests it confirms with CloudFormation, with permissions to set only this name on this
 * service (`ec2:VpceServicePrivateDnsName`), remove it, and start the verification.
 */
export class EndpointServicePrivateDnsName extends Construct {
  /** The private DNS name. */
  public readonly privateDnsName: string;
  /** The domain whose ownership the TXT record proves. */
  public readonly verifiedDomain: string;
  /** The label of the TXT record that proves domain ownership (such as `_abc123`), under {@link verifiedDomain}. */
  public readonly verificationRecordName: string;
  /** The value of the TXT record that proves domain ownership. */
  public readonly verificationRecordValue: string;
  /**
   * The verification state at the end of the deployment's change: `verified` after a wait,
   * otherwise the state when the name was set or the verification started (`pendingVerification`, `verified`).
   */
  public readonly verificationState: string;

  constructor(scope: Construct, id: string, props: EndpointServicePrivateDnsNameProps) {
    super(scope, id);
    validatePrivateDnsName(this, props.privateDnsName);
    const zone = props.publicHostedZone;
    const zoneName = zone && knownZoneName(zone);
    this.privateDnsName = props.privateDnsName;
    this.verifiedDomain = (props.verifiedDomain ?? VerifiedDomain.privateDnsName())._domainFor(this, props.privateDnsName, zoneName);
    if (zoneName) checkInZone(this, this.verifiedDomain, zoneName);
    const waitSeconds = checkWait(this, props.waitForVerification, zone !== undefined);
    refuseSecondName(this, props.endpointService);

    const handler = ApprovalHandler.of(this);
    handler.allowReadingServiceConfigurations();
    const serviceId = props.endpointService.vpcEndpointServiceId;
    const nameProperties = { [PRIVATE_DNS_PROPERTY.serviceId]: serviceId, [PRIVATE_DNS_PROPERTY.privateDnsName]: props.privateDnsName };
    const name = new CustomResource(this, 'Resource', {
      resourceType: PRIVATE_DNS_NAME_RESOURCE_TYPE,
      serviceToken: handler.serviceToken,
      serviceTimeout: Duration.minutes(20),
      properties: nameProperties,
    });
    handler.propertiesCheck.add(this, name.node.defaultChild as CfnResource, nameProperties, 'Private DNS name');
    name.node.addDependency(this.allowChangingTheName(handler, serviceId, zone !== undefined));
    this.verificationRecordName = name.getAttString(PRIVATE_DNS_ATTRIBUTE.recordName);
    this.verificationRecordValue = name.getAttString(PRIVATE_DNS_ATTRIBUTE.recordValue);
    const recordName = `${this.verificationRecordName}.${this.verifiedDomain}`;

    if (!zone) {
      this.verificationState = name.getAttString(PRIVATE_DNS_ATTRIBUTE.state);
      readableOutput(this, 'VerificationRecordName', recordName, `Name of the TXT record that verifies ownership of ${props.privateDnsName}`);
      readableOutput(this, 'VerificationRecordValue', this.verificationRecordValue,
        `Value of the TXT record that verifies ownership of ${props.privateDnsName}`);
      return;
    }

    const record = new route53.TxtRecord(this, 'VerificationRecord', {
      zone,
      // Fully qualified, so that a zone imported by ID alone works too.
      recordName: `${recordName}.`,
      values: [this.verificationRecordValue],
    });
    const verificationProperties = {
      ...nameProperties,
      [PRIVATE_DNS_PROPERTY.verificationRecord]: record.domainName,
      [PRIVATE_DNS_PROPERTY.waitSeconds]: waitSeconds,
    };
    const verification = new CustomResource(this, 'Verification', {
      resourceType: PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE,
      serviceToken: waitSeconds > 0 ? handler.waitingServiceToken : handler.serviceToken,
      serviceTimeout: waitSeconds > 0 ? VERIFICATION_TOTAL_TIMEOUT : Duration.minutes(20),
      properties: verificationProperties,
    });
    handler.propertiesCheck.add(this, verification.node.defaultChild as CfnResource, verificationProperties, 'Private DNS verification');
    verification.node.addDependency(name);
    this.verificationState = verification.getAttString(PRIVATE_DNS_ATTRIBUTE.state);
  }

  /**
   * A policy of this name that its resources depend on, on the stack's handler role: set only
   * this name on this service, remove it (a change without a name: IAM has no condition for
   * which other parameters a change sets, so the handler sends none), and start the
   * verification. Another name or service gives a policy with another logical ID, so that a
   * rollback that puts the previous name back still has the previous policy.
   */
  private allowChangingTheName(handler: ApprovalHandler, serviceId: string, verifies: boolean): iam.Policy {
    const serviceArn = ec2Arn(this, 'vpc-endpoint-service', serviceId);
    const key = createHash('sha256').update(JSON.stringify(Stack.of(this).resolve([serviceId, this.privateDnsName]))).digest('hex');
    const modify = 'ec2:ModifyVpcEndpointServiceConfiguration';
    const policy = new iam.Policy(this, `ChangeName${key.slice(0, 8)}`, {
      roles: [handler.function.role!],
      statements: [
        new iam.PolicyStatement({
          sid: 'SetThisPrivateDnsName',
          actions: [modify],
          resources: [serviceArn],
          conditions: { StringEquals: { 'ec2:VpceServicePrivateDnsName': this.privateDnsName } },
        }),
        new iam.PolicyStatement({
          sid: 'RemoveThePrivateDnsName',
          actions: [modify],
          resources: [serviceArn],
          conditions: { Null: { 'ec2:VpceServicePrivateDnsName': 'true' } },
        }),
        ...verifies ? [new iam.PolicyStatement({
          sid: 'StartTheVerification',
          actions: ['ec2:StartVpcEndpointServicePrivateDnsVerification'],
          resources: [serviceArn],
        })] : [],
      ],
    });
    acknowledgeInlinePolicies(policy, 'This private DNS name on this one endpoint service, for the stack\'s handler');
    return policy;
  }
}

/** The zone's name, or undefined for a zone imported by ID alone (whose getter throws). */
function knownZoneName(zone: route53.IPublicHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

function checkInZone(scope: Construct, domain: string, zoneName: string): void {
  if (Token.isUnresolved(domain) || Token.isUnresolved(zoneName)) return;
  const zone = zoneName.replace(/\.$/, '');
  if (domain !== zone && !domain.endsWith(`.${zone}`)) {
    fail(scope, `The verified domain '${domain}' is not in the public hosted zone '${zone}': `
      + `expected '${zone}' or a name that ends with '.${zone}'.`);
  }
}

function checkWait(scope: Construct, wait: Duration | undefined, hasZone: boolean): number {
  if (wait === undefined) return 0;
  if (!hasZone) {
    fail(scope, `${propName('waitForVerification')} needs ${propName('publicHostedZone')}: without it the TXT record is yours to publish, `
      + 'after the deployment. Expected a public hosted zone, or no wait.');
  }
  const milliseconds = wait.toMilliseconds();
  if (Token.isUnresolved(milliseconds)) fail(scope, `${propName('waitForVerification')} is a token: expected a literal duration.`);
  const seconds = milliseconds / 1000;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > MAX_VERIFICATION_WAIT_MINUTES * 60) {
    fail(scope, `Invalid ${propName('waitForVerification')} ${wait.toHumanString()}: expected whole seconds from 1 minute to `
      + `${MAX_VERIFICATION_WAIT_MINUTES} minutes (CloudFormation waits at most 1 hour for a custom resource, and the last checks need time).`);
  }
  return seconds;
}

const NAMED_SERVICES = new ServiceRegistry();

/** One private DNS name per service: two would overwrite each other at every deployment. */
function refuseSecondName(scope: EndpointServicePrivateDnsName, service: ec2.IVpcEndpointService): void {
  const first = NAMED_SERVICES.claim(scope, service.vpcEndpointServiceId);
  if (first) {
    fail(scope, `Endpoint service ${service.node.path} already has a private DNS name (${first}): expected one private DNS name per service.`);
  }
}
