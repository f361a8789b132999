/**
 * Compiles the library (src/) and these benchmark modules to JavaScript in a scratch directory, the
 * way the build writes lib/ (CommonJS, ES2022, inline source maps, then build-tools/lazy-exports.ts),
 * so that the measured processes load JavaScript as an app using the published package does, not ts-node.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';
import { lazifyDirectory } from '../../build-tools/lazy-exports';

const REPO = join(__dirname, '..', '..');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Returns the scratch directory; its `benchmark/platform/measure.js` runs a measurement. */
export function compileToScratch(): string {
  const out = mkdtempSync(join(tmpdir(), 'cdk-privatelink-bench-'));
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    alwaysStrict: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
  };
  for (const file of [...typeScriptFiles(join(REPO, 'src')), ...typeScriptFiles(__dirname)]) {
    const target = join(out, relative(REPO, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText);
  }
  for (const shared of ['assets', 'examples']) symlinkSync(join(REPO, shared), join(out, shared));
  linkNodeModules(join(out, 'node_modules'), process.env.BENCH_NODE_MODULES);
  // As the build does to lib/: exports load on first use.
  lazifyDirectory(join(out, 'src'));
  return out;
}

/**
 * The repository's node_modules, or (with `BENCH_NODE_MODULES`, a node_modules with another release of
 * aws-cdk-lib and constructs, such as the install check's) the repository's packages with that
 * directory's aws-cdk-lib and constructs.
 */
function linkNodeModules(target: string, other: string | undefined): void {
  const own = join(REPO, 'node_modules');
  if (!other) {
    symlinkSync(own, target);
    return;
  }
  mkdirSync(target);
  for (const entry of readdirSync(own)) {
    const source = ['aws-cdk-lib', 'constructs'].includes(entry) ? join(other, entry) : join(own, entry);
    symlinkSync(source, join(target, entry));
  }
}
