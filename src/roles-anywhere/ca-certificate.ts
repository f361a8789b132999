import { X509Certificate } from 'crypto';

/**
 * Synth-time checks of the PEM text IAM Roles Anywhere takes: a trust anchor's CA
 * certificate bundle, an ACM Private CA ARN, and a certificate revocation list. Pure
 * functions; the constructs wrap them with `fail()` and warnings. Messages never echo PEM
 * contents (a pasted private key must not end up in CI logs).
 */

/** `SourceData.x509CertificateData`: "Maximum length of 8000" (IAM Roles Anywhere API Reference, SourceData). */
export const MAX_CERTIFICATE_BUNDLE_LENGTH = 8000;
/** `ImportCrl.crlData`: "Maximum length of 300000" (IAM Roles Anywhere API Reference, ImportCrl). */
export const MAX_CRL_LENGTH = 300000;
/** A certificate expiring within this many days gets the `caCertificateExpiresSoon` warning. */
export const EXPIRES_SOON_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** One `-----BEGIN <label>----- ... -----END <label>-----` block. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `EC PRIVATE KEY`. */
  readonly label: string;
  /** The base64 body, whitespace removed. */
  readonly body: string;
  /** The block's text as given. */
  readonly text: string;
}

/** The PEM blocks of `text`, and a problem when a block is not closed. Text between blocks is ignored. */
export function pemBlocks(text: string): { blocks: PemBlock[]; problem?: string } {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(text)) !== null) {
    const [whole, label, body, endLabel] = match;
    if (label !== endLabel) {
      return { blocks, problem: `PEM block ${blocks.length + 1} begins with '-----BEGIN ${label}-----' but ends with '-----END ${endLabel}-----'` };
    }
    blocks.push({ label, body: body.replace(/\s+/g, ''), text: whole });
    end = re.lastIndex;
  }
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(text.slice(end))) {
    return { blocks, problem: `PEM block ${blocks.length + 1} has a '-----BEGIN ...-----' line without a matching '-----END ...-----' line` };
  }
  return { blocks };
}

/** What a PEM block of `label` is, for messages. */
export function describePemLabel(label: string): string {
  if (label.includes('PRIVATE KEY')) return `a private key ('${label}')`;
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return `a certificate signing request ('${label}')`;
  if (label === 'X509 CRL') return `a certificate revocation list ('${label}')`;
  if (label === 'CERTIFICATE') return 'a certificate';
  if (label.includes('PUBLIC KEY')) return `a public key ('${label}')`;
  return `a '${label}' block`;
}

const KEY_ADVICE = ' Never put a private key in source or a template: remove it, and rotate the key if it was committed or shared.';

function keyAdvice(label: string): string {
  return label.includes('PRIVATE KEY') ? KEY_ADVICE : '';
}

/** `X509Certificate.subject` (one `K=V` per line) as `CN=..., O=...`. */
export function subjectOf(cert: X509Certificate): string {
  return cert.subject.split('\n').filter(Boolean).join(', ') || '<empty subject>';
}

/** A certificate of a checked bundle. */
export interface BundleCertificate {
  /** Its subject, `CN=..., O=...`. */
  readonly subject: string;
  /** Its PEM text, normalized. */
  readonly pem: string;
  /** When it expires. */
  readonly notAfter: Date;
}

/** The result of `checkCaBundle`. */
export interface CaBundleCheck {
  /** Errors: the bundle must not be used. */
  readonly problems: string[];
  /** Certificates that expire within `EXPIRES_SOON_DAYS` days. */
  readonly expiringSoon: BundleCertificate[];
  /** The certificates, normalized. */
  readonly certificates: BundleCertificate[];
  /** The bundle to render: the normalized certificates joined by newlines. */
  readonly normalized: string;
}

/**
 * Checks a trust anchor's CA certificate bundle at time `now` (milliseconds since the epoch).
 * Every PEM block must be a `CERTIFICATE` that parses, is a CA (basic constraints CA:TRUE)
 * and is valid at `now`; the normalized bundle must fit Roles Anywhere's 8,000 characters.
 */
