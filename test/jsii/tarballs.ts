/**
 * The npm tarballs the jsii runtime loads, as the Python, Java, .NET and Go packages embed them:
 * the library packed by `npm pack` from this checkout (what `package:js` publishes: lib/, .jsii,
 * assets/, the bundled dependencies), and its dependencies as published to the registry.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** One `load` request of the jsii kernel. */
export interface PackageTarball {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
}

interface PackResult {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly integrity: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

function npmPack(args: string[], destination: string): PackResult[] {
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as PackResult[];
}

/** The library, packed from this checkout; also returns the paths in the tarball. */
export function packLibrary(destination: string): PackageTarball & { readonly files: string[] } {
  const [result] = npmPack([], destination);
  return {
    name: result.name,
    version: result.version,
    tarball: path.join(destination, result.filename),
    files: result.files.map((f) => f.path),
  };
}

/** An installed package: the directory node resolves for it from its dependent. */
interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

function installedPackage(name: string, fromDir: string): InstalledPackage {
  const manifest = require.resolve(`${name}/package.json`, { paths: [fromDir] });
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return { name, version, dir: path.dirname(manifest) };
}

/**
 * The jsii packages the library needs at run time, dependencies first: those of its dependencies
 * and peer dependencies (recursively) that are jsii assemblies (a `.jsii` file) and not bundled
 * into their dependent's tarball. Each host language loads these tarballs before the library's.
 */
export function jsiiDependencies(packageDir: string = repoRoot): InstalledPackage[] {
  const ordered: InstalledPackage[] = [];
  const visit = (dir: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const bundled = new Set<string>(manifest.bundledDependencies ?? manifest.bundleDependencies ?? []);
    const names = Object.keys({ ...manifest.peerDependencies, ...manifest.dependencies }).filter((n) => !bundled.has(n)).sort();
    for (const name of names) {
      const dep = installedPackage(name, dir);
      if (!fs.existsSync(path.join(dep.dir, '.jsii')) || ordered.some((p) => p.name === name)) continue;
      visit(dep.dir);
      ordered.push(dep);
    }
  };
  visit(packageDir);
  return ordered;
}

/**
 * The published tarballs of installed packages, from npm's cache when `npm ci` put them there.
 * Each must have the integrity that package-lock.json records: the tarball of what is installed.
 */
export function publishedTarballs(packages: InstalledPackage[], destination: string): PackageTarball[] {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const results = npmPack(['--prefer-offline', ...packages.map((p) => `${p.name}@${p.version}`)], destination);
  return packages.map((p, i) => {
    const locked = lock.packages[path.relative(repoRoot, p.dir)];
    if (!locked || locked.version !== p.version) {
      throw new Error(`${p.name}@${p.version} in ${p.dir} is not the version package-lock.json records (${locked?.version})`);
    }
    if (results[i].integrity !== locked.integrity) {
      throw new Error(`The tarball of ${p.name}@${p.version} has integrity ${results[i].integrity}, package-lock.json has ${locked.integrity}`);
    }
    return { name: p.name, version: p.version, tarball: path.join(destination, results[i].filename) };
  });
}
