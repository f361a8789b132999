import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { InterfaceEndpoint, PrivateEndpointService } from '../../src';
import { PARTITIONS } from '../../src/validation/partition';
import {
  ALL_AWS_REGIONS, AWS_PARTITIONS, AWS_REGIONS, closestRegion, isAwsRegion, partitionOfRegion, regionsOfPartition,
} from '../../src/validation/regions';
import { newNlb, newStack, validationErrorOf } from '../helpers';

describe('the list of AWS Regions', () => {
  test('has every Region that aws-cdk-lib knows, in the same partition', () => {
    expect(RegionInfo.regions.length).toBeGreaterThan(40);
    const mismatches = RegionInfo.regions
      .filter(region => partitionOfRegion(region.name) !== region.partition)
      .map(region => `${region.name}: aws-cdk-lib says ${region.partition}, the list ${partitionOfRegion(region.name) ?? 'has no entry'}`);
    expect(mismatches).toEqual([]);
  });

  test('agrees with aws-cdk-lib on the partition of every Region that aws-cdk-lib knows', () => {
    const known = new Set(RegionInfo.regions.map(region => region.name));
    const disagreements = ALL_AWS_REGIONS
      .filter(name => known.has(name) && RegionInfo.get(name).partition !== partitionOfRegion(name))
      .map(name => `${name}: ${partitionOfRegion(name)} here, ${RegionInfo.get(name).partition} in aws-cdk-lib`);
    expect(disagreements).toEqual([]);
    // The Regions that aws-cdk-lib does not know yet: keep this short, and check each one.
    expect(ALL_AWS_REGIONS.filter(name => !known.has(name))).toEqual(['me-west-1', 'sa-west-1']);
  });

  test('covers every partition, each Region once, sorted, shaped like a Region code', () => {
    expect([...AWS_PARTITIONS].sort()).toEqual([...PARTITIONS].sort());
    expect(new Set(ALL_AWS_REGIONS).size).toBe(ALL_AWS_REGIONS.length);
    for (const partition of AWS_PARTITIONS) {
      const regions = AWS_REGIONS[partition];
      expect(regions.length).toBeGreaterThan(0);
      expect([...regions].sort()).toEqual(regions);
      for (const region of regions) expect(region).toMatch(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/);
    }
  });

  test('answers lookups', () => {
    expect(partitionOfRegion('us-isob-west-1')).toBe('aws-iso-b');
    expect(partitionOfRegion('us-fake-1')).toBeUndefined();
    expect(isAwsRegion('eusc-de-east-1')).toBe(true);
    expect(isAwsRegion('aws-global')).toBe(false);
    expect(isAwsRegion('toString')).toBe(false);
    expect(regionsOfPartition('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(regionsOfPartition('constructor')).toEqual([]);
  });

  test.each([
    ['US-EAST-1', 'us-east-1'],
    ['useast1', 'us-east-1'],
    ['eu-west', 'eu-west-1'],
    ['eu-wset-1', 'eu-west-1'],
    [' us-west-2', 'us-west-2'],
    ['us-fake-1', undefined],
    ['', undefined],
  ])('the closest Region to %p is %p', (value, closest) => {
    expect(closestRegion(value)).toBe(closest);
  });
});

function withAllowedRegion(region: string, stackRegion?: string) {
  const stack = newStack(stackRegion ? { env: { region: stackRegion } } : {});
  return new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], allowedRegions: [region] });
}

describe('Regions refused and taken', () => {
  test('a Region that is not in AWS is refused, naming the Regions of the stack\'s partition', () => {
    const { message } = validationErrorOf(() => withAllowedRegion('us-fake-1', 'eu-west-1'));
    expect(message).toContain("Invalid allowedRegions entry 'us-fake-1': it is not an AWS Region; "
      + "expected a Region of the stack's partition 'aws': af-south-1, ap-east-1, ");
    expect(message).toContain(', us-west-2.');
    expect(message).not.toContain('cn-north-1');
  });

  test('a misspelt Region gets a hint', () => {
    const { message } = validationErrorOf(() => withAllowedRegion('eu-wset-1', 'eu-west-1'));
    expect(message).toContain("Invalid allowedRegions entry 'eu-wset-1': it is not an AWS Region (did you mean 'eu-west-1'?); ");
  });

  test('a China Region in an aws stack is refused', () => {
    const { message } = validationErrorOf(() => withAllowedRegion('cn-north-1', 'eu-west-1'));
    expect(message).toContain("Invalid allowedRegions entry 'cn-north-1': it is in partition 'aws-cn', "
      + "expected a Region of the stack's partition 'aws': af-south-1, ");
  });

  test('a commercial Region in a China stack is refused, listing the China Regions', () => {
    const { message } = validationErrorOf(() => withAllowedRegion('eu-west-1', 'cn-north-1'));
    expect(message).toContain("Invalid allowedRegions entry 'eu-west-1': it is in partition 'aws', "
      + "expected a Region of the stack's partition 'aws-cn': cn-north-1, cn-northwest-1.");
  });

  test('in a stack whose Region is a token, a Region of any partition is taken', () => {
    const service = withAllowedRegion('eu-west-1');
    Template.fromStack(Stack.of(service)).hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedRegions: ['eu-west-1'] });
    expect(() => withAllowedRegion('cn-north-1')).not.toThrow();
    expect(() => withAllowedRegion('us-isof-south-1')).not.toThrow();
  });

  test('in a stack whose Region is a token, a Region that is not in AWS is still refused', () => {
    const { message } = validationErrorOf(() => withAllowedRegion('us-fake-1'));
    expect(message).toContain("Invalid allowedRegions entry 'us-fake-1': it is not an AWS Region; expected an AWS Region "
      + "of any partition (the stack's Region is not known at synth time): aws: af-south-1, ");
    expect(message).toContain('; aws-cn: cn-north-1, cn-northwest-1; ');
  });

  test('a Region that aws-cdk-lib does not know yet is taken, in a stack there too', () => {
    expect(() => withAllowedRegion('sa-west-1', 'eu-west-1')).not.toThrow();
    expect(() => withAllowedRegion('eu-west-1', 'me-west-1')).not.toThrow();
    expect(validationErrorOf(() => withAllowedRegion('cn-north-1', 'me-west-1')).message)
      .toContain("it is in partition 'aws-cn', expected a Region of the stack's partition 'aws'");
  });

  test('the prop is named as a Python caller writes it', () => {
    process.env.JSII_AGENT = 'Python/3.12.1';
    try {
      expect(validationErrorOf(() => withAllowedRegion('us-fake-1', 'eu-west-1')).message)
        .toContain("Invalid allowed_regions entry 'us-fake-1'");
    } finally {
      delete process.env.JSII_AGENT;
    }
  });

  test('serviceRegion of an interface endpoint is checked the same way', () => {
    const stack = new Stack(new App(), 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const endpoint = (region: string) => new InterfaceEndpoint(stack, `To-${region}`, {
      vpc,
      service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0`),
      serviceRegion: region,
    });
    expect(validationErrorOf(() => endpoint('us-fake-1')).message)
      .toContain("Invalid serviceRegion 'us-fake-1': it is not an AWS Region; expected a Region of the stack's partition 'aws': ");
    expect(validationErrorOf(() => endpoint('cn-north-1')).message)
      .toContain("Invalid serviceRegion 'cn-north-1': it is in partition 'aws-cn', expected a Region of the stack's partition 'aws': ");
    endpoint('us-east-1');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: 'us-east-1' });
  });
});
