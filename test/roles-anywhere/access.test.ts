import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { testPki } from './certificates';
import {
  CertificateCondition, CertificateField, ExpiryNotification, RolesAnywhereAccess, RolesAnywhereAccessProps, TrustAnchorSource,
} from '../../src';
import { newStack, validationErrorOf } from '../helpers';

const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

function access(stack: Stack, props: Partial<RolesAnywhereAccessProps> = {}): RolesAnywhereAccess {
  return new RolesAnywhereAccess(stack, 'Access', { source: TrustAnchorSource.fromCertificateAuthorityArn(PCA_ARN), ...props });
}

function trustAnchorArnRef(stack: Stack, a: RolesAnywhereAccess) {
  return { 'Fn::GetAtt': [stack.getLogicalId(a.trustAnchor), 'TrustAnchorArn'] };
}

describe('RolesAnywhereAccess', () => {
  test('a role trusts only Roles Anywhere, with the trust anchor, the account and the certificate conditions', () => {
    const stack = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    const a = access(stack);
    a.addRole('Batch', {
      certificateConditions: [CertificateCondition.subjectCommonName('payments-batch'), CertificateCondition.issuerCommonName('Test Root CA 1')],
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] })],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ACTIONS,
          Condition: {
            ArnEquals: { 'aws:SourceArn': trustAnchorArnRef(stack, a) },
            StringEquals: {
              'aws:SourceAccount': '123456789012',
              'aws:PrincipalTag/x509Subject/CN': 'payments-batch',
              'aws:PrincipalTag/x509Issuer/CN': 'Test Root CA 1',
            },
          },
        }],
      },
      Policies: [{ PolicyName: 'Workload', PolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Action: 's3:GetObject' })] }) }],
    });
  });

  test('every role of the template has exactly the one conditioned statement', () => {
    const stack = newStack();
    const a = access(stack);
    a.addRole('One', { certificateConditions: [CertificateCondition.sanUri('spiffe://example.org/ns/a/sa/one')] });
    a.addRole('Two', { certificateConditions: [CertificateCondition.subjectOrganizationalUnit('payments'), CertificateCondition.sanDnsLike('*.batch.example.com')] });
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toHaveLength(2);
    for (const role of Object.values(roles)) {
      const statements = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0].Principal).toEqual({ Service: 'rolesanywhere.amazonaws.com' });
      expect(statements[0].Condition.ArnEquals['aws:SourceArn']).toEqual(trustAnchorArnRef(stack, a));
      expect(statements[0].Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      const certificateKeys = Object.values(statements[0].Condition as Record<string, Record<string, unknown>>)
        .flatMap(block => Object.keys(block)).filter(key => key.startsWith('aws:PrincipalTag/'));
      expect(certificateKeys.length).toBeGreaterThan(0);
    }
    expect(roles[stack.getLogicalId(a.node.findChild('Roles').node.findChild('Two').node.defaultChild as iam.CfnRole)].Properties.AssumeRolePolicyDocument.Statement[0].Condition)
      .toMatchObject({ StringLike: { 'aws:PrincipalTag/x509SAN/DNS': '*.batch.example.com' } });
  });

  test('the profile lists every role, created and bound, with the session settings', () => {
    const stack = newStack();
    const a = access(stack, {
      sessionDuration: Duration.minutes(30),
      requireInstanceProperties: true,
      acceptRoleSessionName: true,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      sessionPolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] }),
      attributeMappings: [{ certificateField: CertificateField.SUBJECT, specifiers: ['CN', 'OU'] }],
      profileName: 'workloads',
    });
    const created = a.addRole('Batch', { certificateConditions: [CertificateCondition.subjectCommonName('batch')] });
    const existing = iam.Role.fromRoleArn(stack, 'Existing', 'arn:aws:iam::123456789012:role/existing');
    a.bindRole(existing);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', {
      Name: 'workloads',
      RoleArns: [{ 'Fn::GetAtt': [stack.getLogicalId(created.node.defaultChild as iam.CfnRole), 'Arn'] }, 'arn:aws:iam::123456789012:role/existing'],
      DurationSeconds: 1800,
      Enabled: true,
      RequireInstanceProperties: true,
      AcceptRoleSessionName: true,
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
      SessionPolicy: '{"Statement":[{"Action":"s3:*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}',
      AttributeMappings: [{ CertificateField: 'x509Subject', MappingRules: [{ Specifier: 'CN' }, { Specifier: 'OU' }] }],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp('not managed by this construct.*ack: cdk-privatelink:unmanagedTrustPolicy'));
    expect(a.roleArns).toHaveLength(2);
  });

  test('default session is one hour and names are generated', () => {
    const stack = newStack();
    access(stack).addRole('R', { certificateConditions: [CertificateCondition.subjectCommonName('x')] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: 3600, Name: Match.stringLikeRegexp('^[ a-zA-Z0-9_-]+$') });
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: Match.stringLikeRegexp('^[ a-zA-Z0-9_-]+$'),
      Enabled: true,
      Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: PCA_ARN } },
    });
  });

  test('a certificate bundle, notification settings and a revocation list bound to the trust anchor', () => {
    const pki = testPki();
    const stack = newStack();
    const a = new RolesAnywhereAccess(stack, 'Access', {
      source: TrustAnchorSource.fromCertificateBundle(pki.caPem),
      notifications: [ExpiryNotification.caCertificateExpiry(30), ExpiryNotification.endEntityCertificateExpiry(7)],
      revocationLists: [pki.crlPem],
      enabled: false,
    });
    a.addRole('R', { certificateConditions: [CertificateCondition.subjectCommonName('payments-batch')] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Enabled: false,
      Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: Match.stringLikeRegexp('BEGIN CERTIFICATE') } },
      NotificationSettings: Match.arrayWith([
        Match.objectLike({ Event: 'CA_CERTIFICATE_EXPIRY', Threshold: 30 }),
        Match.objectLike({ Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Threshold: 7 }),
      ]),
    });
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', {
      CrlData: pki.crlPem.trim(),
      TrustAnchorArn: trustAnchorArnRef(stack, a),
      Enabled: true,
      Name: Match.stringLikeRegexp('^[ a-zA-Z0-9_-]+$'),
    });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { Enabled: false });
  });

  test('a revocation list that is not a CRL is refused', () => {
    const pki = testPki();
    const error = validationErrorOf(() => access(newStack(), { revocationLists: [pki.caPem] }));
    expect(error.message).toMatch(/\[at Stack\/Access\]/);
  });

  test('credential_process line and outputs', () => {
    const stack = newStack();
    const a = access(stack, { createOutputs: true });
    const role = a.addRole('Batch', { certificateConditions: [CertificateCondition.subjectCommonName('batch')] });
    const line = stack.resolve(a.credentialProcessCommand(role, '/etc/pki/cert.pem', '/etc/pki/batch-key.pem'));
    const text = JSON.stringify(line);
    expect(text).toContain('aws_signing_helper credential-process --certificate /etc/pki/cert.pem --private-key /etc/pki/batch-key.pem --trust-anchor-arn ');
    expect(text).toContain('TrustAnchorArn');
    expect(text).toContain('ProfileArn');
    expect(text).toMatch(/--role-arn .*Arn/);
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['AccessBatchCredentialProcess', 'AccessBatchRoleArn', 'AccessProfileArn', 'AccessTrustAnchorArn']);
    const credentialOutput = outputs.AccessBatchCredentialProcess;
    expect(JSON.stringify(credentialOutput.Value)).toContain('--certificate /path/to/certificate.pem --private-key /path/to/private-key.pem');
  });

  test('credentialProcessCommand() refuses a role not in the profile', () => {
    const stack = newStack();
    const a = access(stack);
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    expect(validationErrorOf(() => a.credentialProcessCommand(other, 'c.pem', 'k.pem')).message).toMatch(/expected a role of this profile/);
  });

  test('trustPolicyStatement() for an existing role', () => {
    const stack = newStack();
    const a = access(stack);
    const statement = stack.resolve(a.trustPolicyStatement([CertificateCondition.subjectCommonName('legacy')]).toStatementJson());
    expect(statement).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ACTIONS,
      Condition: {
        ArnEquals: { 'aws:SourceArn': trustAnchorArnRef(stack, a) },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:PrincipalTag/x509Subject/CN': 'legacy' },
      },
    });
    expect(validationErrorOf(() => a.trustPolicyStatement([])).message).toMatch(/no subject or SAN condition/);
  });

  test('a profile without roles fails synthesis', () => {
    const stack = newStack();
    access(stack);
    expect(() => Template.fromStack(stack)).toThrow(/The profile has no role/);
  });

  test('the named opt-out admits any certificate of the trust anchor, with a warning', () => {
    const stack = newStack();
    access(stack).addRole('Any', { certificateConditions: [], allowAnyCertificateOfTheTrustAnchor: true });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { ArnEquals: Match.anyValue(), StringEquals: { 'aws:SourceAccount': Match.anyValue() } } })] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Access/Roles/Any', Match.stringLikeRegexp('Every certificate'));
  });
});

