import { X509Certificate } from 'crypto';
import { App, Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { testPki } from './certificates';
import { checkCaBundle, pemBlocks } from '../../src/roles-anywhere/ca-certificate';
import { ExpiryNotification, ExpiryNotificationEvent } from '../../src/roles-anywhere/expiry-notification';
import { validateRevocationListPem } from '../../src/roles-anywhere/revocation-list';
import { TrustAnchorSource } from '../../src/roles-anywhere/trust-anchor-source';
import { validationErrorOf } from '../helpers';

const DAY = 86_400_000;
const pki = testPki();
const caNotAfter = new Date(new X509Certificate(pki.caPem).validTo).getTime();

function newStack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region } });
}

function bindError(source: TrustAnchorSource): string {
  return validationErrorOf(() => source._bind(newStack())).message;
}

afterEach(() => jest.useRealTimers());

describe('TrustAnchorSource.fromCertificateBundle', () => {
  test('a CA certificate is accepted and rendered normalized', () => {
    const stack = newStack();
    const source = TrustAnchorSource.fromCertificateBundle(`comment line\n${pki.caPem.replace(/\n/g, '\r\n')}\n\n`)._bind(stack);
    expect(source).toEqual({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: pki.caPem.trim() } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a bundle of two CAs is accepted, joined by a newline', () => {
    const source = TrustAnchorSource.fromCertificateBundle(pki.bundlePem)._bind(newStack());
    expect(source.sourceData).toEqual({ x509CertificateData: `${pki.caPem.trim()}\n${pki.ca2Pem.trim()}` });
  });

  test('a token is passed through unchecked', () => {
    const stack = newStack();
    const param = new CfnParameter(stack, 'Ca');
    const source = TrustAnchorSource.fromCertificateBundle(param.valueAsString)._bind(stack);
    expect(stack.resolve(source.sourceData)).toEqual({ x509CertificateData: { Ref: 'Ca' } });
  });

  test.each([
    ['empty text', '', /certificate bundle is empty: expected one or more PEM CA certificates \('-----BEGIN CERTIFICATE-----'\)/],
    ['garbage', 'not a certificate at all', /has no PEM block in its 24 characters: expected one or more PEM CA certificates/],
    ['an unterminated block', '-----BEGIN CERTIFICATE-----\nMIIB', /malformed: PEM block 1 has a '-----BEGIN ...-----' line without a matching '-----END ...-----' line/],
    ['mismatched labels', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END X509 CRL-----', /begins with '-----BEGIN CERTIFICATE-----' but ends with '-----END X509 CRL-----'/],
    ['an unparsable certificate', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', /PEM block 1 of 1 is not a parsable X.509 certificate .*: expected one or more PEM CA certificates/],
  ])('%s is refused', (_name, pem, message) => {
    const msg = bindError(TrustAnchorSource.fromCertificateBundle(pem));
    expect(msg).toMatch(/^TrustAnchorSource\.fromCertificateBundle\(\): /);
    expect(msg).toMatch(message);
    expect(msg).toMatch(/\[at S\]$/);
  });

  test.each([
    ['a PKCS#8 private key', () => pki.privateKeyPem, 'PRIVATE KEY'],
    ['an EC private key', () => pki.ecPrivateKeyPem, 'EC PRIVATE KEY'],
    ['a private key after a CA', () => pki.caPem + pki.privateKeyPem, 'PRIVATE KEY'],
  ])('%s is refused without echoing it', (_name, pem, label) => {
    const text = pem();
    const msg = bindError(TrustAnchorSource.fromCertificateBundle(text));
    expect(msg).toContain(`contains a private key ('${label}')`);
    expect(msg).toContain('expected one or more PEM CA certificates');
    expect(msg).toContain('rotate the key');
    const keyBody = pemBlocks(text).blocks.find((b) => b.label.includes('PRIVATE KEY'))!.body;
    for (let i = 0; i + 16 <= keyBody.length; i += 16) expect(msg).not.toContain(keyBody.slice(i, i + 16));
  });

  test('a CSR is refused', () => {
    expect(bindError(TrustAnchorSource.fromCertificateBundle(pki.csrPem)))
      .toContain("contains a certificate signing request ('CERTIFICATE REQUEST') as PEM block 1 of 1: expected one or more PEM CA certificates");
  });

  test('a CRL or a public key is refused', () => {
    expect(bindError(TrustAnchorSource.fromCertificateBundle(pki.crlPem))).toContain("contains a certificate revocation list ('X509 CRL')");
    const pub = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
    expect(bindError(TrustAnchorSource.fromCertificateBundle(pub))).toContain("contains a public key ('PUBLIC KEY')");
  });

  test('an end-entity certificate is refused, naming its subject', () => {
    const msg = bindError(TrustAnchorSource.fromCertificateBundle(pki.caPem + pki.endEntityPem));
    expect(msg).toContain("The certificate 'CN=payments-batch, OU=payments, O=Example' (PEM block 2 of 2) is an end-entity certificate, not a CA");
    expect(msg).toContain('expected the certificate of the CA that issues your workload certificates');
  });

  test('an expired CA is refused, naming its subject (fake timers)', () => {
    jest.useFakeTimers({ now: caNotAfter + DAY });
    const msg = bindError(TrustAnchorSource.fromCertificateBundle(pki.caPem));
    expect(msg).toContain(`The CA certificate 'CN=Test Root CA 1, O=cdk-privatelink tests' (PEM block 1 of 1) expired on ${new Date(caNotAfter).toISOString()}`);
    expect(msg).toContain('expected a certificate valid now');
  });

  test('a CA not yet valid is refused (fake timers)', () => {
    const notBefore = new Date(new X509Certificate(pki.caPem).validFrom).getTime();
    jest.useFakeTimers({ now: notBefore - DAY });
    expect(bindError(TrustAnchorSource.fromCertificateBundle(pki.caPem)))
      .toContain(`'CN=Test Root CA 1, O=cdk-privatelink tests' (PEM block 1 of 1) is not valid before ${new Date(notBefore).toISOString()}`);
  });

  test('several problems are all reported', () => {
    const msg = bindError(TrustAnchorSource.fromCertificateBundle(pki.endEntityPem + pki.csrPem));
    expect(msg).toContain('is an end-entity certificate');
    expect(msg).toContain('(and 1 more: The certificate bundle contains a certificate signing request');
  });

  test('a CA expiring within 30 days warns, acknowledgeably', () => {
    const stack = newStack();
    TrustAnchorSource.fromCertificateBundle(pki.expiringSoonCaPem)._bind(stack);
    Annotations.fromStack(stack).hasWarning('/S', Match.stringLikeRegexp(
      "The CA certificate 'CN=Test Expiring CA' of the trust anchor expires on .*, in (9|10) days \\(less than 30\\).*cdk-privatelink:caCertificateExpiresSoon"));
  });

  test('the warning also comes from fake time 29 days before expiry, and not 31 days before', () => {
    jest.useFakeTimers({ now: caNotAfter - 29 * DAY });
    const soon = newStack();
    TrustAnchorSource.fromCertificateBundle(pki.caPem)._bind(soon);
    Annotations.fromStack(soon).hasWarning('/S', Match.stringLikeRegexp('in 29 days'));
    jest.setSystemTime(caNotAfter - 31 * DAY);
    const later = newStack();
    TrustAnchorSource.fromCertificateBundle(pki.caPem)._bind(later);
    Annotations.fromStack(later).hasNoWarning('*', Match.anyValue());
  });

  test('a bundle over 8,000 characters is refused', () => {
    const certs = Array.from({ length: 12 }, () => pki.caPem).join('');
    const check = checkCaBundle(certs, Date.now());
    expect(check.problems).toEqual([expect.stringMatching(/The certificate bundle of 12 certificates is \d+ characters of PEM: expected at most 8000/)]);
  });
});

describe('TrustAnchorSource from an AWS Private CA', () => {
  const uuid = '0123abcd-0123-4567-89ab-0123456789ab';

  test('a Private CA ARN is accepted', () => {
    const arn = `arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/${uuid}`;
    expect(TrustAnchorSource.fromCertificateAuthorityArn(arn)._bind(newStack()))
      .toEqual({ sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: arn } });
  });

  test('an ARN with tokens is accepted, its literal parts checked', () => {
    const stack = newStack();
    const arn = `arn:${Aws.PARTITION}:acm-pca:${Aws.REGION}:${Aws.ACCOUNT_ID}:certificate-authority/${uuid}`;
    expect(stack.resolve(TrustAnchorSource.fromCertificateAuthorityArn(arn)._bind(stack).sourceData)).toBeDefined();
    const bad = `arn:${Aws.PARTITION}:acm:${Aws.REGION}:${Aws.ACCOUNT_ID}:certificate/${uuid}`;
    expect(validationErrorOf(() => TrustAnchorSource.fromCertificateAuthorityArn(bad)._bind(stack)).message)
      .toContain('It is an ACM certificate, not a certificate authority');
  });

  test('a certificate authority construct is accepted', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca',
      `arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/${uuid}`);
    expect(TrustAnchorSource.fromCertificateAuthority(ca)._bind(stack).sourceType).toBe('AWS_ACM_PCA');
    const created = new acmpca.CfnCertificateAuthority(stack, 'Created', {
      type: 'ROOT', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', subject: { commonName: 'x' },
    });
    const source = TrustAnchorSource.fromCertificateAuthorityArn(created.attrArn)._bind(stack);
    expect(stack.resolve(source.sourceData)).toEqual({ acmPcaArn: { 'Fn::GetAtt': ['Created', 'Arn'] } });
  });

  test.each([
    [`arn:aws:acm:eu-west-1:111111111111:certificate/${uuid}`, "TrustAnchorSource.fromCertificateAuthorityArn(): 'arn:aws:acm:eu-west-1:111111111111:certificate/" + uuid + "' is not the ARN of an AWS Private CA: It is an ACM certificate, not a certificate authority. Expected an AWS Private CA ARN, arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>."],
    ['arn:aws:s3:::bucket', "It names the service 's3'"],
    ['not-an-arn', "'not-an-arn' is not an ARN: expected an AWS Private CA ARN"],
    [`arn:aws:acm-pca:eu-west-1:1111:certificate-authority/${uuid}`, "Invalid account '1111'"],
    [`arn:aws:acm-pca:Europe:111111111111:certificate-authority/${uuid}`, "Invalid Region 'Europe'"],
    ['arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/abc', "Invalid resource 'certificate-authority/abc'"],
    [`arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/${uuid}/certificate/x`, 'Invalid resource'],
    [`arn:aws-cn:acm-pca:eu-west-1:111111111111:certificate-authority/${uuid}`, "Wrong partition 'aws-cn'"],
    [`arn:awz:acm-pca:eu-west-1:111111111111:certificate-authority/${uuid}`, "Invalid partition 'awz'"],
  ])('%s is refused', (arn, message) => {
    expect(bindError(TrustAnchorSource.fromCertificateAuthorityArn(arn))).toContain(message);
  });
});

