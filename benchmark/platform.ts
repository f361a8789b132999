/**
 * Synthesis cost of a platform-scale app written with cdk-privatelink against the same resources
 * with plain aws-cdk-lib (approval and private DNS through `AwsCustomResource`): 3 endpoint services
 * with 100 allowed principals and 200 approved endpoint IDs each, connection notifications, a private
 * DNS name on one; 50 interface endpoints, S3 and DynamoDB gateway endpoints; IAM Roles Anywhere.
 * The apps are in platform/library-app.ts and platform/plain-app.ts.
 *
 * Both are compiled to JavaScript first; then each measurement is a fresh Node.js process
 * (platform/measure.ts), library and plain alternating, with builtinCloudFormationValidation on and
 * off. Prints the medians, the ratios and whether each target is met. Always exits 0: a benchmark.
 * Run with `npx projen bench` (the newest aws-cdk-lib, see newest-aws-cdk-lib.sh) or
 * `npx ts-node --project tsconfig.dev.json benchmark/platform.ts` (the repository's aws-cdk-lib)
 * (BENCH_ROUNDS: processes per side and setting, default 15; BENCH_WARM: warm synths per process, default 5;
 * BENCH_NODE_MODULES: a node_modules whose aws-cdk-lib and constructs to use).
 */
import { execFileSync } from 'child_process';
import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { compileToScratch } from './platform/compile';
import { Sample } from './platform/measure';
import { Side, Validation, printComparison, summarize } from './platform/report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARM = Number(process.env.BENCH_WARM ?? 5);
/** The aws-cdk-lib modules that both apps load; loaded first, and timed apart from each app's own. */
const SHARED_MODULES = [
  'aws-cdk-lib', 'aws-cdk-lib/aws-ec2', 'aws-cdk-lib/aws-elasticloadbalancingv2', 'aws-cdk-lib/aws-iam', 'aws-cdk-lib/aws-kms',
  'aws-cdk-lib/aws-sns', 'aws-cdk-lib/aws-rolesanywhere', 'constructs',
];
const SIDES: Side[] = ['library', 'plain'];
const VALIDATIONS: Validation[] = ['off', 'on'];

/** Whether this aws-cdk-lib reads the App prop at all: otherwise "on" and "off" are the same work. */
function awsCdkLibReadsValidationProp(scratch: string): boolean {
  const core = join(require.resolve('aws-cdk-lib/package.json', { paths: [scratch] }), '..', 'core', 'lib');
  return ['app.js', 'stage.js', 'private/synthesis.js'].some(file => {
    try { return readFileSync(join(core, file), 'utf8').includes('builtinCloudFormationValidation'); } catch { return false; }
  });
}

function measureOnce(scratch: string, side: Side, validation: Validation): { sample: Sample; processMs: number } {
  const outdir = join(scratch, 'cdk.out', `${side}-${validation}-${process.hrtime.bigint()}`);
  const start = performance.now();
  const stdout = execFileSync(process.execPath, [join(scratch, 'benchmark', 'platform', 'measure.js'), side, validation, String(WARM), outdir, ...SHARED_MODULES], {
    cwd: scratch, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' }, maxBuffer: 64 * 1024 * 1024,
  });
  const processMs = performance.now() - start;
  rmSync(outdir, { recursive: true, force: true });
  return { sample: JSON.parse(stdout.trim().split('\n').pop()!), processMs };
}

function main(): void {
  const started = performance.now();
  const scratch = compileToScratch();
  const awsCdkLib = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json', { paths: [scratch] }), 'utf8')).version;
  console.log(`Compiled to ${scratch}; aws-cdk-lib ${awsCdkLib}; ${ROUNDS} rounds, ${WARM} warm synths per process, Node.js ${process.version}.`);
  if (!awsCdkLibReadsValidationProp(scratch)) {
    console.log('Note: this aws-cdk-lib does not read builtinCloudFormationValidation; "on" and "off" run the same synthesis.');
  }
  const samples = new Map<string, { sample: Sample; processMs: number }[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const validation of VALIDATIONS) {
      // Alternate which side goes first, so that neither always runs on a warmer disk cache.
      for (const side of round % 2 ? [...SIDES].reverse() : SIDES) {
        const key = `${side}-${validation}`;
        samples.set(key, [...(samples.get(key) ?? []), measureOnce(scratch, side, validation)]);
      }
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const met = VALIDATIONS.map(validation =>
    printComparison(validation, summarize(samples.get(`library-${validation}`)!), summarize(samples.get(`plain-${validation}`)!), ROUNDS));
  console.log(`\nAll targets ${met.every(Boolean) ? 'met' : 'NOT met'}. Took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  rmSync(scratch, { recursive: true, force: true });
}

main();
