import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ParityMapping, check, listAwsCdkLib, listOwnSources } from './list-props';

const ROOT = path.resolve(__dirname, '..', '..');
const AWS_CDK_LIB = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [ROOT] }));
const MAPPING_FILE = path.join(__dirname, 'aws-cdk-lib-props.json');
const mapping: ParityMapping = JSON.parse(fs.readFileSync(MAPPING_FILE, 'utf8'));

/** The mapping with `change` applied to a deep copy of its types. */
function changed(change: (types: Record<string, Record<string, any>>) => void, floor = mapping.floor): ParityMapping {
  const types = JSON.parse(JSON.stringify(mapping.types));
  change(types);
  return { floor, types };
}

describe('parity with aws-cdk-lib', () => {
  test('the mapping\'s floor is the aws-cdk-lib this repository builds and tests with', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe(`^${mapping.floor}`);
    expect(listAwsCdkLib(AWS_CDK_LIB).version).toBe(mapping.floor);
  });

  test('lists the props of the three constructs, inherited ones included, and their static members', () => {
    const listed = listAwsCdkLib(AWS_CDK_LIB);
    expect(listed.problems).toEqual([]);
    // From InterfaceVpcEndpointOptions, which InterfaceVpcEndpointProps extends.
    expect(listed.types.InterfaceVpcEndpointProps).toEqual(expect.arrayContaining(['vpc', 'service', 'privateDnsOnlyForInboundResolverEndpoint', 'open']));
    expect(listed.types.GatewayVpcEndpointProps).toEqual(expect.arrayContaining(['vpc', 'service', 'subnets']));
    expect(listed.types.VpcEndpointServiceProps).toEqual(expect.arrayContaining(['vpcEndpointServiceLoadBalancers', 'allowedRegions']));
    expect(listed.types.InterfaceVpcEndpoint).toEqual(expect.arrayContaining(['fromInterfaceVpcEndpointAttributes']));
    expect(listed.types.GatewayVpcEndpoint).toEqual(expect.arrayContaining(['fromGatewayVpcEndpointId']));
  });

  test('every prop and static member of aws-cdk-lib is mapped to a member of this library or left out with a reason', () => {
    expect(check(AWS_CDK_LIB, mapping)).toEqual([]);
  });

  test('reads this library\'s interfaces with inherited props, and its classes\' members', () => {
    const own = listOwnSources(path.join(ROOT, 'src'));
    expect(own.get('InterfaceEndpointProps')).toEqual(expect.arrayContaining(['vpc', 'service', 'privateDnsOnlyForInboundResolverEndpoint', 'subnets']));
    expect(own.get('AwsServiceEndpointsProps')).toEqual(expect.arrayContaining(['privateDnsOnlyForInboundResolverEndpoint']));
    expect(own.get('InterfaceEndpoint')).toEqual(expect.arrayContaining(['fromInterfaceEndpointAttributes', 'addToPolicy']));
    expect(own.get('PrivateEndpointService')).toEqual(expect.arrayContaining(['approveEndpoints']));
    expect(own.get('ConnectionApproval')).toEqual(expect.arrayContaining(['addEndpointIds']));
  });

  test('names a prop that is neither mapped nor left out', () => {
    const problems = check(AWS_CDK_LIB, changed(types => { delete types.InterfaceVpcEndpointProps.privateDnsOnlyForInboundResolverEndpoint; }));
    expect(problems).toEqual([
      'InterfaceVpcEndpointProps.privateDnsOnlyForInboundResolverEndpoint of aws-cdk-lib 2.257.0 is neither mapped nor left out in aws-cdk-lib-props.json',
    ]);
  });

  test('names a mapped target this library does not have, and a malformed entry', () => {
    const problems = check(AWS_CDK_LIB, changed(types => {
      types.InterfaceVpcEndpointProps.open = { mapped: 'InterfaceEndpointProps.open' };
      types.InterfaceVpcEndpointProps.vpc = { mapped: 'NoSuchProps.vpc' };
      types.GatewayVpcEndpointProps.vpc = { mapped: 'GatewayEndpointProps' };
      types.VpcEndpointServiceProps.allowedRegions = { mapped: 'PrivateEndpointServiceProps.allowedRegions', leftOut: 'both at once' };
      types.VpcEndpointServiceProps.acceptanceRequired = { leftOut: '' };
      types.VpcEndpointServiceProps.contributorInsights = { note: 'only a note' };
    }));
    expect([...problems].sort()).toEqual([
      'InterfaceVpcEndpointProps.vpc: mapped to NoSuchProps.vpc, but this library has no interface or class NoSuchProps',
      'InterfaceVpcEndpointProps.open: mapped to InterfaceEndpointProps.open, but InterfaceEndpointProps has no member open',
      'GatewayVpcEndpointProps.vpc: mapped target "GatewayEndpointProps" is not "<Type>.<member>"',
      'VpcEndpointServiceProps.acceptanceRequired: "leftOut" must give the reason, not ""',
      'VpcEndpointServiceProps.allowedRegions: expected either "mapped" or "leftOut", not both',
      'VpcEndpointServiceProps.contributorInsights: expected either "mapped" or "leftOut", not neither',
    ].sort());
  });

  test('at the floor, a stale entry fails unless "since" names a later release; elsewhere it does not', () => {
    const stale = changed(types => { types.GatewayVpcEndpointProps.removedProp = { mapped: 'GatewayEndpointProps.vpc' }; });
    expect(check(AWS_CDK_LIB, stale)).toEqual([
      'GatewayVpcEndpointProps.removedProp is in aws-cdk-lib-props.json, but aws-cdk-lib 2.257.0 (the floor) has no such member: '
        + 'remove the stale entry, or give the version that added it as "since"',
    ]);
    // Against a newer release (here: a floor below the installed version) an entry it lacks is not checked.
    expect(check(AWS_CDK_LIB, { ...stale, floor: '2.200.0' })).toEqual([]);
    // ipAddressType and dnsRecordIpType of gateway endpoints came in 2.276.0: listed with "since", not stale at the floor.
    expect(mapping.types.GatewayVpcEndpointProps.ipAddressType.since).toBe('2.276.0');
    const wrongSince = changed(types => { types.GatewayVpcEndpointProps.vpc.since = '2.300.0'; });
    expect(check(AWS_CDK_LIB, wrongSince)).toEqual(['GatewayVpcEndpointProps.vpc has "since": "2.300.0", but aws-cdk-lib 2.257.0 (the floor) has it already']);
  });

  test('names a type of the mapping that is not listed', () => {
    expect(check(AWS_CDK_LIB, changed(types => { types.VpcEndpointServicePropz = {}; }))).toEqual([
      'VpcEndpointServicePropz in aws-cdk-lib-props.json is not a listed type (listed: InterfaceVpcEndpointProps, GatewayVpcEndpointProps, '
        + 'VpcEndpointServiceProps, InterfaceVpcEndpointAttributes, InterfaceVpcEndpoint, GatewayVpcEndpoint, VpcEndpointService)',
    ]);
  });

  test('check.js prints the count and exits 0; with an incomplete mapping list-props.js check() would fail it', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'check.js'), AWS_CDK_LIB], { encoding: 'utf8' });
    const listed = listAwsCdkLib(AWS_CDK_LIB);
    const count = Object.values(listed.types).reduce((n, members) => n + members.length, 0);
    expect(out.trim()).toBe(`parity: ${count} props of aws-cdk-lib 2.257.0 mapped or left out`);
    // A project directory works too.
    expect(execFileSync(process.execPath, [path.join(__dirname, 'check.js'), ROOT], { encoding: 'utf8' }).trim()).toBe(out.trim());
  });

  test('check.js exits 1 with the problems for a directory without aws-cdk-lib', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [path.join(__dirname, 'check.js'), __dirname], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain('parity: No aws-cdk-lib in');
  });

  test('list-props.js prints the listed types as JSON', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'list-props.js'), AWS_CDK_LIB], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(listAwsCdkLib(AWS_CDK_LIB).types);
  });
});
