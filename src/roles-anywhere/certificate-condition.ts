import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describe, fail, methodName } from '../validation';

/** The fields of an X.509 certificate that IAM Roles Anywhere maps to principal tags. */
export enum CertificateField {
  /** The subject's relative distinguished names (CN, OU, O, C, ST, L, ...). */
  SUBJECT = 'x509Subject',
  /** The issuer's relative distinguished names. */
  ISSUER = 'x509Issuer',
  /** The subject alternative name: DNS names, URIs and the directory name. */
  SUBJECT_ALTERNATIVE_NAME = 'x509SAN',
}

/** The condition operators a {@link CertificateCondition} renders. */
export enum CertificateConditionOperator {
  /** Exact, case-sensitive match; `*` and `?` are plain characters. */
  STRING_EQUALS = 'StringEquals',
  /** Match with the `*` and `?` wildcards. */
  STRING_LIKE = 'StringLike',
}

/** Fewest letters or digits before the first wildcard of a `...Like()` pattern on a name. */
const MIN_LITERAL_CHARACTERS = 3;

/**
 * A condition on the end-entity certificate a workload presents to IAM Roles Anywhere, on the
 * principal tag IAM Roles Anywhere maps from it: `aws:PrincipalTag/x509Subject/CN` and so on.
 *
 * Exact matches (`StringEquals`) refuse values with `*` or `?` (a certificate attribute rarely
 * holds them, and the reader would take them for wildcards), with `${` (an IAM policy variable
 * such as `${aws:PrincipalTag/x509Subject/CN}` would match every certificate), empty values and
 * values with leading or trailing whitespace or control characters. The `...Like()` factories
 * render `StringLike` with a narrow pattern: see each factory.
 *
 * Principal tags come from the profile's attribute mapping: by default every subject and issuer
 * RDN and the first DNS name, URI and directory name of the SAN. A condition on a tag that is not
 * mapped never matches, so the role cannot be assumed (it never widens).
 */
export class CertificateCondition {
  /** The subject's common name (CN), exactly. */
  public static subjectCommonName(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'CN', value, 'subjectCommonName');
  }

  /** The subject's common name (CN), matching a `StringLike` pattern with at least 3 letters or digits before the first wildcard, like `payments-*`. */
  public static subjectCommonNameLike(pattern: string): CertificateCondition {
    return new CertificateCondition(CertificateField.SUBJECT, 'CN', pattern, CertificateConditionOperator.STRING_LIKE, 'subjectCommonNameLike');
  }

  /** The subject's organizational unit (OU), exactly. */
  public static subjectOrganizationalUnit(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'OU', value, 'subjectOrganizationalUnit');
  }

  /** The subject's organization (O), exactly. */
  public static subjectOrganization(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'O', value, 'subjectOrganization');
  }

  /** The subject's country (C), exactly. */
  public static subjectCountry(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'C', value, 'subjectCountry');
  }

  /** The subject's state or province (ST), exactly. */
  public static subjectState(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'ST', value, 'subjectState');
  }

  /** The subject's locality (L), exactly. */
  public static subjectLocality(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT, 'L', value, 'subjectLocality');
  }

  /** The issuer's common name (CN), exactly. Does not count as a subject or SAN condition. */
  public static issuerCommonName(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.ISSUER, 'CN', value, 'issuerCommonName');
  }

  /** The issuer's organizational unit (OU), exactly. Does not count as a subject or SAN condition. */
  public static issuerOrganizationalUnit(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.ISSUER, 'OU', value, 'issuerOrganizationalUnit');
  }

  /** The issuer's organization (O), exactly. Does not count as a subject or SAN condition. */
  public static issuerOrganization(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.ISSUER, 'O', value, 'issuerOrganization');
  }

  /** The issuer's country (C), exactly. Does not count as a subject or SAN condition. */
  public static issuerCountry(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.ISSUER, 'C', value, 'issuerCountry');
  }

  /** The first DNS name of the subject alternative name, exactly. */
  public static sanDns(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT_ALTERNATIVE_NAME, 'DNS', value, 'sanDns');
  }

  /** The first DNS name of the subject alternative name, matching a pattern whose only wildcard is the whole first label, before two or more literal labels, like `*.batch.example.com`. */
  public static sanDnsLike(pattern: string): CertificateCondition {
    return new CertificateCondition(CertificateField.SUBJECT_ALTERNATIVE_NAME, 'DNS', pattern, CertificateConditionOperator.STRING_LIKE, 'sanDnsLike');
  }

  /** The first URI of the subject alternative name, exactly, such as a SPIFFE ID `spiffe://example.org/ns/batch/sa/payments`. */
  public static sanUri(value: string): CertificateCondition {
    return CertificateCondition.exact(CertificateField.SUBJECT_ALTERNATIVE_NAME, 'URI', value, 'sanUri');
  }

  /** The first URI of the subject alternative name, matching a pattern with a literal scheme, authority and first path segment before any wildcard, like `spiffe://example.org/payments/*`. */
  public static sanUriLike(pattern: string): CertificateCondition {
    return new CertificateCondition(CertificateField.SUBJECT_ALTERNATIVE_NAME, 'URI', pattern, CertificateConditionOperator.STRING_LIKE, 'sanUriLike');
  }

  private static exact(field: CertificateField, attribute: string, value: string, factory: string): CertificateCondition {
    return new CertificateCondition(field, attribute, value, CertificateConditionOperator.STRING_EQUALS, factory);
  }

  /** The certificate field the condition reads. */
  public readonly field: CertificateField;
  /** The condition key, like `aws:PrincipalTag/x509Subject/CN`. */
  public readonly key: string;
  /** The value (or, for `StringLike`, the pattern) the key must match. */
  public readonly value: string;
  /** The condition operator. */
  public readonly operator: CertificateConditionOperator;
  /** Whether it is a subject or SAN condition, which identifies the workload; an issuer condition does not. */
  public readonly identifiesWorkload: boolean;
  private readonly factory: string;

  private constructor(field: CertificateField, attribute: string, value: string, operator: CertificateConditionOperator, factory: string) {
    this.field = field;
    this.key = `aws:PrincipalTag/${field}/${attribute}`;
    this.value = value;
    this.operator = operator;
    this.identifiesWorkload = field !== CertificateField.ISSUER;
    this.factory = factory;
    // A JavaScript caller must not turn an issuer condition into a workload condition afterwards. Not
    // Object.freeze(): the jsii kernel must add its object ID to every object it hands to another language.
    for (const name of Object.keys(this)) Object.defineProperty(this, name, { writable: false, configurable: false });
  }

  /**
   * Fails unless the value is one the condition can match safely.
   * @internal
   */
  public _validate(scope: IConstruct): void {
    const where = `${methodName(this.factory, 'CertificateCondition')} (${this.key})`;
    const value: unknown = this.value;
    const problem = certificateConditionValueProblem(value, this.operator, this.key.split('/').pop()!);
    if (problem) fail(scope, `${where} has ${describe(value)}: ${problem}.`);
  }
}