export function checkCaBundle(pem: string, now: number): CaBundleCheck {
  const problems: string[] = [];
  const certificates: BundleCertificate[] = [];
  const expected = "expected one or more PEM CA certificates ('-----BEGIN CERTIFICATE-----'), each a CA (basic constraints CA:TRUE)";
  const { blocks, problem } = pemBlocks(pem);
  if (problem) problems.push(`The certificate bundle is malformed: ${problem}; ${expected}.`);
  if (blocks.length === 0 && !problem) {
    const what = pem.trim().length === 0 ? 'is empty' : `has no PEM block in its ${pem.length} characters`;
    problems.push(`The certificate bundle ${what}: ${expected}.`);
  }
  blocks.forEach((block, i) => {
    const where = `PEM block ${i + 1} of ${blocks.length}`;
    if (block.label !== 'CERTIFICATE') {
      problems.push(`The certificate bundle contains ${describePemLabel(block.label)} as ${where}: ${expected}.${keyAdvice(block.label)}`);
      return;
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block.text);
    } catch (e) {
      problems.push(`The certificate bundle's ${where} is not a parsable X.509 certificate (${(e as Error).message}): ${expected}.`);
      return;
    }
    const subject = subjectOf(cert);
    const notBefore = new Date(cert.validFrom);
    const notAfter = new Date(cert.validTo);
    if (!cert.ca) {
      problems.push(`The certificate '${subject}' (${where}) is an end-entity certificate, not a CA (its basic constraints do not say CA:TRUE, or its key usage does not allow keyCertSign): ` +
        'expected the certificate of the CA that issues your workload certificates, not a workload certificate.');
    }
    if (notAfter.getTime() <= now) {
      problems.push(`The CA certificate '${subject}' (${where}) expired on ${notAfter.toISOString()}: expected a certificate valid now; renew the CA certificate.`);
    } else if (notBefore.getTime() > now) {
      problems.push(`The CA certificate '${subject}' (${where}) is not valid before ${notBefore.toISOString()}: expected a certificate valid now.`);
    }
    certificates.push({ subject, pem: cert.toString().trim(), notAfter });
  });
  const normalized = certificates.map((c) => c.pem).join('\n');
  if (problems.length === 0 && normalized.length > MAX_CERTIFICATE_BUNDLE_LENGTH) {
    problems.push(`The certificate bundle of ${certificates.length} certificates is ${normalized.length} characters of PEM: ` +
      `expected at most ${MAX_CERTIFICATE_BUNDLE_LENGTH} (the IAM Roles Anywhere limit); use fewer certificates or one trust anchor per CA.`);
  }
  const expiringSoon = certificates.filter((c) => c.notAfter.getTime() > now && c.notAfter.getTime() - now < EXPIRES_SOON_DAYS * DAY_MS);
  return { problems, expiringSoon, certificates, normalized };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PCA_ARN_SHAPE = 'arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>';

/** The parts of an ARN: `arn`, partition, service, Region, account, resource. */
export function arnParts(arn: string): string[] {
  const parts = arn.split(':');
  return parts.length > 6 ? [...parts.slice(0, 5), parts.slice(5).join(':')] : parts;
}

/**
 * The problem with `arn` as an AWS Private CA ARN, or undefined. `isToken(part)` says whether
 * a part is unresolved at synth time; such parts are not checked.
 */
