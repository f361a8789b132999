/** Medians, the comparison table and the targets of the platform benchmark. */
import { Sample, StackFigures } from './measure';

export type Side = 'library' | 'plain';
export type Validation = 'on' | 'off';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Summary {
  readonly processMs: number;
  readonly awsCdkLibImportMs: number;
  readonly appImportMs: number;
  readonly coldSynthMs: number;
  readonly warmSynthMs: number;
  readonly maxRssMb: number;
  readonly stacks: Record<string, StackFigures>;
}

export function summarize(samples: { sample: Sample; processMs: number }[]): Summary {
  const of = (pick: (s: Sample) => number) => median(samples.map(({ sample }) => pick(sample)));
  return {
    processMs: median(samples.map(s => s.processMs)),
    awsCdkLibImportMs: of(s => s.awsCdkLibImportMs),
    appImportMs: of(s => s.appImportMs),
    coldSynthMs: of(s => s.coldSynthMs),
    warmSynthMs: median(samples.flatMap(({ sample }) => sample.warmSynthMs)),
    maxRssMb: of(s => s.maxRssKb) / 1024,
    stacks: samples[0].sample.stacks,
  };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}x`;

function row(cells: string[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(34) : cell.padStart(14))).join('');
}

/** Prints one validation setting's table and returns whether its targets are met. */
export function printComparison(validation: Validation, library: Summary, plain: Summary, rounds: number): boolean {
  console.log(`\nbuiltinCloudFormationValidation ${validation} (medians of ${rounds} fresh processes each)`);
  console.log(row(['', 'cdk-privatelink', 'aws-cdk-lib', 'ratio']));
  const lines: [string, number, number, (v: number) => string][] = [
    ['process wall (node start to exit)', library.processMs, plain.processMs, ms],
    ['import: shared aws-cdk-lib modules', library.awsCdkLibImportMs, plain.awsCdkLibImportMs, ms],
    ['import: the app\'s modules', library.appImportMs, plain.appImportMs, ms],
    ['synth, cold (first in process)', library.coldSynthMs, plain.coldSynthMs, ms],
    ['synth, warm (in process)', library.warmSynthMs, plain.warmSynthMs, ms],
    ['import + cold synth', library.appImportMs + library.coldSynthMs, plain.appImportMs + plain.coldSynthMs, ms],
    ['peak RSS', library.maxRssMb, plain.maxRssMb, v => `${v.toFixed(0)} MB`],
  ];
  for (const [name, ours, theirs, format] of lines) console.log(row([name, format(ours), format(theirs), ratio(ours, theirs)]));
  for (const stack of Object.keys(plain.stacks)) {
    const ours = library.stacks[stack];
    const theirs = plain.stacks[stack];
    console.log(row([`${stack}: template bytes`, String(ours.templateBytes), String(theirs.templateBytes), ratio(ours.templateBytes, theirs.templateBytes)]));
    console.log(row([`${stack}: resources`, String(ours.resources), String(theirs.resources), ratio(ours.resources, theirs.resources)]));
    console.log(row([`${stack}: Lambda functions`, String(ours.lambdaFunctions), String(theirs.lambdaFunctions), '']));
  }
  const targets: [string, boolean][] = [
    ['synth time (warm, in process) <= 1.10x plain', library.warmSynthMs <= 1.10 * plain.warmSynthMs],
    ['import + cold synth <= 1.10x plain', library.appImportMs + library.coldSynthMs <= 1.10 * (plain.appImportMs + plain.coldSynthMs)],
    ['Lambda functions per stack <= plain + 1', Object.keys(plain.stacks).every(s => library.stacks[s].lambdaFunctions <= plain.stacks[s].lambdaFunctions + 1)],
    ['Provider template bytes <= plain', library.stacks.Provider.templateBytes <= plain.stacks.Provider.templateBytes],
  ];
  for (const [name, met] of targets) console.log(`  target ${met ? 'MET    ' : 'NOT MET'}  ${name}`);
  return targets.every(([, met]) => met);
}
