import { readFileSync } from 'fs';
import { join } from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, ArnFormat, Duration, Fn, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CertificateCondition, ExpiryNotification, RolesAnywhereAccess, TrustAnchorSource } from '../src';

// Deployable in any account and Region: a trust anchor for the example CA, one role that only its
// certificates with CN=payments-batch and O=Example Corp can assume, and a profile with a session policy.
const CA_PEM = readFileSync(join(__dirname, '..', 'examples', 'workload-ca.pem'), 'utf8');
/** Whitespace in JSON text, as it is or URL-encoded. */
const SPACE = '(?:\\s|%20|\\+|%0[9aAdD])*';

const app = new App();
const stack = new Stack(app, 'PrivateLinkRolesAnywhereInteg');
const parameterArn = stack.formatArn({
  service: 'ssm', resource: 'parameter', resourceName: 'payments-batch/report-bucket', arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
});
const readParameter = new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] });
const access = new RolesAnywhereAccess(stack, 'Workload', {
  source: TrustAnchorSource.fromCertificateBundle(CA_PEM),
  notifications: [ExpiryNotification.caCertificateExpiry(60), ExpiryNotification.endEntityCertificateExpiry(14)],
  sessionDuration: Duration.minutes(30),
  sessionPolicy: new iam.PolicyDocument({ statements: [readParameter] }),
});
const role = access.addRole('PaymentsBatch', {
  certificateConditions: [
    CertificateCondition.subjectCommonName('payments-batch'),
    CertificateCondition.subjectOrganization('Example Corp'),
  ],
  statements: [readParameter],
  description: 'Integ test: the payments batch job outside AWS',
});

const integ = new IntegTest(app, 'RolesAnywhereInteg', { testCases: [stack] });

// The trust policy, as IAM holds it (GetRole returns it URL-encoded; the patterns match either form):
// one statement, for rolesanywhere.amazonaws.com, this trust anchor, this account and the certificate's subject.
const trustPolicy = [
  contains(json('"Effect":"Allow"')),
  contains(json('"Principal":{"Service":"rolesanywhere.amazonaws.com"}')),
  ...['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'].map(action => contains(inList('Action', json(`"${action}"`)))),
  contains(json('"ArnEquals":{"aws:SourceArn":"') + tokenText(access.trustAnchorArn) + json('"}')),
  contains(inBlock('StringEquals', json('"aws:SourceAccount":"') + stack.account + json('"'))),
  contains(inBlock('StringEquals', json('"aws:PrincipalTag/x509Subject/CN":"payments-batch"'))),
  contains(inBlock('StringEquals', json('"aws:PrincipalTag/x509Subject/O":"Example Corp"'))),
  '(?![\\s\\S]*Effect[\\s\\S]*Effect)',
];
integ.assertions.awsApiCall('IAM', 'getRole', { RoleName: role.roleName })
  .expect(ExpectedResult.objectLike({
    Role: Match.objectLike({
      Arn: role.roleArn,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: Match.stringLikeRegexp(`^${trustPolicy.join('')}`),
    }),
  }));

// The trust anchor holds the example CA, enabled, with both expiry notifications.
for (const [event, threshold] of [['CA_CERTIFICATE_EXPIRY', 60], ['END_ENTITY_CERTIFICATE_EXPIRY', 14]]) {
  integ.assertions.awsApiCall('RolesAnywhere', 'getTrustAnchor', { trustAnchorId: access.trustAnchorId })
    .expect(ExpectedResult.objectLike({
      trustAnchor: Match.objectLike({
        trustAnchorArn: access.trustAnchorArn,
        enabled: true,
        source: Match.objectLike({
          sourceType: 'CERTIFICATE_BUNDLE',
          sourceData: Match.objectLike({ x509CertificateData: Match.stringLikeRegexp(pemPattern(CA_PEM)) }),
        }),
        notificationSettings: Match.arrayWith([Match.objectLike({ event, enabled: true, threshold, channel: 'ALL' })]),
      }),
    }));
}

// The profile vends credentials for this role only, for 30 minutes, limited by the session policy.
integ.assertions.awsApiCall('RolesAnywhere', 'getProfile', { profileId: access.profileId })
  .expect(ExpectedResult.objectLike({
    profile: Match.objectLike({
      profileArn: access.profileArn,
      enabled: true,
      roleArns: [role.roleArn],
      durationSeconds: 1800,
      sessionPolicy: Match.serializedJson(Match.objectLike({
        Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: parameterArn }],
      })),
    }),
  }));
// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();

/** A lookahead: the text has `pattern` somewhere. */
function contains(pattern: string): string {
  return `(?=[\\s\\S]*${pattern})`;
}

/** `pattern` inside the JSON object `"<name>":{...}`, not in a later one. */
function inBlock(name: string, pattern: string): string {
  return `${json(`"${name}":{`)}(?:(?!%7[dD])[^}])*${pattern}`;
}

/** `pattern` inside the JSON list `"<name>":[...]`. */
function inList(name: string, pattern: string): string {
  return `${json(`"${name}":[`)}(?:(?!%5[dD])[^\\]])*${pattern}`;
}

/**
 * A pattern for JSON text, which matches it as it is and URL-encoded (RFC 3986, either hex case),
 * with or without whitespace around its punctuation.
 */
function json(text: string): string {
  return [...text].map(character => {
    if (/[A-Za-z0-9_~-]/.test(character)) return character;
    if (character === '.') return '\\.';
    if (character === ' ') return '(?: |%20|\\+)';
    const hex = character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    const encoded = `%${hex[0]}${/[A-F]/.test(hex[1]) ? `[${hex[1]}${hex[1].toLowerCase()}]` : hex[1]}`;
    const plain = character.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    const pattern = `(?:${plain}|${encoded})`;
    return '{}[]:,'.includes(character) ? `${SPACE}${pattern}${SPACE}` : pattern;
  }).join('');
}

/**
 * The same for an ARN that is a token, at deployment: its `:` and `/` (nothing else of an ARN means
 * anything in a pattern). The separators are inserted into the JSON text of the expected result, so
 * they are written as JSON string content.
 */
function tokenText(arn: string): string {
  const inJson = (pattern: string) => JSON.stringify(pattern).slice(1, -1);
  return Fn.join(inJson(json('/')), Fn.split('/', Fn.join(inJson(json(':')), Fn.split(':', arn))));
}

/** The PEM block, line breaks as they may be. */
function pemPattern(pem: string): string {
  return pem.trim().split(/\r?\n/).map(line => line.trim().replace(/[+/]/g, '\\$&')).join('\\s*');
}
