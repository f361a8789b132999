/**
 * One measurement in a fresh process (run by ../platform.ts on compiled JavaScript):
 *   node measure.js <library|plain> <on|off> <warm rounds> <outdir> <aws-cdk-lib modules...>
 * Loads the given aws-cdk-lib modules, then the app's modules, synthesizes once cold and
 * `warm rounds` times more in this process, and prints one line of JSON (a `Sample`).
 */
import { statSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';

export interface StackFigures {
  readonly templateBytes: number;
  readonly resources: number;
  readonly lambdaFunctions: number;
}

export interface Sample {
  /** Loading aws-cdk-lib's modules that both apps use. */
  readonly awsCdkLibImportMs: number;
  /** Loading the app's own modules afterwards (for the library side: the library, and the aws-cdk-lib modules only it uses). */
  readonly appImportMs: number;
  /** The first build and synthesis in the process. */
  readonly coldSynthMs: number;
  /** The following ones, in the same process. */
  readonly warmSynthMs: number[];
  readonly maxRssKb: number;
  readonly stacks: Record<string, StackFigures>;
}

interface SynthesizedStack { stackName: string; templateFullPath: string; template: { Resources?: Record<string, { Type: string }> } }
interface Synthesizable { synth(): { stacks: SynthesizedStack[] } }

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

function main(): void {
  const [side, validation, warmRounds, outdir, ...modules] = process.argv.slice(2);
  // Loaded here, not imported at the top, so that their loading is timed.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const [, awsCdkLibImportMs] = timed(() => modules.forEach(name => require(name)));
  const [build, appImportMs] = timed((): (dir: string, validation: boolean) => Synthesizable => side === 'library'
    ? require('./library-app').libraryApp
    : require('./plain-app').plainApp);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const synth = (round: number) => build(join(outdir, String(round)), validation === 'on').synth();
  const [assembly, coldSynthMs] = timed(() => synth(0));
  const warmSynthMs = Array.from({ length: Number(warmRounds) }, (_, round) => timed(() => synth(round + 1))[1]);
  const stacks: Record<string, StackFigures> = {};
  for (const stack of assembly.stacks) {
    const resources = Object.values(stack.template.Resources ?? {});
    stacks[stack.stackName] = {
      templateBytes: statSync(stack.templateFullPath).size,
      resources: resources.length,
      lambdaFunctions: resources.filter(resource => resource.Type === 'AWS::Lambda::Function').length,
    };
  }
  const sample: Sample = { awsCdkLibImportMs, appImportMs, coldSynthMs, warmSynthMs, maxRssKb: process.resourceUsage().maxRSS, stacks };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

if (require.main === module) main();