describe('ExpiryNotification', () => {
  const scope = () => newStack();

  test('renders events, thresholds and channel ALL', () => {
    expect(ExpiryNotification.caCertificateExpiry(60)._render(scope()))
      .toEqual({ event: 'CA_CERTIFICATE_EXPIRY', enabled: true, threshold: 60, channel: 'ALL' });
    expect(ExpiryNotification.endEntityCertificateExpiry(7)._render(scope()))
      .toEqual({ event: 'END_ENTITY_CERTIFICATE_EXPIRY', enabled: true, threshold: 7, channel: 'ALL' });
  });

  test('defaults to 45 days, the AWS default', () => {
    expect(ExpiryNotification.caCertificateExpiry()._render(scope()).threshold).toBe(45);
    expect(ExpiryNotification.endEntityCertificateExpiry()._render(scope()).threshold).toBe(45);
  });

  test('1 and 360 days are accepted', () => {
    expect(ExpiryNotification.caCertificateExpiry(1)._render(scope()).threshold).toBe(1);
    expect(ExpiryNotification.caCertificateExpiry(360)._render(scope()).threshold).toBe(360);
  });

  test.each([0, 361, 1.5, -3, NaN])('%p days is refused', (days) => {
    const msg = validationErrorOf(() => ExpiryNotification.endEntityCertificateExpiry(days)._render(scope())).message;
    expect(msg).toBe(`ExpiryNotification.endEntityCertificateExpiry() got ${days} days before expiry: expected a whole number of days from 1 to 360. [at S]`);
  });

  test('disabled() turns the default off', () => {
    const n = ExpiryNotification.disabled(ExpiryNotificationEvent.END_ENTITY_CERTIFICATE_EXPIRY);
    expect(n.event).toBe('END_ENTITY_CERTIFICATE_EXPIRY');
    expect(n.enabled).toBe(false);
    expect(n._render(scope())).toEqual({ event: 'END_ENTITY_CERTIFICATE_EXPIRY', enabled: false, channel: 'ALL' });
  });
});

