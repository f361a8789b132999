/**
 * The Python documentation in docs/python/ is current: the README with every TypeScript example
 * translated by jsii-rosetta, and the API reference by jsii-docgen for every type of the assembly.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks, PYTHON_README, UNTRANSLATED_MARKERS } from './python-readme';
import { repoRoot } from './tarballs';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const pythonReadme = fs.readFileSync(PYTHON_README, 'utf8');
const pythonBlocks = codeBlocks(pythonReadme).filter((b) => b.language === 'python');

/** Lines of a Python block that are TypeScript, not Python (comments left out). */
const TYPESCRIPT_LINE = /^\s*(const|let|var|import \{|export) |\bnew [A-Z]\w*\(|=>|;\s*$|: (string|number|boolean)\b/;

test('the Python README has one Python block for each TypeScript block of README.md, in order', () => {
  const languages = codeBlocks(readme).map((b) => (b.language === 'ts' ? 'python' : b.language));
  expect(codeBlocks(pythonReadme).map((b) => b.language)).toEqual(languages);
  expect(pythonBlocks.length).toBeGreaterThan(0);
});

test('no example failed translation', () => {
  const failed = pythonBlocks.filter((b) => UNTRANSLATED_MARKERS.some((marker) => marker.test(b.code)));
  expect(failed.map((b) => b.code.split('\n').slice(0, 4).join('\n'))).toEqual([]);
});

test('no TypeScript is left in the Python examples', () => {
  const leftovers = pythonBlocks.flatMap((b) => b.code.split('\n')).filter((line) => !/^\s*#/.test(line) && TYPESCRIPT_LINE.test(line));
  expect(leftovers).toEqual([]);
});

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
(python ? test : test.skip)('every Python example parses as Python', () => {
  const script = 'import ast, json, sys\nfor i, code in enumerate(json.load(sys.stdin)):\n    try:\n        ast.parse(code)\n    except SyntaxError as e:\n        print(i, e)\n';
  const result = spawnSync(python!, ['-c', script], { input: JSON.stringify(pythonBlocks.map((b) => b.code)), encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('');
  expect(result.status).toBe(0);
});

test('the Python API reference documents every type of the assembly, in Python', () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(repoRoot, '.jsii'), 'utf8'));
  const api = fs.readFileSync(path.join(path.dirname(PYTHON_README), 'API.md'), 'utf8');
  const missing = Object.keys(assembly.types).filter((fqn) => !api.includes(`id="${fqn}"`));
  expect(missing).toEqual([]);
  expect(api).toContain('import cdk_privatelink');
  expect(api).not.toMatch(/^```(ts|typescript)$/m);
});