export function privateCaArnProblem(arn: string, isToken: (part: string) => boolean): string | undefined {
  const expected = `expected an AWS Private CA ARN, ${PCA_ARN_SHAPE}`;
  const parts = arnParts(arn);
  if (parts.length !== 6 || parts[0] !== 'arn') return `'${arn}' is not an ARN: ${expected}.`;
  const [, , service, region, account, resource] = parts;
  if (!isToken(service) && service !== 'acm-pca') {
    const hint = service === 'acm' && resource.startsWith('certificate/')
      ? ' It is an ACM certificate, not a certificate authority.'
      : ` It names the service '${service}'.`;
    return `'${arn}' is not the ARN of an AWS Private CA:${hint} ${expected[0].toUpperCase()}${expected.slice(1)}.`;
  }
  if (!isToken(region) && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return `Invalid Region '${region}' in '${arn}': ${expected}.`;
  if (!isToken(account) && !/^\d{12}$/.test(account)) return `Invalid account '${account}' in '${arn}': expected 12 digits; ${expected}.`;
  if (!isToken(resource)) {
    const [type, id, ...rest] = resource.split('/');
    if (type !== 'certificate-authority' || rest.length > 0 || id === undefined || !UUID.test(id)) {
      return `Invalid resource '${resource}' in '${arn}': expected 'certificate-authority/<uuid>' (lower-case hex); ${expected}.`;
    }
  }
  return undefined;
}

/**
 * The problem with `pem` as a certificate revocation list, or undefined: exactly one PEM
 * `X509 CRL` block whose base64 decodes to a DER SEQUENCE of the length it declares, at most
 * `MAX_CRL_LENGTH` bytes.
 */
export function revocationListProblem(pem: string): string | undefined {
  const expected = "expected one PEM certificate revocation list ('-----BEGIN X509 CRL-----')";
  const { blocks, problem } = pemBlocks(pem);
  if (problem) return `The revocation list is malformed: ${problem}; ${expected}.`;
  if (blocks.length === 0) {
    const what = pem.trim().length === 0 ? 'is empty' : `has no PEM block in its ${pem.length} characters`;
    return `The revocation list ${what}: ${expected}.`;
  }
  const other = blocks.find((b) => b.label !== 'X509 CRL');
  if (other) {
    return `The revocation list contains ${describePemLabel(other.label)}: ${expected}.${keyAdvice(other.label)}`;
  }
  if (blocks.length > 1) return `The revocation list has ${blocks.length} 'X509 CRL' blocks: ${expected}; import each CRL separately.`;
  const body = blocks[0].body;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    return `The revocation list's 'X509 CRL' block is not valid base64: ${expected}.`;
  }
  const der = Buffer.from(body, 'base64');
  if (der.length > MAX_CRL_LENGTH) {
    return `The revocation list is ${der.length} bytes: expected at most ${MAX_CRL_LENGTH} (the IAM Roles Anywhere limit).`;
  }
  if (derSequenceLength(der) !== der.length) {
    return `The revocation list's 'X509 CRL' block does not decode to a DER SEQUENCE: ${expected}.`;
  }
  // CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { version INTEGER OPTIONAL, signature SEQUENCE, ... } ... }.
  // A private key (PKCS#8) starts with INTEGER 0 instead of a SEQUENCE; a certificate's TBS starts with [0] (its version).
  const tbs = der.subarray(headerLength(der));
  const firstInTbs = tbs[headerLength(tbs)];
  if (tbs[0] !== 0x30 || (firstInTbs !== 0x02 && firstInTbs !== 0x30)) {
    return 'The revocation list\'s \'X509 CRL\' block holds something else (its DER is not a CertificateList; a relabelled '
      + `certificate or key?): ${expected}.`;
  }
  return undefined;
}

/** The length of the tag and length octets of the DER element at the start of `der`. */
function headerLength(der: Buffer): number {
  if (der.length < 2) return der.length;
  return der[1] < 0x80 ? 2 : 2 + (der[1] - 0x80);
}

/** The total length of the DER SEQUENCE at the start of `der` (tag, length and content), or -1. */
function derSequenceLength(der: Buffer): number {
  if (der.length < 2 || der[0] !== 0x30) return -1;
  const first = der[1];
  if (first < 0x80) return 2 + first;
  const n = first - 0x80;
  if (n === 0 || n > 4 || der.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i];
  return 2 + n + len;
}