describe('validateRevocationListPem', () => {
  const check = (pem: string) => validateRevocationListPem(newStack(), pem);
  const error = (pem: string) => validationErrorOf(() => check(pem)).message;

  test('a CRL is accepted', () => {
    expect(() => check(pki.crlPem)).not.toThrow();
    expect(() => check(`\n${pki.crlPem.replace(/\n/g, '\r\n')}`)).not.toThrow();
  });

  test('a token is accepted', () => {
    const stack = newStack();
    expect(() => validateRevocationListPem(stack, new CfnParameter(stack, 'Crl').valueAsString)).not.toThrow();
  });

  test.each([
    ['empty', '', "The revocation list is empty: expected one PEM certificate revocation list ('-----BEGIN X509 CRL-----'). [at S]"],
    ['garbage', 'hello', 'The revocation list has no PEM block in its 5 characters'],
    ['a certificate', pki.caPem, "The revocation list contains a certificate: expected one PEM certificate revocation list ('-----BEGIN X509 CRL-----')."],
    ['a CSR', pki.csrPem, "contains a certificate signing request ('CERTIFICATE REQUEST')"],
    ['a private key', pki.privateKeyPem, "contains a private key ('PRIVATE KEY'): expected one PEM certificate revocation list"],
    ['two CRLs', pki.crlPem + pki.crlPem, "has 2 'X509 CRL' blocks"],
    ['bad base64', '-----BEGIN X509 CRL-----\n!!!!\n-----END X509 CRL-----\n', "'X509 CRL' block is not valid base64"],
    ['not DER', '-----BEGIN X509 CRL-----\naGVsbG8gd29ybGQh\n-----END X509 CRL-----\n', 'does not decode to a DER SEQUENCE'],
    ['truncated DER', `-----BEGIN X509 CRL-----\n${pemBlocks(pki.crlPem).blocks[0].body.slice(0, 100)}\n-----END X509 CRL-----\n`, 'does not decode to a DER SEQUENCE'],
  ])('%s is refused', (_name, pem, message) => {
    expect(error(pem)).toContain(message);
  });

  test('a private key is never echoed', () => {
    const body = pemBlocks(pki.privateKeyPem).blocks[0].body;
    expect(error(pki.privateKeyPem)).not.toContain(body.slice(10, 40));
  });
});
