import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { IConstruct } from 'constructs';

/** Where a trust anchor's CA certificates come from. (SKELETON: filled in by the certificates work.) */
export class TrustAnchorSource {
  /** CA certificates given as PEM text (a bundle of one or more certificates), checked at synth time. */
  public static fromCertificateBundle(pem: string): TrustAnchorSource {
    return new TrustAnchorSource({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: pem } });
  }

  /** An AWS Private CA. */
  public static fromCertificateAuthority(ca: acmpca.ICertificateAuthority): TrustAnchorSource {
    return TrustAnchorSource.fromCertificateAuthorityArn(ca.certificateAuthorityArn);
  }

  /** An AWS Private CA by ARN. */
  public static fromCertificateAuthorityArn(arn: string): TrustAnchorSource {
    return new TrustAnchorSource({ sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: arn } });
  }

  private constructor(private readonly source: rolesanywhere.CfnTrustAnchor.SourceProperty) {}

  /**
   * Checks the source for the trust anchor `scope` and returns its CloudFormation source.
   * @internal
   */
  public _bind(_scope: IConstruct): rolesanywhere.CfnTrustAnchor.SourceProperty {
    return this.source;
  }
}
