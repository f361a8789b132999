// Every AWS Region, by partition: the one list the synth-time checks use. Nothing from
// aws-cdk-lib here, so that the handler bundle (lambda/) could import it too.
//
// Source: the partition data of the AWS SDK for JavaScript v3 (`@aws-sdk/core` 3.981,
// util-endpoints `partitions`, less the `aws-global`-style pseudo-Regions), which has two
// Regions aws-cdk-lib 2.257's RegionInfo does not know yet (me-west-1, sa-west-1).
// test/validation/regions.test.ts checks the list against RegionInfo; a Region that AWS opens
// later needs an entry here before it can be used.

/** The AWS partitions, in the order the Regions are listed. */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f' | 'aws-eusc';

/** Every AWS Region code, by partition, sorted. */
export const AWS_REGIONS: Readonly<Record<AwsPartition, readonly string[]>> = {
  'aws': [
    'af-south-1',
    'ap-east-1', 'ap-east-2',
    'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1',
    'eu-central-1', 'eu-central-2',
    'eu-north-1',
    'eu-south-1', 'eu-south-2',
    'eu-west-1', 'eu-west-2', 'eu-west-3',
    'il-central-1',
    'me-central-1', 'me-south-1', 'me-west-1',
    'mx-central-1',
    'sa-east-1', 'sa-west-1',
    'us-east-1', 'us-east-2',
    'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

/** The partitions that have Regions, in the order of {@link AWS_REGIONS}. */
export const AWS_PARTITIONS: readonly AwsPartition[] = Object.keys(AWS_REGIONS) as AwsPartition[];

const PARTITION_OF = new Map<string, AwsPartition>(
  AWS_PARTITIONS.flatMap(partition => AWS_REGIONS[partition].map(region => [region, partition] as [string, AwsPartition])),
);

/** Every AWS Region code of every partition. */
export const ALL_AWS_REGIONS: readonly string[] = [...PARTITION_OF.keys()];

/** The partition of the AWS Region `region`; `undefined` when it is not an AWS Region. */
export function partitionOfRegion(region: string): AwsPartition | undefined {
  return PARTITION_OF.get(region);
}

/** Whether `region` is an AWS Region (of any partition). */
export function isAwsRegion(region: string): boolean {
  return PARTITION_OF.has(region);
}

/** The Regions of `partition`; none for a name that is not an AWS partition. */
export function regionsOfPartition(partition: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(AWS_REGIONS, partition) ? AWS_REGIONS[partition as AwsPartition] : [];
}

/**
 * The Region of `candidates` closest to `value` (lowercased, trimmed) by edit distance, when it
 * is within 2 edits, or differs only in hyphens; `undefined` when none is that close.
 */
export function closestRegion(value: string, candidates: readonly string[] = ALL_AWS_REGIONS): string | undefined {
  const wanted = value.trim().toLowerCase();
  const bare = wanted.replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.replace(/-/g, '') === bare ? 0 : editDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
