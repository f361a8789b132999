import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, methodName, propName, publicSuffixProblem, withoutWildcard } from '../validation';

/**
 * The domain whose ownership the TXT record proves: the record is `<verification name>.<domain>`.
 * The AWS PrivateLink guide ("Manage DNS names for VPC endpoint services") lets you verify the
 * domain instead of the subdomain, and a new subdomain name needs the subdomain or the domain verified.
 */
export class VerifiedDomain {
  /** The private DNS name itself, without a wildcard label: `<label>.api.example.com` for `api.example.com` or `*.api.example.com`. */
  public static privateDnsName(): VerifiedDomain {
    return new VerifiedDomain('privateDnsName');
  }

  /**
   * The apex of the public hosted zone, such as `example.com`: verified once, it covers every
   * name under it, so that a later name of the service in the zone needs no new record.
   */
  public static hostedZoneApex(): VerifiedDomain {
    return new VerifiedDomain('hostedZoneApex');
  }

  /** A parent domain of the private DNS name (or the name itself, without its wildcard), such as `example.com` for `api.example.com`. */
  public static parentDomain(domainName: string): VerifiedDomain {
    return new VerifiedDomain('parentDomain', domainName);
  }

  private constructor(private readonly kind: 'privateDnsName' | 'hostedZoneApex' | 'parentDomain', private readonly domainName?: string) {}

  /**
   * The verified domain for `privateDnsName`, checked where the values are known: the name
   * itself or a parent of it, inside the hosted zone, not a public suffix.
   * @internal
   */
  public _domainFor(scope: IConstruct, privateDnsName: string, zoneName: string | undefined): string {
    const base = withoutWildcard(privateDnsName);
    if (this.kind === 'privateDnsName') return base;
    if (this.kind === 'hostedZoneApex') {
      if (zoneName === undefined) {
        fail(scope, `${methodName('hostedZoneApex', 'VerifiedDomain')} needs a ${propName('publicHostedZone')} whose name is known `
          + `(not one imported by ID alone): expected a zone with its name, or ${methodName('parentDomain', 'VerifiedDomain')}('<domain>').`);
      }
      return zoneName.replace(/\.$/, '');
    }
    const domain = this.domainName!;
    if (domain.startsWith('*.')) fail(scope, `Invalid verified domain '${domain}': expected a domain without a wildcard label.`);
    if (!Token.isUnresolved(domain) && !Token.isUnresolved(privateDnsName) && base !== domain && !base.endsWith(`.${domain}`)) {
      fail(scope, `Invalid verified domain '${domain}' for the private DNS name '${privateDnsName}': expected the name `
        + `('${base}') or one of its parent domains.`);
    }
    const problem = Token.isUnresolved(domain) ? undefined : publicSuffixProblem(domain);
    if (problem) fail(scope, `Invalid verified domain '${domain}': ${problem}.`);
    return domain;
  }
}
