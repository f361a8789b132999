import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { testPki } from './certificates';
import {
  CertificateCondition, ExpiryNotification, RolesAnywhereAccess, RolesAnywhereAccessProps, TrustAnchorSource,
} from '../../src';
import { validationErrorOf } from '../helpers';

// What an adversarial review of Roles Anywhere found: a trust policy changed after addRole(), broad
// patterns, a session policy that would vanish, roles shared between trust anchors, relabelled CRLs,
// shell-unsafe paths, and shapes a caller without types sends.
const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';
const anything = (value: unknown) => value as any;
const CN = [CertificateCondition.subjectCommonName('batch')];

function newStack(): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } }) };
}

function access(stack: Stack, props: Partial<RolesAnywhereAccessProps> = {}, id = 'Access'): RolesAnywhereAccess {
  return new RolesAnywhereAccess(stack, id, { source: TrustAnchorSource.fromCertificateAuthorityArn(PCA_ARN), ...props });
}

test('a statement added to the trust policy after addRole() fails synthesis', () => {
  const { app, stack } = newStack();
  const role = access(stack).addRole('R', { certificateConditions: CN });
  role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('rolesanywhere.amazonaws.com')], actions: ['sts:AssumeRole'],
  }));
  expect(() => app.synth()).toThrow(/The trust policy of the Roles Anywhere role Stack\/Access\/Roles\/R was changed after addRole\(\)/);
});

test.each([
  ['sanUriLike', () => CertificateCondition.sanUriLike('*://*/*')],
  ['sanUriLike', () => CertificateCondition.sanUriLike('spiffe://*')],
  ['sanDnsLike', () => CertificateCondition.sanDnsLike('*...*')],
  ['sanDnsLike', () => CertificateCondition.sanDnsLike('*-*-*-*')],
  ['subjectCommonNameLike', () => CertificateCondition.subjectCommonNameLike('*   *')],
])('a broad %s pattern is refused (%#)', (_factory, condition) => {
  const { stack } = newStack();
  expect(validationErrorOf(() => access(stack).addRole('R', { certificateConditions: [condition()] })).message).toMatch(/expected a .*pattern/);
});

test('narrow patterns are accepted', () => {
  const { stack } = newStack();
  expect(() => access(stack).addRole('R', {
    certificateConditions: [
      CertificateCondition.sanUriLike('spiffe://example.org/payments/*'),
      CertificateCondition.sanDnsLike('*.batch.example.com'),
      CertificateCondition.subjectCommonNameLike('payments-*'),
    ],
  })).not.toThrow();
});

test('an empty session policy, or one that is not a PolicyDocument, is refused', () => {
  expect(validationErrorOf(() => access(newStack().stack, { sessionPolicy: new iam.PolicyDocument() })).message)
    .toContain("sessionPolicy has no statements: an empty session policy would not be set, and the sessions would get the roles' full permissions.");
  expect(validationErrorOf(() => access(newStack().stack, { sessionPolicy: anything({ Statement: [] }) })).message)
    .toContain('sessionPolicy is {"Statement":[]}: expected an iam.PolicyDocument.');
});

test('a role created by one RolesAnywhereAccess cannot be bound to the profile of another', () => {
  const { stack } = newStack();
  const role = access(stack, {}, 'A').addRole('R', { certificateConditions: CN });
  expect(validationErrorOf(() => access(stack, {}, 'B').bindRole(role)).message)
    .toContain('which another RolesAnywhereAccess created for its own trust anchor');
});

test('role ids do not collide with the construct\'s own children', () => {
  const { app, stack } = newStack();
  const a = access(stack, { createOutputs: true });
  a.addRole('TrustAnchor', { certificateConditions: CN });
  a.addRole('Profile', { certificateConditions: [CertificateCondition.subjectCommonName('other')] });
  expect(() => app.synth()).not.toThrow();
});

