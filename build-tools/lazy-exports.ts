/**
 * Rewrites the compiled `index.js` modules of a directory (lib/ after jsii) so that each
 * `export * from './module'` loads that module only when one of its names is first used, as
 * aws-cdk-lib's own modules do. An app that uses only the consumer constructs then loads neither
 * the approval handler and its provider framework, nor Roles Anywhere, nor the dashboards.
 *
 *   ts-node build-tools/lazy-exports.ts lib
 *
 * The names of each module are read by loading it once here. A module's exports object is kept
 * on first use, never a value: a value read during a circular load could still be undefined. Each name
 * is also assigned `void 0` first, as tsc does, so that `import { Name } from 'cdk-privatelink'` in an
 * ES module still finds it (Node.js reads the names of a CommonJS module from such assignments).
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';

/** The line tsc writes for `export * from './module'` in CommonJS. */
const EXPORT_STAR = /^__exportStar\(require\("(\.{1,2}\/[^"]+)"\), exports\);$/gm;

/** The `index.js` files under `dir`. */
export function indexModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => entry.isDirectory() ? indexModules(join(dir, entry.name)) : entry.name === 'index.js' ? [join(dir, entry.name)] : []);
}

/** The lines tsc writes for `export { Name } from './module'`: the module in a variable, then a getter that reads it. */
const NAMED_EXPORT = /^var (\w+) = require\("(\.{1,2}\/[^"]+)"\);$/gm;
const NAMED_GETTER = /^Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.([\w$]+); \} \}\);$/gm;
const ESM_MARKER = 'Object.defineProperty(exports, "__esModule", { value: true });';

/**
 * Defines each lazy export. A call, not `Object.defineProperty(exports, ...)` in place: Node.js's import of CommonJS
 * from ES modules (cjs-module-lexer) drops a name whose getter it does not recognize, but keeps the names that
 * `exports.Name = void 0` lines announce, as tsc writes them and as written here.
 */
const HELPER = 'function __lazyExport(target, name, load, from = name) { '
  + 'Object.defineProperty(target, name, { enumerable: true, configurable: true, get: () => load()[from] }); }';

/**
 * The source of `file` with each `export *` replaced by getters that load the module on first use,
 * and each `export { Name }` made to load its module on first use too.
 */
export function lazyExports(file: string, source: string, namesOf: (modulePath: string) => string[]): string {
  const taken = new Set<string>();
  let count = 0;
  const named = new Set([...source.matchAll(NAMED_EXPORT)].map(match => match[1]));
  const rewritten = source
    .replace(NAMED_EXPORT, (_line, variable: string, target: string) =>
      `let ${variable}; const ${variable}Load = () => ${variable} ??= require(${JSON.stringify(target)});`)
    .replace(NAMED_GETTER, (line, name: string, variable: string, from: string) =>
      named.has(variable) ? `__lazyExport(exports, ${JSON.stringify(name)}, ${variable}Load, ${JSON.stringify(from)});` : line)
    .replace(EXPORT_STAR, (_line, target: string) => {
      // `export *` skips names exported before, as tsc's __exportStar does.
      const names = namesOf(resolve(dirname(file), target)).filter(name => name !== 'default' && !taken.has(name));
      if (names.length === 0) return '';
      names.forEach(name => taken.add(name));
      const loader = `__lazy${count++}`;
      return [
        ...names.map(name => `exports${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`} = void 0;`),
        `let ${loader}Exports; const ${loader} = () => ${loader}Exports ??= require(${JSON.stringify(target)});`,
        ...names.map(name => `__lazyExport(exports, ${JSON.stringify(name)}, ${loader});`),
      ].join('\n');
    });
  if (rewritten === source) return source;
  if (!rewritten.includes(ESM_MARKER)) throw new Error(`${file}: expected tsc's line ${ESM_MARKER}`);
  return rewritten.replace(ESM_MARKER, `${ESM_MARKER}\n${HELPER}`);
}

/** The names a compiled module exports (loading it). */
function exportedNames(modulePath: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return Object.keys(require(modulePath)).filter(name => name !== '__esModule');
}

/** Rewrites every index module under `dir`; returns how many. */
export function lazifyDirectory(dir: string): number {
  const files = indexModules(resolve(dir));
  // Every name is read before any file changes, so that each module is loaded as tsc wrote it.
  const rewritten = files.map(file => ({ file, source: lazyExports(file, readFileSync(file, 'utf8'), exportedNames) }));
  for (const { file, source } of rewritten) writeFileSync(file, source);
  return files.length;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) throw new Error('Usage: lazy-exports.ts <directory of compiled modules>, such as lib');
  console.log(`lazy-exports: ${lazifyDirectory(dir)} index modules in ${dir} load their modules on first use`);
}