describe('RolesAnywhereAccess bad input', () => {
  const cases: Array<[string, CertificateCondition[], RegExp]> = [
    ['no condition', [], /certificateConditions has no subject or SAN condition: expected at least one/],
    ['issuer conditions only', [CertificateCondition.issuerCommonName('CA'), CertificateCondition.issuerOrganization('Example')],
      /issuer conditions alone admit every certificate/],
    ['a * in an exact value', [CertificateCondition.subjectCommonName('payments-*')], /'payments-\*'.*expected an exact value without '\*' or '\?'/],
    ['a ? in an exact value', [CertificateCondition.sanDns('host?.example.com')], /x509SAN\/DNS.*'host\?\.example\.com'/],
    ['an empty value', [CertificateCondition.subjectCommonName('')], /subjectCommonName\(\) \(aws:PrincipalTag\/x509Subject\/CN\) has '': expected a non-empty value/],
    ['surrounding whitespace', [CertificateCondition.subjectCommonName(' batch')], /without leading or trailing whitespace/],
    ['a policy variable', [CertificateCondition.subjectCommonName('${aws:PrincipalTag/x509Subject/CN}')], /policy variable/],
    ['a pattern of wildcards', [CertificateCondition.subjectCommonNameLike('*')], /at least 3 letters or digits before the first wildcard \(it has 0\)/],
    ['a name pattern whose literals come after wildcards', [CertificateCondition.subjectCommonNameLike('a*b*c*')], /\(it has 1\)/],
    ['a URI pattern without a literal path segment', [CertificateCondition.sanUriLike('spiffe://*')], /literal scheme, authority and first path segment/],
    ['a URI pattern of wildcards', [CertificateCondition.sanUriLike('*://*/*')], /literal scheme, authority and first path segment/],
    ['a DNS pattern under a single label', [CertificateCondition.sanDnsLike('*.com')], /only wildcard is the whole first label, before at least two literal labels/],
    ['a DNS pattern of wildcards', [CertificateCondition.sanDnsLike('*.*.*.*')], /only wildcard is the whole first label/],
    ['two values on one key', [CertificateCondition.subjectCommonName('a'), CertificateCondition.subjectCommonName('b')],
      /two StringEquals conditions on aws:PrincipalTag\/x509Subject\/CN, 'a' and 'b'/],
  ];
  test.each(cases)('refuses %s', (_name, certificateConditions, message) => {
    const a = access(newStack());
    const error = validationErrorOf(() => a.addRole('R', { certificateConditions }));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/\[at Stack\/Access\]$/);
  });

  test('an identical repeated condition is kept once', () => {
    const stack = newStack();
    access(stack).addRole('R', { certificateConditions: [CertificateCondition.subjectCommonName('a'), CertificateCondition.subjectCommonName('a')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ StringEquals: Match.objectLike({ 'aws:PrincipalTag/x509Subject/CN': 'a' }) }) })] },
    });
  });

  test.each([Duration.minutes(14), Duration.hours(13), Duration.seconds(899), Duration.millis(900_500)])('refuses session duration %s', duration => {
    expect(validationErrorOf(() => access(newStack(), { sessionDuration: duration })).message)
      .toMatch(/sessionDuration is .*expected whole seconds from 15 minutes \(900\) to 12 hours \(43200\)/);
  });

  test.each([Duration.minutes(15), Duration.hours(12)])('accepts session duration %s with a long enough role', duration => {
    const stack = newStack();
    access(stack, { sessionDuration: duration }).addRole('R', {
      certificateConditions: [CertificateCondition.subjectCommonName('x')], maxSessionDuration: Duration.hours(12),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: duration.toSeconds() });
  });

  test('refuses a session longer than a role\'s maximum session', () => {
    const a = access(newStack(), { sessionDuration: Duration.hours(2) });
    expect(validationErrorOf(() => a.addRole('R', { certificateConditions: [CertificateCondition.subjectCommonName('x')] })).message)
      .toMatch(/maxSessionDuration of the role 'R' is 3600 seconds \(IAM's default, 1 hour\), shorter than the profile's sessionDuration of 7200 seconds/);
    expect(validationErrorOf(() => a.addRole('S', {
      certificateConditions: [CertificateCondition.subjectCommonName('x')], maxSessionDuration: Duration.minutes(90),
    })).message).toMatch(/is 5400 seconds, shorter/);
  });

  test('refuses a bad resource name, attribute mapping and a non-boolean', () => {
    expect(validationErrorOf(() => access(newStack(), { profileName: 'bad/name' })).message)
      .toMatch(/profileName is 'bad\/name': expected 1 to 255 letters/);
    expect(validationErrorOf(() => access(newStack(), { attributeMappings: [{ certificateField: 'x509Foo' as CertificateField, specifiers: ['CN'] }] })).message)
      .toMatch(/certificateField has 'x509Foo': expected one of CertificateField.SUBJECT/);
    const emptyMapping = [{ certificateField: CertificateField.SUBJECT_ALTERNATIVE_NAME, specifiers: [] }];
    expect(validationErrorOf(() => access(newStack(), { attributeMappings: emptyMapping })).message)
      .toMatch(/specifiers of 'x509SAN' is empty/);
    expect(validationErrorOf(() => access(newStack(), { enabled: 'false' as unknown as boolean })).message).toMatch(/enabled is 'false': expected true or false/);
  });

  test('bindRole() twice is refused', () => {
    const stack = newStack();
    const a = access(stack);
    const role = iam.Role.fromRoleArn(stack, 'Existing', 'arn:aws:iam::123456789012:role/existing');
    a.bindRole(role);
    expect(validationErrorOf(() => a.bindRole(role)).message).toMatch(/twice/);
  });
});
