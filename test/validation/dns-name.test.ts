import { publicSuffixProblem } from '../../src/validation/dns-name';

describe('names under public suffixes', () => {
  test.each([
    // [name, the public suffix it is or is directly under]
    ['com', 'com'],
    ['co.uk', 'co.uk'],
    ['*.com', 'com'],
    ['*.co.uk', 'co.uk'],
    ['*.bar.kawasaki.jp', 'bar.kawasaki.jp'], // the wildcard rule *.kawasaki.jp
    ['*.foo.ck', 'foo.ck'], // the wildcard rule *.ck
  ])('%p is refused', (name, suffix) => {
    const problem = publicSuffixProblem(name);
    expect(problem).toContain(name === suffix ? 'it is a public suffix' : `the wildcard is directly under '${suffix}', a public suffix`);
    expect(problem).toContain('(ICANN section of the Public Suffix List)');
    expect(problem).toContain(`expected a name in a domain you registered, like 'api.example.${suffix}' or '*.example.${suffix}'`);
  });

  test.each([
    ['github.io'],
    ['*.github.io'],
    ['s3.amazonaws.com'],
    ['*.s3.amazonaws.com'],
    ['*.execute-api.us-east-1.amazonaws.com'],
    ['*.blogspot.com'],
  ])('%p, under the private section, is refused', (name) => {
    expect(publicSuffixProblem(name)).toContain('a public suffix (private section of the Public Suffix List: its owner hands out the names under it)');
  });

  test('a wildcard directly under a suffix says so', () => {
    expect(publicSuffixProblem('*.co.uk')).toBe("the wildcard is directly under 'co.uk', a public suffix (ICANN section of the "
      + "Public Suffix List): it would match every domain registered under it, and nobody can prove to own 'co.uk'; "
      + "expected a name in a domain you registered, like 'api.example.co.uk' or '*.example.co.uk'");
    expect(publicSuffixProblem('co.uk')).toBe('it is a public suffix (ICANN section of the Public Suffix List), which nobody can '
      + "prove to own; expected a name in a domain you registered, like 'api.example.co.uk' or '*.example.co.uk'");
  });

  test('a wildcard directly under a top-level domain the list does not know is refused too', () => {
    expect(publicSuffixProblem('*.internal')).toContain("the wildcard is directly under 'internal', a top-level domain (not in the Public Suffix List)");
  });

  test.each([
    'example.com', '*.example.com', 'api.example.co.uk', '*.api.example.co.uk', 'amazonaws.com', '*.amazonaws.com',
    'app.github.io', '*.app.github.io', 'bucket.s3.amazonaws.com', 'www.ck', '*.www.ck', 'city.kawasaki.jp', '*.city.kawasaki.jp',
    'xn--80aswg.xn--p1ai',
    'corp.internal', '*.corp.internal',
  ])('%p is in a registrable domain', (name) => {
    expect(publicSuffixProblem(name)).toBeUndefined();
  });

  test('punycode suffixes are known', () => {
    expect(publicSuffixProblem('*.xn--p1ai')).toContain("directly under 'xn--p1ai', a public suffix (ICANN section");
    expect(publicSuffixProblem('xn--55qx5d.cn')).toContain('it is a public suffix (ICANN section'); // 公司.cn
  });

  test('the Public Suffix List is loaded only when a name is checked', () => {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('tldts', () => {
        loaded = true;
        return jest.requireActual('tldts');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const dnsName = require('../../src/validation/dns-name') as typeof import('../../src/validation/dns-name');
      expect(loaded).toBe(false);
      expect(dnsName.publicSuffixProblem('example.com')).toBeUndefined();
      expect(loaded).toBe(true);
    });
    jest.dontMock('tldts');
  });
});
