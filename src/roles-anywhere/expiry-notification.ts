import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { IConstruct } from 'constructs';

/** A trust anchor notification of certificates about to expire. (SKELETON: filled in by the certificates work.) */
export class ExpiryNotification {
  /** Notify `daysBeforeExpiry` days before a CA certificate of the trust anchor expires. */
  public static caCertificateExpiry(daysBeforeExpiry?: number): ExpiryNotification {
    return new ExpiryNotification('CA_CERTIFICATE_EXPIRY', daysBeforeExpiry);
  }

  /** Notify `daysBeforeExpiry` days before an end-entity certificate used with the trust anchor expires. */
  public static endEntityCertificateExpiry(daysBeforeExpiry?: number): ExpiryNotification {
    return new ExpiryNotification('END_ENTITY_CERTIFICATE_EXPIRY', daysBeforeExpiry);
  }

  private constructor(private readonly event: string, private readonly days?: number) {}

  /** @internal */
  public _render(_scope: IConstruct): rolesanywhere.CfnTrustAnchor.NotificationSettingProperty {
    return { event: this.event, enabled: true, threshold: this.days, channel: 'ALL' };
  }
}
