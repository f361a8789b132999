import { Token } from 'aws-cdk-lib';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { IConstruct } from 'constructs';
import { methodName } from '../validation/caller-names';
import { validateEnumValue } from '../validation/enum-value';
import { fail } from '../validation/errors';

/** A certificate expiry event of IAM Roles Anywhere, as the trust anchor's notification settings name it. */
export enum ExpiryNotificationEvent {
  /** A CA certificate of the trust anchor approaches expiry. */
  CA_CERTIFICATE_EXPIRY = 'CA_CERTIFICATE_EXPIRY',
  /** An end-entity (workload) certificate used with the trust anchor to get credentials approaches expiry. */
  END_ENTITY_CERTIFICATE_EXPIRY = 'END_ENTITY_CERTIFICATE_EXPIRY',
}

/** Whole days IAM Roles Anywhere accepts as a notification threshold (NotificationSetting `Threshold`: 1 to 360). */
const MIN_DAYS = 1;
const MAX_DAYS = 360;
/** The threshold IAM Roles Anywhere uses when a trust anchor has no setting for an event. */
const DEFAULT_DAYS = 45;

/**
 * A trust anchor notification setting for certificates about to expire (CloudFormation
 * `AWS::RolesAnywhere::TrustAnchor NotificationSetting`, channel `ALL`).
 *
 * What you get: when the days until a certificate expires fall to the threshold or below, IAM
 * Roles Anywhere sends EventBridge events (source `aws.rolesanywhere`, detail-type
 * `Roles Anywhere Certificate Expiration State Change`, best-effort delivery) and AWS Health
 * notifications; for CA certificates also a CloudWatch metric. Per the IAM Roles Anywhere User
 * Guide ("Customize notification settings"), CA certificate events and Health notifications
 * continue until 14 days after the certificate expires, the CloudWatch metric and end-entity
 * certificate events until the day of expiry. This library has not confirmed the CloudWatch
 * metric's name or the event's `detail` fields; match on `source` and `detail-type`.
 *
 * Without any setting for an event, IAM Roles Anywhere applies its own default: enabled, 45
 * days before expiry. Use `ExpiryNotification.disabled()` to turn an event off.
 */
export class ExpiryNotification {
  /**
   * Notify `daysBeforeExpiry` days before a CA certificate of the trust anchor expires.
   *
   * @param daysBeforeExpiry whole days, 1 to 360; without it, 45 (the IAM Roles Anywhere default)
   */
  public static caCertificateExpiry(daysBeforeExpiry?: number): ExpiryNotification {
    return new ExpiryNotification(ExpiryNotificationEvent.CA_CERTIFICATE_EXPIRY, true, daysBeforeExpiry, 'caCertificateExpiry');
  }

  /**
   * Notify `daysBeforeExpiry` days before an end-entity certificate used with the trust anchor expires.
   *
   * @param daysBeforeExpiry whole days, 1 to 360; without it, 45 (the IAM Roles Anywhere default)
   */
  public static endEntityCertificateExpiry(daysBeforeExpiry?: number): ExpiryNotification {
    return new ExpiryNotification(ExpiryNotificationEvent.END_ENTITY_CERTIFICATE_EXPIRY, true, daysBeforeExpiry, 'endEntityCertificateExpiry');
  }

  /**
   * No notifications for `event`: turns off the default notification IAM Roles Anywhere
   * otherwise sends 45 days before expiry.
   */
  public static disabled(event: ExpiryNotificationEvent): ExpiryNotification {
    return new ExpiryNotification(event, false, undefined, 'disabled');
  }

  /** The event this setting applies to. */
  public readonly event: ExpiryNotificationEvent;

  /** Whether notifications for the event are sent. */
  public readonly enabled: boolean;

  private constructor(event: ExpiryNotificationEvent, enabled: boolean, private readonly days: number | undefined,
    private readonly method: string) {
    this.event = event;
    this.enabled = enabled;
  }

  /** @internal */
  public _render(scope: IConstruct): rolesanywhere.CfnTrustAnchor.NotificationSettingProperty {
    validateEnumValue(scope, 'event', this.event, { name: 'ExpiryNotificationEvent', members: { ...ExpiryNotificationEvent } });
    if (!this.enabled) return { event: this.event, enabled: false, channel: 'ALL' };
    const days = this.days ?? DEFAULT_DAYS;
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS)) {
      fail(scope, `${methodName(this.method, 'ExpiryNotification')} got ${days} days before expiry: ` +
        `expected a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.`);
    }
    return { event: this.event, enabled: true, threshold: days, channel: 'ALL' };
  }
}