test('a CRL block that holds a relabelled key or certificate is refused, and only the block reaches the template', () => {
  const pki = testPki();
  const relabel = (pem: string) => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '-----$1 X509 CRL-----');
  for (const pem of [relabel(pki.caPem), relabel(pki.privateKeyPem)]) {
    expect(validationErrorOf(() => access(newStack().stack, { revocationLists: [pem] })).message).toContain('holds something else');
  }
  const { stack } = newStack();
  const a = access(stack, { revocationLists: [`pasted notes before the block\n${pki.crlPem}\nand after`] });
  a.addRole('R', { certificateConditions: CN });
  expect(stack.resolve(a.revocationLists[0].crlData)).toBe(pki.crlPem.trim());
});

test.each(['/c;id.pem', '/c$(id).pem', '/c`id`.pem', '--help', 'C:\\certs\\c.pem', '/a b.pem', "/it's.pem"])(
  'a credential_process path %p that a shell could read as more than a path is refused', path => {
    const { stack } = newStack();
    const a = access(stack);
    const role = a.addRole('R', { certificateConditions: CN });
    expect(validationErrorOf(() => a.credentialProcessCommand(role, path, '/etc/pki/key.pem')).message)
      .toContain('which no shell or SDK reads as anything but a path');
  });

test.each([
  [() => TrustAnchorSource.fromCertificateBundle(anything(undefined)), 'TrustAnchorSource.fromCertificateBundle() got undefined'],
  [() => TrustAnchorSource.fromCertificateBundle(anything(42)), 'TrustAnchorSource.fromCertificateBundle() got 42'],
  [() => TrustAnchorSource.fromCertificateAuthorityArn(anything(5)), 'TrustAnchorSource.fromCertificateAuthorityArn() got 5'],
  [() => TrustAnchorSource.fromCertificateAuthority(anything(undefined)), 'TrustAnchorSource.fromCertificateAuthority() got undefined'],
])('a source of the wrong type is refused with a clear error (%#)', (source, message) => {
  const { stack } = newStack();
  expect(validationErrorOf(() => new RolesAnywhereAccess(stack, 'Access', { source: source() })).message).toContain(message);
});

test('wrong shapes in lists are refused with a clear error', () => {
  expect(validationErrorOf(() => access(newStack().stack, { revocationLists: [anything(5)] })).message).toContain('A revocation list is 5');
  expect(validationErrorOf(() => access(newStack().stack, { managedPolicies: [anything(null)] })).message).toContain('managedPolicies has null');
  expect(validationErrorOf(() => access(newStack().stack).addRole('R', { certificateConditions: CN, statements: [anything({})] })).message)
    .toContain('statements has {}: expected iam.PolicyStatement values.');
  expect(validationErrorOf(() => access(newStack().stack).bindRole(anything({ roleArn: 5 }))).message).toContain('bindRole() got');
});

test('a role maximum session outside IAM\'s bounds is refused by this construct', () => {
  expect(validationErrorOf(() => access(newStack().stack).addRole('R', { certificateConditions: CN, maxSessionDuration: Duration.hours(13) })).message)
    .toContain('expected whole seconds from 1 hour to 12 hours');
});

test('a certificate condition cannot be changed after it is made', () => {
  const issuer = CertificateCondition.issuerCommonName('Example CA');
  expect(() => { (issuer as any).identifiesWorkload = true; }).toThrow(TypeError);
  const { stack } = newStack();
  expect(validationErrorOf(() => access(stack).addRole('R', { certificateConditions: [issuer] })).message).toMatch(/subject or SAN/);
});

test('notification settings: an unknown event and two settings for one event are refused', () => {
  expect(validationErrorOf(() => access(newStack().stack, { notifications: [ExpiryNotification.disabled(anything('FOO'))] })).message)
    .toContain("event has 'FOO': expected one of ExpiryNotificationEvent.CA_CERTIFICATE_EXPIRY");
  expect(validationErrorOf(() => access(newStack().stack, {
    notifications: [ExpiryNotification.caCertificateExpiry(30), ExpiryNotification.caCertificateExpiry(60)],
  })).message).toContain('notifications has more than one setting for CA_CERTIFICATE_EXPIRY: expected one setting per event.');
});
