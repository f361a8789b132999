import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';
import { indexModules, lazyExports } from '../../build-tools/lazy-exports';

/** Compiles TypeScript modules the way jsii writes lib/ (CommonJS), into a new directory. */
function compiled(modules: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-exports-'));
  for (const [name, source] of Object.entries(modules)) {
    const file = join(dir, `${name}.js`);
    mkdirSync(join(file, '..'), { recursive: true });
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
    writeFileSync(file, ts.transpileModule(source, { compilerOptions }).outputText);
  }
  return dir;
}

/** Each module records that it was loaded in `globalThis.loaded` of the test. */
const loads = (name: string) => `(globalThis as any).loaded.push('${name}');
`;

/** `require(path)` in a module registry of its own, so that each test loads the modules afresh. */
function load(path: string): any {
  let loaded: any;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jest.isolateModules(() => { loaded = require(path); });
  return loaded;
}

/**
 * The modules compiled, with their index modules rewritten as the build does; the names are read from
 * a copy as tsc wrote it (jest keeps the first content it read of a file).
 */
function lazyCompiled(modules: Record<string, string>): string {
  const [dir, pristine] = [compiled(modules), compiled(modules)];
  const namesOf = (path: string) => Object.keys(load(pristine + path.slice(dir.length))).filter(n => n !== '__esModule');
  for (const file of indexModules(dir)) writeFileSync(file, lazyExports(file, readFileSync(file, 'utf8'), namesOf));
  (globalThis as any).loaded = [];
  return dir;
}

const MODULES = {
  'index': "export * from './consumer';\nexport * from './provider';\n",
  'consumer/index': "export * from './endpoint';\nexport { Scope } from './scope';\n",
  'consumer/endpoint': `${loads('endpoint')}export class Endpoint {}\nexport const shared = 'endpoint';\n`,
  'consumer/scope': `${loads('scope')}export class Scope {}\nexport function hidden() { return 1; }\n`,
  'provider/index': "export * from './service';\n",
  'provider/service': `${loads('service')}import { Endpoint } from '../consumer';\nexport class Service extends Endpoint {}\nexport const shared = 'service';\n`,
};

describe('lazy exports of compiled index modules', () => {
  beforeEach(() => { (globalThis as any).loaded = []; });

  test('loading the index loads no module; each is loaded when one of its names is first used, once', () => {
    const dir = lazyCompiled(MODULES);
    const lib = load(dir);
    expect((globalThis as any).loaded).toEqual([]);
    expect(typeof lib.Endpoint).toBe('function');
    expect((globalThis as any).loaded).toEqual(['endpoint']);
    expect(lib.Endpoint).toBe(lib.Endpoint);
    expect(typeof lib.Service).toBe('function');
    expect(new lib.Service()).toBeInstanceOf(lib.Endpoint);
    expect((globalThis as any).loaded).toEqual(['endpoint', 'service']);
  });

  test('the same names and values as tsc\'s eager exports, named exports only as named, the first `export *` winning', () => {
    const eagerDir = compiled(MODULES);
    const lazyDir = lazyCompiled(MODULES);
    const [eager, lazy] = [load(eagerDir), load(lazyDir)];
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(eager).sort());
    expect(Object.keys(lazy)).toContain('Scope');
    expect(Object.keys(lazy)).not.toContain('hidden');
    expect(lazy.shared).toBe('endpoint');
    expect(eager.shared).toBe('endpoint');
  });

  test('a named export loads its module on first use', () => {
    const dir = lazyCompiled(MODULES);
    const consumer = load(join(dir, 'consumer'));
    expect((globalThis as any).loaded).toEqual([]);
    expect(typeof consumer.Scope).toBe('function');
    expect((globalThis as any).loaded).toEqual(['scope']);
  });

  test('an ES module imports the names as named exports (Node.js reads them from the CommonJS source)', () => {
    const dir = lazyCompiled(MODULES);
    const importer = join(dir, 'importer.mjs');
    writeFileSync(importer, [
      `import { Endpoint, Service, Scope, shared } from ${JSON.stringify(join(dir, 'index.js'))};`,
      'console.log(JSON.stringify([typeof Endpoint, typeof Service, typeof Scope, shared, new Service() instanceof Endpoint]));',
    ].join('\n'));
    // The modules record their loading; the importer's process gives them somewhere to.
    writeFileSync(join(dir, 'setup.cjs'), 'globalThis.loaded = [];');
    const out = execFileSync(process.execPath, ['--require', join(dir, 'setup.cjs'), importer], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual(['function', 'function', 'function', 'endpoint', true]);
  });

  test('the rewritten index modules hold no eager require of a module of their own', () => {
    const dir = lazyCompiled(MODULES);
    for (const file of indexModules(dir)) {
      expect(readFileSync(file, 'utf8')).not.toMatch(/^(var \w+ = )?(__exportStar\()?require\("\./m);
    }
    expect(indexModules(dir).map(file => file.slice(dir.length)).sort()).toEqual(['/consumer/index.js', '/index.js', '/provider/index.js']);
  });
});
