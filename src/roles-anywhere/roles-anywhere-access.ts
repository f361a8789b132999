import { Annotations, Duration, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { Construct, IConstruct } from 'constructs';
import { CertificateCondition, CertificateField } from './certificate-condition';
import { ExpiryNotification } from './expiry-notification';
import { validateRevocationListPem } from './revocation-list';
import { TrustAnchorSource } from './trust-anchor-source';
import { RolesAnywhereTrustPrincipal, trustStatement } from './trust-policy';
import { pathBelowStack, readableOutput } from '../readable-output';
import {
  EnumType, describe, fail, methodName, propName, validateBoolean, validateEnumValue, validateList,
} from '../validation';

const CERTIFICATE_FIELD: EnumType<CertificateField> = { name: 'CertificateField', members: { ...CertificateField } };

/** Name pattern of trust anchors, profiles and CRLs. */
const RESOURCE_NAME = /^[ a-zA-Z0-9_-]{1,255}$/;
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43200;
/** IAM's default maximum session duration of a role. */
/** Roles created by any RolesAnywhereAccess: another instance must not bind them to its profile. */
const CREATED_ROLES = new WeakSet<iam.IRole>();
const SAFE_PATH = /^[A-Za-z0-9_./:~@+-]+$/;

function checkManagedPolicies(scope: IConstruct, policies: iam.IManagedPolicy[] | undefined): void {
  const bad = policies?.find(policy => typeof (policy as Partial<iam.IManagedPolicy> | null)?.managedPolicyArn !== 'string');
  if (bad !== undefined) fail(scope, `${propName('managedPolicies')} has ${describe(bad)}: expected managed policies, such as iam.ManagedPolicy.fromAwsManagedPolicyName().`);
}

const DEFAULT_ROLE_MAX_SESSION_SECONDS = 3600;

/**
 * Which attributes of a certificate field IAM Roles Anywhere maps to principal tags, replacing
 * the default mapping of that field.
 */
export interface AttributeMapping {
  /** The certificate field. */
  readonly certificateField: CertificateField;

  /**
   * The specifiers to map: RDNs such as `CN`, `OU`, `O` or `*` (all) for the subject and issuer;
   * `DNS`, `URI`, `Name/*` or `Name/CN` for the SAN. A condition on an attribute that is not
   * mapped never matches.
   */
  readonly specifiers: string[];
}

/** Properties of a {@link RolesAnywhereAccess}. */
export interface RolesAnywhereAccessProps {
  /**
   * The CA certificates of the trust anchor: `TrustAnchorSource.fromCertificateBundle(pem)` or
   * `TrustAnchorSource.fromCertificateAuthority(ca)`.
   */
  readonly source: TrustAnchorSource;

  /**
   * The name of the trust anchor: 1 to 255 letters, digits, spaces, `-` and `_`.
   * @default - a name unique to the construct path
   */
  readonly trustAnchorName?: string;

  /**
   * Whether the trust anchor and the profile are enabled.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Notifications of certificates about to expire, such as
   * `ExpiryNotification.caCertificateExpiry(30)`.
   * @default - IAM Roles Anywhere's default notification settings
   */
  readonly notifications?: ExpiryNotification[];

  /**
   * Certificate revocation lists of the CA, each PEM text (`-----BEGIN X509 CRL-----`), imported
   * for this trust anchor.
   * @default - none
   */
  readonly revocationLists?: string[];

  /**
   * The name of the profile: 1 to 255 letters, digits, spaces, `-` and `_`.
   * @default - a name unique to the construct path
   */
  readonly profileName?: string;

  /**
   * How long the credentials vended with the profile are valid: 15 minutes to 12 hours, and not
   * longer than the maximum session duration of each role created with `addRole()`.
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Whether a credential request must carry instance properties.
   * @default false
   */
  readonly requireInstanceProperties?: boolean;

  /**
   * Whether a credential request may set its own role session name.
   * @default false
   */
  readonly acceptRoleSessionName?: boolean;

  /**
   * A session policy that limits the permissions of the vended credentials.
   * @default - none
   */
  readonly sessionPolicy?: iam.PolicyDocument;

  /**
   * Managed policies that limit the permissions of the vended credentials (session policies).
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * The attributes of certificates mapped to principal tags.
   * @default - IAM Roles Anywhere's default: every subject and issuer RDN, and the first DNS name,
   * URI and directory name of the SAN
   */
  readonly attributeMappings?: AttributeMapping[];

  /**
   * Create stack outputs: the trust anchor ARN, the profile ARN, and each role's ARN and
   * `credential_process` line (with placeholder certificate and key paths), named after the
   * construct's path below the stack, such as `WorkloadTrustAnchorArn` and
   * `WorkloadBatchRoleArn` for a construct `Workload` and a role `Batch` (a bound role:
   * `WorkloadBound<role path>RoleArn`).
   * @default false
   */
  readonly createOutputs?: boolean;
}

/** Properties of a role created with {@link RolesAnywhereAccess.addRole}. */
export interface WorkloadRoleProps {
  /**
   * The conditions a workload's certificate must match, all of them. At least one must be a
   * subject or SAN condition, unless `allowAnyCertificateOfTheTrustAnchor` is set.
   */
  readonly certificateConditions: CertificateCondition[];

  /**
   * Let every certificate of the trust anchor assume the role, with no subject or SAN condition.
   * Adds the warning `cdk-privatelink:anyCertificateOfTrustAnchor`.
   * @default false
   */
  readonly allowAnyCertificateOfTheTrustAnchor?: boolean;

  /**
   * Managed policies of the role.
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Statements of the role's inline policy.
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * The role's maximum session duration: 1 to 12 hours, and at least the profile's session duration.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * The name of the role.
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The description of the role.
   * @default - none
   */
  readonly description?: string;
}

/**
 * Short-lived AWS credentials for workloads outside AWS: an IAM Roles Anywhere trust anchor, roles
 * that only certificates of that trust anchor matching given conditions can assume, and a profile
 * that binds them.
 */
export class RolesAnywhereAccess extends Construct {
  /** The ARN of the trust anchor. */
  public readonly trustAnchorArn: string;
  /** The ID of the trust anchor. */
  public readonly trustAnchorId: string;
  /** The ARN of the profile. */
  public readonly profileArn: string;
  /** The ID of the profile. */
  public readonly profileId: string;
  /** The trust anchor resource. */
  public readonly trustAnchor: rolesanywhere.CfnTrustAnchor;
  /** The profile resource. */
  public readonly profile: rolesanywhere.CfnProfile;
  /** The revocation list resources, in the order of `revocationLists`. */
  public readonly revocationLists: rolesanywhere.CfnCRL[];

  private readonly boundRoles: iam.IRole[] = [];
  private readonly sessionSeconds: number;
  private readonly createOutputs: boolean;

  constructor(scope: Construct, id: string, props: RolesAnywhereAccessProps) {
    super(scope, id);
    if (!(props.source instanceof TrustAnchorSource)) {
      fail(this, `${propName('source')} is ${describe(props.source)}: expected a TrustAnchorSource, such as `
        + `${methodName('fromCertificateBundle', 'TrustAnchorSource')}.`);
    }
    const enabled = validateBoolean(this, 'enabled', props.enabled) ?? true;
    validateBoolean(this, 'requireInstanceProperties', props.requireInstanceProperties);
    validateBoolean(this, 'acceptRoleSessionName', props.acceptRoleSessionName);
    this.createOutputs = validateBoolean(this, 'createOutputs', props.createOutputs) ?? false;
    validateList(this, 'notifications', props.notifications, 'ExpiryNotification values');
    validateList(this, 'revocationLists', props.revocationLists, 'PEM-encoded certificate revocation lists');
    validateList(this, 'managedPolicies', props.managedPolicies, 'managed policies');
    validateList(this, 'attributeMappings', props.attributeMappings, 'AttributeMapping values');
    this.sessionSeconds = this.checkSessionDuration(props.sessionDuration);
    if (props.sessionPolicy !== undefined && !(props.sessionPolicy instanceof iam.PolicyDocument)) {
      fail(this, `${propName('sessionPolicy')} is ${describe(props.sessionPolicy)}: expected an iam.PolicyDocument.`);
    }
    if (props.sessionPolicy?.isEmpty) {
      fail(this, `${propName('sessionPolicy')} has no statements: an empty session policy would not be set, and the sessions would get `
        + `the roles' full permissions. Expected at least one statement, or no ${propName('sessionPolicy')}.`);
    }
    checkManagedPolicies(this, props.managedPolicies);

    const source = props.source._bind(this);
    const notificationSettings = props.notifications?.map(notification => {
      if (!(notification instanceof ExpiryNotification)) {
        fail(this, `${propName('notifications')} has ${describe(notification)}: expected ExpiryNotification values, such as `
          + `${methodName('caCertificateExpiry', 'ExpiryNotification')}.`);
      }
      return notification._render(this);
    });
    const events = notificationSettings?.map(setting => setting.event) ?? [];
    const repeated = events.filter((event, index) => events.indexOf(event) !== index);
    if (repeated.length > 0) {
      fail(this, `${propName('notifications')} has more than one setting for ${[...new Set(repeated)].join(', ')}: expected one setting per event.`);
    }
    this.trustAnchor = new rolesanywhere.CfnTrustAnchor(this, 'TrustAnchor', {
      name: this.resourceName('trustAnchorName', props.trustAnchorName, 'TrustAnchor'),
      source,
      enabled,
      notificationSettings: notificationSettings?.length ? notificationSettings : undefined,
    });
    this.trustAnchorArn = this.trustAnchor.attrTrustAnchorArn;
    this.trustAnchorId = this.trustAnchor.attrTrustAnchorId;

    this.revocationLists = (props.revocationLists ?? []).map((pem, index) => {
      const crlData = validateRevocationListPem(this, pem);
      return new rolesanywhere.CfnCRL(this, `RevocationList${index + 1}`, {
        name: this.resourceName('revocationLists', undefined, `RevocationList${index + 1}`),
        crlData,
        trustAnchorArn: this.trustAnchorArn,
        enabled: true,
      });
    });

    const stack = Stack.of(this);
    this.profile = new rolesanywhere.CfnProfile(this, 'Profile', {
      name: this.resourceName('profileName', props.profileName, 'Profile'),
      roleArns: Lazy.list({ produce: () => this.boundRoles.map(role => role.roleArn) }),
      durationSeconds: this.sessionSeconds,
      enabled,
      requireInstanceProperties: props.requireInstanceProperties,
      acceptRoleSessionName: props.acceptRoleSessionName,
      sessionPolicy: props.sessionPolicy ? Lazy.string({ produce: () => stack.toJsonString(props.sessionPolicy!.toJSON()) }) : undefined,
      managedPolicyArns: props.managedPolicies?.length ? props.managedPolicies.map(policy => policy.managedPolicyArn) : undefined,
      attributeMappings: this.attributeMappings(props.attributeMappings),
    });
    this.profileArn = this.profile.attrProfileArn;
    this.profileId = this.profile.attrProfileId;
    this.node.addValidation({
      validate: () => this.boundRoles.length > 0 ? [] : [
        `The profile has no role: expected at least one, from ${methodName('addRole')} or ${methodName('bindRole')} [at ${this.node.path}]`,
      ],
    });

    if (this.createOutputs) {
      readableOutput(this, 'TrustAnchorArn', this.trustAnchorArn, 'IAM Roles Anywhere trust anchor ARN');
      readableOutput(this, 'ProfileArn', this.profileArn, 'IAM Roles Anywhere profile ARN');
    }
  }

  /** The roles of the profile, created with `addRole()` or bound with `bindRole()`. */
  public get roles(): iam.IRole[] {
    return [...this.boundRoles];
  }

  /** The ARNs of the roles of the profile. */
  public get roleArns(): string[] {
    return this.boundRoles.map(role => role.roleArn);
  }

  /**
   * Creates a role whose trust policy is only the Roles Anywhere statement for this trust anchor
   * and `certificateConditions`, and adds it to the profile.
   */
  public addRole(id: string, props: WorkloadRoleProps): iam.Role {
    const allowAny = validateBoolean(this, 'allowAnyCertificateOfTheTrustAnchor', props.allowAnyCertificateOfTheTrustAnchor) ?? false;
    validateList(this, 'certificateConditions', props.certificateConditions, 'CertificateCondition values');
    validateList(this, 'managedPolicies', props.managedPolicies, 'managed policies');
    validateList(this, 'statements', props.statements, 'policy statements');
    checkManagedPolicies(this, props.managedPolicies);
    const notStatement = props.statements?.find(s => !(s instanceof iam.PolicyStatement));
    if (notStatement !== undefined) fail(this, `${propName('statements')} has ${describe(notStatement)}: expected iam.PolicyStatement values.`);
    const statement = this.trustStatementFor(props.certificateConditions ?? [], allowAny);
    const maxSeconds = this.checkRoleMaxSession(id, props.maxSessionDuration);
    const role = new iam.Role(this.rolesScope(), id, {
      assumedBy: new RolesAnywhereTrustPrincipal(statement),
      managedPolicies: props.managedPolicies,
      inlinePolicies: props.statements?.length ? { Workload: new iam.PolicyDocument({ statements: props.statements }) } : undefined,
      maxSessionDuration: maxSeconds === undefined ? undefined : Duration.seconds(maxSeconds),
      roleName: props.roleName,
      description: props.description,
    });
    if (allowAny && !(props.certificateConditions ?? []).some(condition => condition.identifiesWorkload)) {
      Annotations.of(role).addWarningV2('cdk-privatelink:anyCertificateOfTrustAnchor',
        `Every certificate the trust anchor's CA issued can assume this role (${propName('allowAnyCertificateOfTheTrustAnchor')}: true): `
        + `add a subject or SAN condition, such as ${methodName('subjectCommonName', 'CertificateCondition')}, to admit only one workload.`);
    }
    CREATED_ROLES.add(role);
    // The trust policy must stay the one statement: anything added to it later would bypass the trust anchor.
    const expected = JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()));
    role.node.addValidation({
      validate: () => {
        const statements = Stack.of(role).resolve(role.assumeRolePolicy?.toJSON())?.Statement ?? [];
        return statements.length === 1 && JSON.stringify(statements[0]) === expected ? [] : [
          `The trust policy of the Roles Anywhere role ${role.node.path} was changed after ${methodName('addRole')}: it has `
          + `${JSON.stringify(statements)}; expected only the statement for this trust anchor and its certificate conditions. `
          + `Create another role with ${methodName('addRole')} for other principals.`,
        ];
      },
    });
    this.bind(role, id);
    return role;
  }

  /**
   * Adds an existing role to the profile. Its trust policy is not managed here: add the statement
   * of `trustPolicyStatement()` to it, or IAM Roles Anywhere cannot assume it. Adds the warning
   * `cdk-privatelink:unmanagedTrustPolicy`.
   */
  public bindRole(role: iam.IRole): void {
    if (!role || typeof role.roleArn !== 'string') fail(this, `${methodName('bindRole')} got ${describe(role)}: expected an iam.IRole.`);
    if (this.boundRoles.includes(role)) fail(this, `${methodName('bindRole')} got the role ${role.node.path} twice: expected each role once.`);
    if (CREATED_ROLES.has(role)) {
      fail(this, `${methodName('bindRole')} got the role ${role.node.path}, which another RolesAnywhereAccess created for its own trust anchor: `
        + 'a workload with that trust anchor\'s certificate could then use this profile (its session policy and duration). '
        + `Expected a role of your own, or ${methodName('addRole')} here.`);
    }
    Annotations.of(this).addWarningV2('cdk-privatelink:unmanagedTrustPolicy',
      `The trust policy of the role ${role.node.path} is not managed by this construct: add the statement of `
      + `${methodName('trustPolicyStatement')} to it (Allow rolesanywhere.amazonaws.com sts:AssumeRole, sts:TagSession and `
      + 'sts:SetSourceIdentity with ArnEquals aws:SourceArn of this trust anchor, StringEquals aws:SourceAccount and the '
      + 'certificate conditions), and keep its maximum session duration at least the profile\'s session duration.');
    this.bind(role, ['Bound', ...pathBelowStack(role)].join('-'));
  }

  /**
   * The trust statement to put in an existing role's trust policy: IAM Roles Anywhere may assume
   * the role for certificates of this trust anchor that match all of `certificateConditions`.
   * At least one must be a subject or SAN condition.
   */
  public trustPolicyStatement(certificateConditions: CertificateCondition[]): iam.PolicyStatement {
    validateList(this, 'certificateConditions', certificateConditions, 'CertificateCondition values');
    return this.trustStatementFor(certificateConditions ?? [], false);
  }

  /**
   * The `credential_process` command of AWS's credential helper for `role`, one of the profile's
   * roles, for the `credential_process` setting of an AWS CLI or SDK profile.
   */
  public credentialProcessCommand(role: iam.IRole, certificatePath: string, privateKeyPath: string): string {
    if (!this.boundRoles.includes(role)) {
      fail(this, `${methodName('credentialProcessCommand')} got the role ${describe(role?.node?.path ?? role)}: expected a role of this `
        + `profile, from ${methodName('addRole')} or ${methodName('bindRole')}.`);
    }
    const certificate = this.pathArgument('certificatePath', certificatePath);
    const privateKey = this.pathArgument('privateKeyPath', privateKeyPath);
    return `aws_signing_helper credential-process --certificate ${certificate} --private-key ${privateKey} `
      + `--trust-anchor-arn ${this.trustAnchorArn} --profile-arn ${this.profileArn} --role-arn ${role.roleArn}`;
  }

  private bind(role: iam.IRole, outputId: string): void {
    this.boundRoles.push(role);
    if (!this.createOutputs) return;
    readableOutput(this, `${outputId}RoleArn`, role.roleArn, `ARN of the role ${role.node.path}`);
    readableOutput(this, `${outputId}CredentialProcess`, this.credentialProcessCommand(role, '/path/to/certificate.pem', '/path/to/private-key.pem'),
      `credential_process line for the role ${role.node.path} (replace the certificate and key paths)`);
  }

  private trustStatementFor(conditions: CertificateCondition[], allowAny: boolean): iam.PolicyStatement {
    return trustStatement(this, {
      trustAnchorArn: this.trustAnchorArn,
      account: Stack.of(this).account,
      certificateConditions: conditions,
      allowAnyCertificateOfTheTrustAnchor: allowAny,
    });
  }

  private checkSessionDuration(duration: Duration | undefined): number {
    if (duration === undefined) return DEFAULT_ROLE_MAX_SESSION_SECONDS;
    if (!(duration instanceof Duration)) fail(this, `${propName('sessionDuration')} is ${describe(duration)}: expected a Duration.`);
    const seconds = duration.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds)) fail(this, `${propName('sessionDuration')} is a token: expected a Duration known at synth time.`);
    if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
      fail(this, `${propName('sessionDuration')} is ${duration.toHumanString()} (${seconds} seconds): expected whole seconds from `
        + `15 minutes (${MIN_SESSION_SECONDS}) to 12 hours (${MAX_SESSION_SECONDS}).`);
    }
    return seconds;
  }

  /** The role's maximum session in seconds (undefined: IAM's default of one hour), at least the session duration. */
  private checkRoleMaxSession(id: string, duration: Duration | undefined): number | undefined {
    let seconds = DEFAULT_ROLE_MAX_SESSION_SECONDS;
    if (duration !== undefined) {
      if (!(duration instanceof Duration)) fail(this, `${propName('maxSessionDuration')} is ${describe(duration)}: expected a Duration.`);
      seconds = duration.toSeconds({ integral: false });
      if (Token.isUnresolved(seconds)) fail(this, `${propName('maxSessionDuration')} is a token: expected a Duration known at synth time.`);
      if (!Number.isInteger(seconds) || seconds < DEFAULT_ROLE_MAX_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
        fail(this, `${propName('maxSessionDuration')} of the role '${id}' is ${duration.toHumanString()}: expected whole seconds from 1 hour to 12 hours (IAM's bounds).`);
      }
    }
    if (seconds < this.sessionSeconds) {
      fail(this, `${propName('maxSessionDuration')} of the role '${id}' is ${seconds} seconds${duration === undefined ? ' (IAM\'s default, 1 hour)' : ''}, `
        + `shorter than the profile's ${propName('sessionDuration')} of ${this.sessionSeconds} seconds: expected at least `
        + `${this.sessionSeconds} seconds, or a shorter ${propName('sessionDuration')}.`);
    }
    return duration === undefined ? undefined : seconds;
  }

  private resourceName(prop: string, value: string | undefined, suffix: string): string {
    if (value === undefined) {
      return Names.uniqueResourceName(this, { maxLength: 255 - suffix.length - 1, separator: '-' }) + `-${suffix}`;
    }
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && !RESOURCE_NAME.test(value))) {
      fail(this, `${propName(prop)} is ${describe(value)}: expected 1 to 255 letters, digits, spaces, '-' and '_'.`);
    }
    return value;
  }

  private attributeMappings(mappings: AttributeMapping[] | undefined): rolesanywhere.CfnProfile.AttributeMappingProperty[] | undefined {
    if (!mappings?.length) return undefined;
    const seen = new Set<string>();
    return mappings.map(mapping => {
      const field = validateEnumValue(this, 'certificateField', mapping?.certificateField, CERTIFICATE_FIELD);
      if (seen.has(field)) fail(this, `${propName('attributeMappings')} maps '${field}' twice: expected one AttributeMapping per certificate field.`);
      seen.add(field);
      validateList(this, 'specifiers', mapping.specifiers, 'specifiers such as \'CN\'');
      if (!mapping.specifiers?.length) fail(this, `${propName('specifiers')} of '${field}' is empty: expected at least one specifier, such as 'CN' or '*'.`);
      for (const specifier of mapping.specifiers) {
        if (typeof specifier !== 'string' || specifier.trim() === '' || specifier.trim() !== specifier) {
          fail(this, `${propName('specifiers')} of '${field}' has ${describe(specifier)}: expected a specifier such as 'CN', 'DNS' or '*'.`);
        }
      }
      return { certificateField: field, mappingRules: mapping.specifiers.map(specifier => ({ specifier })) };
    });
  }

  /**
   * A path for the command line. Shells and SDKs read `credential_process` differently (some run it
   * through `sh -c`, botocore splits it like a shell), so only characters that mean nothing to any of
   * them are taken.
   */
  private pathArgument(prop: string, path: string): string {
    if (typeof path !== 'string' || path.length === 0) fail(this, `${propName(prop)} is ${describe(path)}: expected a file path.`);
    if (Token.isUnresolved(path)) fail(this, `${propName(prop)} is a token: expected a literal file path.`);
    if (!SAFE_PATH.test(path) || path.startsWith('-')) {
      fail(this, `${propName(prop)} is ${describe(path)}: expected a path of letters, digits and '_', '.', '/', ':', '~', '@', '+', '-' `
        + "(not starting with '-'), which no shell or SDK reads as anything but a path.");
    }
    return path;
  }

  private rolesScope(): Construct {
    return (this.node.tryFindChild('Roles') as Construct | undefined) ?? new Construct(this, 'Roles');
  }

}
