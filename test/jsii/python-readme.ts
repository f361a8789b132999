/**
 * The README in Python: `jsii-rosetta transliterate --language python` writes `.jsii.python`, an
 * assembly whose README examples are the Python translations of the compiled TypeScript examples
 * (from the tablet of `rosetta:extract`). Run directly, this writes its README to
 * docs/python/README.md:
 *
 *   ts-node --project tsconfig.dev.json test/jsii/python-readme.ts [assembly directory]
 */
import * as fs from 'fs';
import * as path from 'path';

export const PYTHON_README = path.join(__dirname, '..', '..', 'docs', 'python', 'README.md');

const HEADER = [
  '<!-- Generated from README.md by jsii-rosetta (transliterate --language python); do not edit. -->',
  '<!-- The Python API reference is API.md next to this file. -->',
  '',
].join('\n');

export interface CodeBlock {
  readonly language: string;
  readonly code: string;
}

/** The fenced code blocks of a Markdown text, with their info string. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)].map((m) => ({ language: m[1], code: m[2] }));
}

/** What rosetta leaves in a translation it could not compile or translate. */
export const UNTRANSLATED_MARKERS = [/Example automatically generated/, /non-compiling source/, /May contain errors/];

/** The README of the transliterated assembly in `assemblyDir`, with the header of the generated file. */
export function pythonReadmeOf(assemblyDir: string): string {
  const assembly = JSON.parse(fs.readFileSync(path.join(assemblyDir, '.jsii.python'), 'utf8'));
  const markdown: string | undefined = assembly.readme?.markdown;
  if (!markdown) throw new Error(`${assemblyDir}/.jsii.python has no README`);
  return `${HEADER}${markdown.trimEnd()}\n`;
}

if (require.main === module) {
  const assemblyDir = path.resolve(process.argv[2] ?? '.');
  fs.mkdirSync(path.dirname(PYTHON_README), { recursive: true });
  fs.writeFileSync(PYTHON_README, pythonReadmeOf(assemblyDir));
}