/** Why `value` cannot be matched safely with `operator`, as a clause; `undefined` when it can. */
function certificateConditionValueProblem(value: unknown, operator: CertificateConditionOperator, attribute: string): string | undefined {
  if (typeof value !== 'string') return 'expected a string';
  if (Token.isUnresolved(value)) return 'expected a literal value, known at synth time, not a token';
  if (value.length === 0) return 'expected a non-empty value';
  if (value.trim() !== value) return 'expected a value without leading or trailing whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'expected a value without control characters';
  if (value.includes('${')) {
    return "expected no '${': IAM reads it as a policy variable, and a variable such as "
      + '${aws:PrincipalTag/x509Subject/CN} would match every certificate';
  }
  if (operator === CertificateConditionOperator.STRING_EQUALS) {
    if (/[*?]/.test(value)) {
      return "expected an exact value without '*' or '?': StringEquals does not read them as wildcards; "
        + 'for a pattern use the matching ...Like() factory, such as CertificateCondition.subjectCommonNameLike()';
    }
    return undefined;
  }
  return patternProblem(value, attribute);
}

/**
 * Why a `StringLike` pattern would match more than one workload's certificates; `undefined` when it
 * is narrow. What counts is the literal text before the first wildcard (what every match shares),
 * in the shape of the attribute:
 * - DNS: one wildcard, as the whole first label, before at least two literal labels (`*.batch.example.com`);
 * - URI: a literal scheme, authority and first path segment before any wildcard (`spiffe://example.org/payments/*`);
 * - other attributes: at least 3 letters or digits before the first wildcard (`payments-*`).
 */
function patternProblem(pattern: string, attribute: string): string | undefined {
  const prefix = pattern.split(/[*?]/)[0];
  if (attribute === 'DNS') {
    const labels = pattern.split('.');
    const narrow = labels[0] === '*' && labels.length >= 3 && labels.slice(1).every(label => /^[A-Za-z0-9-]+$/.test(label));
    return narrow ? undefined
      : "expected a DNS pattern whose only wildcard is the whole first label, before at least two literal labels, like '*.batch.example.com'";
  }
  if (attribute === 'URI') {
    return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+\/[^/?#]+\//.test(prefix) ? undefined
      : "expected a URI pattern with a literal scheme, authority and first path segment before any wildcard, like 'spiffe://example.org/payments/*'";
  }
  const literal = prefix.replace(/[^A-Za-z0-9]/g, '').length;
  return literal >= MIN_LITERAL_CHARACTERS ? undefined
    : `expected a pattern with at least ${MIN_LITERAL_CHARACTERS} letters or digits before the first wildcard (it has ${literal}), `
      + "like 'payments-*', or it would match the certificates of other workloads";
}
