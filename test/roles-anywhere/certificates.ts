/**
 * Test PKI for the Roles Anywhere tests, generated with the `openssl` CLI into a fresh temp
 * directory (nothing is downloaded or committed). Every key is EC P-256. The commands, with
 * `$D` the temp directory:
 *
 * ```sh
 * # Private keys (one per CA, one for the workload)
 * openssl ecparam -name prime256v1 -genkey -noout -out $D/ca.key            # "EC PRIVATE KEY"
 * openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $D/ee.key   # "PRIVATE KEY" (PKCS#8)
 *
 * # Self-signed CA certificates (basicConstraints critical CA:TRUE)
 * openssl req -x509 -new -key $D/ca.key -sha256 -days 365 -subj "/CN=Test Root CA 1/O=cdk-privatelink tests" \
 *   -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out $D/ca.pem
 * # (the same for ca2.pem, "Test Root CA 2", and soon.pem, "Test Expiring CA", with -days 10)
 *
 * # A CSR and an end-entity certificate signed by the first CA (basicConstraints CA:FALSE)
 * openssl req -new -key $D/ee.key -subj "/CN=payments-batch/OU=payments/O=Example" -out $D/ee.csr
 * openssl x509 -req -in $D/ee.csr -CA $D/ca.pem -CAkey $D/ca.key -CAcreateserial -days 30 -sha256 \
 *   -extfile $D/ee.ext -out $D/ee.pem        # ee.ext: basicConstraints=critical,CA:FALSE ...
 *
 * # A CRL of the first CA (openssl ca needs a minimal config: a database file and a CRL number)
 * touch $D/index.txt; echo 01 > $D/crlnumber
 * openssl ca -gencrl -config $D/ca.cnf -keyfile $D/ca.key -cert $D/ca.pem -out $D/ca.crl
 * ```
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** PEM texts of the test PKI. */
export interface TestPki {
  /** A self-signed CA certificate, valid 365 days from generation; subject `CN=Test Root CA 1, O=cdk-privatelink tests`. */
  readonly caPem: string;
  /** A second self-signed CA certificate; subject `CN=Test Root CA 2, O=cdk-privatelink tests`. */
  readonly ca2Pem: string;
  /** `caPem` and `ca2Pem` concatenated. */
  readonly bundlePem: string;
  /** A CA certificate valid only 10 days from generation; subject `CN=Test Expiring CA`. */
  readonly expiringSoonCaPem: string;
  /** An end-entity certificate (CA:FALSE) signed by `caPem`; subject `CN=payments-batch, OU=payments, O=Example`. */
  readonly endEntityPem: string;
  /** A certificate signing request for the end-entity key. */
  readonly csrPem: string;
  /** The end-entity private key, PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  readonly privateKeyPem: string;
  /** The first CA's private key, SEC1 (`-----BEGIN EC PRIVATE KEY-----`). */
  readonly ecPrivateKeyPem: string;
  /** An empty CRL issued by `caPem` (`-----BEGIN X509 CRL-----`). */
  readonly crlPem: string;
}

let cached: TestPki | undefined;

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string, subject: string, days: number): void {
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  openssl(dir, 'req', '-x509', '-new', '-key', `${name}.key`, '-sha256', '-days', String(days), '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', `${name}.pem`);
}

/**
 * Generates the test PKI once per test file (about 100 ms) and returns it. Call it before
 * enabling jest fake timers, and compute fake "now" values relative to the real clock.
 */
export function testPki(): TestPki {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roles-anywhere-pki-'));
  try {
    selfSignedCa(dir, 'ca', '/CN=Test Root CA 1/O=cdk-privatelink tests', 365);
    selfSignedCa(dir, 'ca2', '/CN=Test Root CA 2/O=cdk-privatelink tests', 365);
    selfSignedCa(dir, 'soon', '/CN=Test Expiring CA', 10);

    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ee.key');
    openssl(dir, 'req', '-new', '-key', 'ee.key', '-subj', '/CN=payments-batch/OU=payments/O=Example', '-out', 'ee.csr');
    fs.writeFileSync(path.join(dir, 'ee.ext'), [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=clientAuth',
      'subjectAltName=URI:spiffe://example.org/payments-batch',
      '',
    ].join('\n'));
    openssl(dir, 'x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-sha256', '-extfile', 'ee.ext', '-out', 'ee.pem');

    // Minimal `openssl ca` configuration: only what -gencrl reads.
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    fs.writeFileSync(path.join(dir, 'ca.cnf'), [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `database = ${path.join(dir, 'index.txt')}`,
      `crlnumber = ${path.join(dir, 'crlnumber')}`,
      'default_md = sha256',
      'default_crl_days = 30',
      '',
    ].join('\n'));
    openssl(dir, 'ca', '-gencrl', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'ca.crl');

    const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    const caPem = read('ca.pem');
    const ca2Pem = read('ca2.pem');
    cached = {
      caPem,
      ca2Pem,
      bundlePem: caPem + ca2Pem,
      expiringSoonCaPem: read('soon.pem'),
      endEntityPem: read('ee.pem'),
      csrPem: read('ee.csr'),
      privateKeyPem: read('ee.key'),
      ecPrivateKeyPem: read('ca.key'),
      crlPem: read('ca.crl'),
    };
    return cached;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
