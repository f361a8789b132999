import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { CertificateCondition, RolesAnywhereAccess, TrustAnchorSource } from '../../src';
import { trustStatement } from '../../src/roles-anywhere/trust-policy';
import { PrivateLinkValidationError } from '../../src/validation';
import { newStack } from '../helpers';

const SEED = 20240610;
const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';
const ANCHOR_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0b9c1f3e-1111-2222-3333-444444444444';
const ACCOUNT = '123456789012';
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

type Factory = (value: string) => CertificateCondition;
const EXACT: Factory[] = [
  CertificateCondition.subjectCommonName, CertificateCondition.subjectOrganizationalUnit, CertificateCondition.subjectOrganization,
  CertificateCondition.subjectCountry, CertificateCondition.subjectState, CertificateCondition.subjectLocality,
  CertificateCondition.issuerCommonName, CertificateCondition.issuerOrganizationalUnit, CertificateCondition.issuerOrganization,
  CertificateCondition.issuerCountry, CertificateCondition.sanDns, CertificateCondition.sanUri,
];
const LIKE: Factory[] = [CertificateCondition.subjectCommonNameLike, CertificateCondition.sanDnsLike, CertificateCondition.sanUriLike];

/** Values that are mostly clean, sometimes with the characters the rules are about. */
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9.:/_-]{0,20}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9*?]{0,8}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('*.batch.example.com', 'spiffe://example.org/payments/*', 'payments-*', '*.com', 'spiffe://*',
      '*://*/*', 'a*b*c*', '*.*.example.com', 'https://example.org/a/b*', 'abc?'),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' x', 'x ', 'a\tb', '${aws:PrincipalTag/x509Subject/CN}', 'a${b}', 'x\u0000y') },
);

const conditionArb = fc.record({
  like: fc.nat(3).map(n => n === 0), // one condition in four is a pattern
  index: fc.nat(),
  value: valueArb,
}).map(({ like, index, value }) => {
  const factories = like ? LIKE : EXACT;
  return factories[index % factories.length](value);
});

/** Independent oracle of the value rules. */
function acceptable(condition: CertificateCondition): boolean {
  const v = condition.value;
  if (v.length === 0 || v.trim() !== v || /[\u0000-\u001f\u007f]/.test(v) || v.includes('${')) return false;
  if (condition.operator === 'StringEquals') return !/[*?]/.test(v);
  const beforeWildcard = v.slice(0, v.search(/[*?]/) === -1 ? v.length : v.search(/[*?]/));
  if (condition.key.endsWith('/DNS')) return /^\*(\.[A-Za-z0-9-]+){2,}$/.test(v);
  if (condition.key.endsWith('/URI')) return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+\/[^/?#]+\//.test(beforeWildcard);
  return (beforeWildcard.match(/[A-Za-z0-9]/g) ?? []).length >= 3;
}

/** Whether two conditions share operator and key with different values. */
function conflicting(conditions: CertificateCondition[]): boolean {
  const seen = new Map<string, string>();
  for (const c of conditions) {
    const id = `${c.operator} ${c.key}`;
    if (seen.has(id) && seen.get(id) !== c.value) return true;
    seen.set(id, c.value);
  }
  return false;
}

/** Checks that `json` is the trust statement for exactly `conditions`: nothing missing, nothing wider. */
function expectNarrow(json: any, conditions: CertificateCondition[], anchorArn: unknown, account: unknown): void {
  expect(Object.keys(json).sort()).toEqual(['Action', 'Condition', 'Effect', 'Principal']);
  expect(json.Effect).toBe('Allow');
  expect(json.Principal).toEqual({ Service: 'rolesanywhere.amazonaws.com' });
  expect(json.Action).toEqual(ACTIONS);
  const blocks = json.Condition as Record<string, Record<string, unknown>>;
  for (const operator of Object.keys(blocks)) expect(['ArnEquals', 'StringEquals', 'StringLike']).toContain(operator);
  expect(blocks.ArnEquals).toEqual({ 'aws:SourceArn': anchorArn });
  expect(blocks.StringEquals['aws:SourceAccount']).toEqual(account);
  for (const c of conditions) expect(blocks[c.operator][c.key]).toBe(c.value);
  const expectedKeys = new Set([...conditions.map(c => `${c.operator} ${c.key}`), 'ArnEquals aws:SourceArn', 'StringEquals aws:SourceAccount']);
  const actualKeys = Object.entries(blocks).flatMap(([op, block]) => Object.keys(block).map(key => `${op} ${key}`));
  expect(new Set(actualKeys)).toEqual(expectedKeys);
  expect(actualKeys).toHaveLength(expectedKeys.size);
  for (const block of Object.values(blocks)) for (const value of Object.values(block)) expect(Array.isArray(value)).toBe(false);
}

describe('Roles Anywhere trust statement (property)', () => {
  const stack = new Stack();

  test('the pure builder: every accepted statement has the trust anchor, the account and every condition, and nothing wider', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(fc.property(fc.array(conditionArb, { maxLength: 4 }), fc.boolean(), (conditions, allowAny) => {
      const shouldAccept = conditions.every(acceptable) && !conflicting(conditions)
        && (allowAny || conditions.some(c => c.identifiesWorkload));
      let json: any;
      try {
        json = stack.resolve(trustStatement(stack, {
          trustAnchorArn: ANCHOR_ARN, account: ACCOUNT, certificateConditions: conditions, allowAnyCertificateOfTheTrustAnchor: allowAny,
        }).toStatementJson());
      } catch (error) {
        expect(error).toBeInstanceOf(PrivateLinkValidationError);
        expect(shouldAccept).toBe(false);
        refused++;
        return;
      }
      expect(shouldAccept).toBe(true);
      expectNarrow(json, conditions, ANCHOR_ARN, ACCOUNT);
      accepted++;
    }), { numRuns: 1000, seed: SEED });
    // Both outcomes are exercised, not only the refusals.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  test('the construct: every created role\'s trust policy is the one narrow statement', () => {
    const validConditions = fc.array(conditionArb.filter(acceptable), { minLength: 1, maxLength: 5 })
      .filter(cs => cs.some(c => c.identifiesWorkload) && !conflicting(cs));
    fc.assert(fc.property(validConditions, conditions => {
      const s = newStack({ env: { account: ACCOUNT, region: 'eu-west-1' } });
      const access = new RolesAnywhereAccess(s, 'Access', { source: TrustAnchorSource.fromCertificateAuthorityArn(PCA_ARN) });
      access.addRole('Workload', { certificateConditions: conditions });
      const roles = Object.values(Template.fromStack(s).findResources('AWS::IAM::Role'));
      expect(roles).toHaveLength(1);
      const document = roles[0].Properties.AssumeRolePolicyDocument;
      expect(document.Statement).toHaveLength(1);
      expectNarrow(document.Statement[0], conditions, { 'Fn::GetAtt': [s.getLogicalId(access.trustAnchor), 'TrustAnchorArn'] }, ACCOUNT);
    }), { numRuns: 50, seed: SEED });
  });
});
