import { Annotations, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { IConstruct } from 'constructs';
import { arnParts, checkCaBundle, EXPIRES_SOON_DAYS, privateCaArnProblem } from './ca-certificate';
import { methodName } from '../validation/caller-names';
import { describe } from '../validation/enum-value';
import { fail } from '../validation/errors';
import { validatePartition } from '../validation/partition';

/**
 * Where a trust anchor's CA certificates come from: PEM text checked at synth time, or an
 * AWS Private CA.
 */
export class TrustAnchorSource {
  /**
   * CA certificates given as PEM text: one `-----BEGIN CERTIFICATE-----` block per CA (the
   * CAs that issue your workload certificates, usually a root or an intermediate CA).
   *
   * Checked at synth time with Node's `crypto.X509Certificate`; synthesis fails when the text
   * has no PEM block, a block is not a `CERTIFICATE` (a private key, a certificate signing
   * request, a CRL, ...), a certificate does not parse, is an end-entity certificate (basic
   * constraints not CA:TRUE), has expired or is not yet valid, or the bundle exceeds the
   * 8,000 characters IAM Roles Anywhere accepts. A certificate expiring within 30 days gives
   * the acknowledgeable warning `cdk-privatelink:caCertificateExpiresSoon`. The template
   * holds the certificates re-encoded as PEM, joined by newlines (text between blocks is
   * dropped). A token (for example a CloudFormation parameter) is passed through unchecked.
   *
   * @param pem the PEM text of one or more CA certificates
   */
  public static fromCertificateBundle(pem: string): TrustAnchorSource {
    return new TrustAnchorSource({ kind: 'bundle', pem });
  }

  /**
   * An AWS Private CA: IAM Roles Anywhere trusts the certificates it issues.
   *
   * @param ca the certificate authority, created in this app or imported
   */
  public static fromCertificateAuthority(ca: acmpca.ICertificateAuthority): TrustAnchorSource {
    return new TrustAnchorSource({ kind: 'pca', arn: (ca as acmpca.ICertificateAuthority | undefined)?.certificateAuthorityArn, method: 'fromCertificateAuthority' });
  }

  /**
   * An AWS Private CA by ARN, `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>`.
   * The literal parts of the ARN are checked at synth time (service `acm-pca`, the stack's
   * partition, a certificate authority resource); tokens are accepted.
   *
   * @param arn the ARN of the certificate authority
   */
  public static fromCertificateAuthorityArn(arn: string): TrustAnchorSource {
    return new TrustAnchorSource({ kind: 'pca', arn, method: 'fromCertificateAuthorityArn' });
  }

  private constructor(private readonly spec: { kind: 'bundle'; pem: unknown } | { kind: 'pca'; arn: unknown; method: string }) {}

  /**
   * Checks the source for the trust anchor `scope` and returns its CloudFormation source.
   * @internal
   */
  public _bind(scope: IConstruct): rolesanywhere.CfnTrustAnchor.SourceProperty {
    const spec = this.spec;
    if (spec.kind === 'pca') {
      const method = methodName(spec.method, 'TrustAnchorSource');
      if (typeof spec.arn !== 'string') fail(scope, `${method} got ${describe(spec.arn)}: expected an AWS Private CA or its ARN.`);
      // A token without ':' is a whole ARN from a Ref, GetAtt or parameter: nothing to check.
      if (!Token.isUnresolved(spec.arn) || spec.arn.includes(':')) {
        const problem = privateCaArnProblem(spec.arn, (part) => Token.isUnresolved(part));
        if (problem) fail(scope, `${method}: ${problem}`);
        const partition = arnParts(spec.arn)[1];
        if (!Token.isUnresolved(partition)) validatePartition(scope, partition, spec.arn);
      }
      return { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: spec.arn } };
    }
    if (typeof spec.pem !== 'string') {
      fail(scope, `${methodName('fromCertificateBundle', 'TrustAnchorSource')} got ${describe(spec.pem)}: expected the PEM text of CA certificates.`);
    }
    if (Token.isUnresolved(spec.pem)) {
      return { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: spec.pem } };
    }
    const now = Date.now();
    const check = checkCaBundle(spec.pem, now);
    const method = methodName('fromCertificateBundle', 'TrustAnchorSource');
    if (check.problems.length > 0) {
      const more = check.problems.length > 1 ? ` (and ${check.problems.length - 1} more: ${check.problems.slice(1).join(' ')})` : '';
      fail(scope, `${method}: ${check.problems[0]}${more}`);
    }
    for (const cert of check.expiringSoon) {
      const days = Math.floor((cert.notAfter.getTime() - now) / 86_400_000);
      Annotations.of(scope).addWarningV2('cdk-privatelink:caCertificateExpiresSoon',
        `The CA certificate '${cert.subject}' of the trust anchor expires on ${cert.notAfter.toISOString()}, in ${days} days ` +
        `(less than ${EXPIRES_SOON_DAYS}): renew it and deploy the new certificate before then, or workloads can no longer get credentials.`);
    }
    return { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: check.normalized } };
  }
}
