/**
 * The library driven the way Python, Java, .NET and Go drive it: through the jsii runtime process,
 * with the npm tarballs loaded into the kernel, objects created by fully qualified name, props as
 * plain JSON with the jsii property names, and an aspect implemented on the host side.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Callback, JsiiKernelClient, KernelError, ObjRef } from './kernel-client';
import { jsiiDependencies, packLibrary, PackageTarball, publishedTarballs, repoRoot } from './tarballs';
import { AllowedPrincipal, PrivateEndpointService } from '../../src';
import { testPki } from '../roles-anywhere/certificates';

const LIB = 'cdk-privatelink';
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ENDPOINT_IDS = ['vpce-0a1b2c3d4e5f60718', 'vpce-1a2b3c4d'];

const enumValue = (fqn: string, member: string) => ({ '$jsii.enum': `${fqn}/${member}` });
const fqnOf = (ref: ObjRef) => ref['$jsii.byref'].replace(/@\d+$/, '');

/** The classes of the assembly that are constructs (a Construct or an aws-cdk-lib Resource). */
function constructClassesOfAssembly(): string[] {
  const assembly = JSON.parse(fs.readFileSync(path.join(repoRoot, '.jsii'), 'utf8'));
  const isConstruct = (fqn: string | undefined): boolean =>
    fqn === 'constructs.Construct' || fqn === 'aws-cdk-lib.Resource' || (fqn !== undefined && isConstruct(assembly.types[fqn]?.base));
  return Object.values<any>(assembly.types).filter((t) => t.kind === 'class' && isConstruct(t.base)).map((t) => t.fqn).sort();
}

let kernel: JsiiKernelClient;
let tarballs: PackageTarball[];
let libraryFiles: string[];
let workDir: string;
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - start;
  }
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-privatelink-kernel-'));
  const library = await timed('pack library', () => packLibrary(workDir));
  libraryFiles = library.files;
  const dependencies = await timed('pack dependencies', () => publishedTarballs(jsiiDependencies(), workDir));
  tarballs = [...dependencies, library];
  kernel = await timed('start runtime', () => JsiiKernelClient.start({
    // Extracted tarballs are kept by content digest, as the host languages do (default: ~/.cache).
    JSII_RUNTIME_PACKAGE_CACHE_ROOT: path.join(os.tmpdir(), 'cdk-privatelink-jsii-package-cache'),
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  }));
  await timed('load', async () => {
    for (const t of tarballs) await kernel.load(t.name, t.version, t.tarball);
  });
}, 120_000);

afterAll(async () => {
  await kernel?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
  // eslint-disable-next-line no-console
  console.log(`jsii kernel test timings (ms): ${JSON.stringify(timings)}`);
});

test('the runtime is the maintained @jsii/runtime that the host languages spawn', () => {
  const { version } = JSON.parse(fs.readFileSync(require.resolve('@jsii/runtime/package.json'), 'utf8'));
  expect(kernel.hello).toBe(`@jsii/runtime@${version}`);
  const [major, minor] = version.split('.').map(Number);
  expect(major > 1 || minor >= 140).toBe(true);
});

test('the library tarball has what users install: compiled code, the assembly, the handler asset, bundled dependencies', () => {
  expect(libraryFiles).toEqual(expect.arrayContaining(['package.json', '.jsii', 'lib/index.js', 'assets/approval-handler/index.js', 'node_modules/tldts/package.json']));
  expect(libraryFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  expect(tarballs.map((t) => t.name)).toEqual(expect.arrayContaining(['constructs', 'aws-cdk-lib', LIB]));
});

describe('every public construct, created through the kernel', () => {
  const visited = new Map<string, string[]>();
  let template: any;

  beforeAll(async () => {
    const k = kernel;
    const duration = (unit: string, amount: number) => k.sinvoke('aws-cdk-lib.Duration', unit, [amount]);
    const lib = (name: string) => `${LIB}.${name}`;

    const app = await k.create('aws-cdk-lib.App', [{ outdir: path.join(workDir, 'cdk.out') }]);
    const stack = await k.create('aws-cdk-lib.Stack', [app, 'PrivateLink', { env: { account: ACCOUNT, region: REGION } }]);

    // The aspect: an IAspect implemented here, on the host side, like a Python class with @jsii.implements.
    k.onCallback('visit', async (cb: Callback) => {
      const node = cb.invoke!.args![0] as ObjRef;
      const fqn = fqnOf(node);
      if (fqn.startsWith(`${LIB}.`)) {
        // A callback can call back into the kernel: read the construct's path.
        const constructNode = await k.get(node, 'node');
        visited.set(fqn, [...visited.get(fqn) ?? [], await k.get(constructNode, 'path')]);
      }
      return undefined;
    });
    const aspect = await k.create('Object', [], { interfaces: ['aws-cdk-lib.IAspect'], overrides: [{ method: 'visit', cookie: 'visit' }] });
    await k.invoke(await k.sinvoke('aws-cdk-lib.Aspects', 'of', [stack]), 'add', [aspect]);

    const vpc = await k.create('aws-cdk-lib.aws_ec2.Vpc', [stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: enumValue('aws-cdk-lib.aws_ec2.SubnetType', 'PUBLIC'), cidrMask: 24 },
        { name: 'app', subnetType: enumValue('aws-cdk-lib.aws_ec2.SubnetType', 'PRIVATE_ISOLATED'), cidrMask: 24 },
      ],
    }]);
    const nlb = await k.create('aws-cdk-lib.aws_elasticloadbalancingv2.NetworkLoadBalancer', [stack, 'Nlb', { vpc }]);
    const topic = await k.create('aws-cdk-lib.aws_sns.Topic', [stack, 'Alarms', {}]);

    // Provider side
    const service = await k.create(lib('PrivateEndpointService'), [stack, 'Service', {
      networkLoadBalancers: [nlb],
      allowedPrincipals: [
        await k.sinvoke(lib('AllowedPrincipal'), 'account', ['111111111111']),
        await k.sinvoke(lib('AllowedPrincipal'), 'role', ['arn:aws:iam::222222222222:role/payments-consumer']),
      ],
      connectionApproval: { endpointIds: [ENDPOINT_IDS[0]], allowedOwners: ['111111111111'] },
      createOutputs: true,
    }]);
    await k.invoke(service, 'allowPrincipals', [await k.sinvoke(lib('AllowedPrincipal'), 'user', ['arn:aws:iam::333333333333:user/ci-bot'])]);
    const approval = await k.invoke(service, 'approveEndpoints', [ENDPOINT_IDS[1]]);
    await k.invoke(approval, 'addAlarms', [{ topic, listedNotAcceptedFor: await duration('hours', 24) }]);
    await k.invoke(service, 'addConnectionNotification', ['Notifications', { events: [enumValue(lib('ConnectionEvent'), 'CONNECT')] }]);
    await k.invoke(service, 'addAlarms', [{ topic, expectedEndpoints: 2 }]);

    const imported = await k.sinvoke(lib('PrivateEndpointService'), 'fromEndpointServiceId', [stack, 'Imported', 'vpce-svc-0123456789abcdef0']);
    await k.create(lib('ConnectionApproval'), [stack, 'ImportedApproval', {
      service: imported,
      endpointIds: ['vpce-0fedcba9876543210'],
      onRemoval: enumValue(lib('EndpointRemoval'), 'REJECT'),
      missingEndpoints: await k.sinvoke(lib('MissingEndpoints'), 'waitFor', [await duration('minutes', 5)]),
    }]);
    await k.create(lib('EndpointServicePrivateDnsName'), [stack, 'Dns', { endpointService: imported, privateDnsName: 'api.example.com' }]);

    // Consumer side
    const endpoint = await k.create(lib('InterfaceEndpoint'), [stack, 'Partner', {
      vpc,
      service: await k.create('aws-cdk-lib.aws_ec2.InterfaceVpcEndpointService', ['com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0', 443]),
      ipAddressType: enumValue('aws-cdk-lib.aws_ec2.VpcEndpointIpAddressType', 'IPV4'),
    }]);
    await k.invoke(endpoint, 'addAlarms', [{ topic, period: await duration('minutes', 1) }]);
    await k.create(lib('ConnectionNotification'), [stack, 'EndpointEvents', {
      source: await k.sinvoke(lib('ConnectionNotificationSource'), 'fromVpcEndpoint', [endpoint]),
      events: [enumValue(lib('ConnectionEvent'), 'ACCEPT'), enumValue(lib('ConnectionEvent'), 'REJECT')],
    }]);
    await k.create(lib('AwsServiceEndpoints'), [stack, 'SessionManager', {
      vpc,
      services: await k.sinvoke(lib('AwsServiceEndpoints'), 'sessionManager'),
      defaultPolicy: await k.sinvoke(lib('EndpointPolicyDefault'), 'sameOrganization', ['o-a1b2c3d4e5']),
    }]);
    const s3 = await k.create(lib('GatewayEndpoint'), [stack, 'S3', {
      vpc,
      service: await k.sget('aws-cdk-lib.aws_ec2.GatewayVpcEndpointAwsService', 'S3'),
      subnets: [{ subnetType: enumValue('aws-cdk-lib.aws_ec2.SubnetType', 'PRIVATE_ISOLATED') }],
      policyStatements: [await k.sinvoke(lib('GatewayEndpointPolicy'), 'forAccounts', [['111111111111'], { actions: ['s3:GetObject'] }])],
    }]);
    await k.invoke(s3, 'addToPolicy', [await k.sinvoke(lib('GatewayEndpointPolicy'), 'forOrganization', ['o-a1b2c3d4e5', { actions: ['s3:PutObject'] }])]);
    const firewall = await k.create(lib('GatewayLoadBalancerEndpoint'), [stack, 'Firewall', {
      vpc,
      service: await k.sinvoke(lib('GatewayLoadBalancerService'), 'fromServiceName', ['com.amazonaws.vpce.eu-west-1.vpce-svc-0aaaaaaaaaaaaaaaa']),
      subnet: await k.sinvoke('aws-cdk-lib.aws_ec2.Subnet', 'fromSubnetId', [stack, 'FirewallSubnet', 'subnet-0123456789abcdef0']),
    }]);
    await k.invoke(firewall, 'addReturnRoutes', [{ routeTableIds: ['rtb-0123456789abcdef0'] }]);

    // Guardrails, observability, Roles Anywhere
    const handlerRole = await k.get(approval, 'handlerRole');
    await k.create('aws-cdk-lib.aws_iam.ManagedPolicy', [stack, 'Guardrails', {
      statements: [
        await k.sinvoke(lib('PrivateLinkGuardrails'), 'endpointsOnlyToServiceOwners', [stack, [
          await k.sinvoke(lib('ServiceOwner'), 'amazon'), await k.sinvoke(lib('ServiceOwner'), 'account', ['111111111111']),
        ]]),
        await k.sinvoke(lib('PrivateLinkGuardrails'), 'acceptConnectionsOnlyBy', [stack, [await k.get(handlerRole, 'roleArn')]]),
      ],
    }]);
    await k.create(lib('PrivateLinkDashboard'), [stack, 'Dashboard', { services: [service], endpoints: [endpoint], period: await duration('minutes', 5) }]);
    const access = await k.create(lib('RolesAnywhereAccess'), [stack, 'OnPremises', {
      source: await k.sinvoke(lib('TrustAnchorSource'), 'fromCertificateBundle', [testPki().caPem]),
      notifications: [await k.sinvoke(lib('ExpiryNotification'), 'caCertificateExpiry', [30])],
      sessionDuration: await duration('hours', 1),
    }]);
    const workloadRole = await k.create('aws-cdk-lib.aws_iam.Role', [stack, 'Workload', {
      assumedBy: await k.create('aws-cdk-lib.aws_iam.ServicePrincipal', ['rolesanywhere.amazonaws.com']),
    }]);
    await k.invoke(access, 'bindRole', [workloadRole]);

    const assembly = await timed('synth', () => k.invoke(app, 'synth'));
    const artifact = await k.invoke(assembly, 'getStackByName', ['PrivateLink']);
    template = JSON.parse(fs.readFileSync(await k.get(artifact, 'templateFullPath'), 'utf8'));
  }, 120_000);

  const resourcesOf = (type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type);

  test('the host-side aspect was called back for every construct class of the library', () => {
    expect([...visited.keys()].sort()).toEqual(constructClassesOfAssembly());
    expect(visited.get(`${LIB}.PrivateEndpointService`)).toContain('PrivateLink/Service');
  });

  test('the endpoint service requires acceptance and allows the principals given as objects and by method', () => {
    expect(resourcesOf('AWS::EC2::VPCEndpointService').map((r) => r.Properties.AcceptanceRequired)).toEqual([true]);
    const [permissions] = resourcesOf('AWS::EC2::VPCEndpointServicePermissions');
    expect(JSON.stringify(permissions.Properties.AllowedPrincipals)).toContain(':iam::111111111111:root');
    expect(permissions.Properties.AllowedPrincipals).toEqual(expect.arrayContaining([
      'arn:aws:iam::222222222222:role/payments-consumer', 'arn:aws:iam::333333333333:user/ci-bot',
    ]));
  });

  test('the approval custom resources list the IDs given in props and by method', () => {
    const lists = resourcesOf('Custom::VpcEndpointConnectionApproval').map((r) => [...r.Properties.EndpointIds].sort());
    expect(lists).toEqual(expect.arrayContaining([[...ENDPOINT_IDS].sort(), ['vpce-0fedcba9876543210']]));
    expect(lists).toHaveLength(2);
  });

  test('each area produced its resources', () => {
    const types = new Set(Object.values<any>(template.Resources).map((r) => r.Type));
    for (const type of [
      'AWS::EC2::VPCEndpointConnectionNotification', 'AWS::EC2::VPCEndpoint', 'AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm',
      'AWS::RolesAnywhere::TrustAnchor', 'AWS::RolesAnywhere::Profile', 'AWS::IAM::ManagedPolicy', 'AWS::EC2::Route',
    ]) expect(types).toContain(type);
    const endpointTypes = resourcesOf('AWS::EC2::VPCEndpoint').map((r) => r.Properties.VpcEndpointType ?? 'Interface');
    expect(new Set(endpointTypes)).toEqual(new Set(['Interface', 'Gateway', 'GatewayLoadBalancer']));
  });
});

test('a Roles Anywhere workload role with certificate conditions, and its credential_process line', async () => {
  const k = kernel;
  const app = await k.create('aws-cdk-lib.App', [{ outdir: path.join(workDir, 'roles.out') }]);
  const stack = await k.create('aws-cdk-lib.Stack', [app, 'Workload', { env: { account: ACCOUNT, region: REGION } }]);
  const access = await k.create(`${LIB}.RolesAnywhereAccess`, [stack, 'OnPremises', {
    source: await k.sinvoke(`${LIB}.TrustAnchorSource`, 'fromCertificateBundle', [testPki().caPem]),
  }]);
  const batch = await k.invoke(access, 'addRole', ['PaymentsBatch', {
    certificateConditions: [await k.sinvoke(`${LIB}.CertificateCondition`, 'subjectCommonName', ['payments-batch'])],
    statements: [await k.create('aws-cdk-lib.aws_iam.PolicyStatement', [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] }])],
  }]);
  const command = await k.invoke(access, 'credentialProcessCommand', [batch, '/etc/pki/batch.pem', '/etc/pki/batch.key']);
  await k.create('aws-cdk-lib.CfnOutput', [stack, 'CredentialProcess', { value: command }]);
  const artifact = await k.invoke(await k.invoke(app, 'synth'), 'getStackByName', ['Workload']);
  const template = JSON.parse(fs.readFileSync(await k.get(artifact, 'templateFullPath'), 'utf8'));

  const roles = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
  expect(JSON.stringify(roles.map((r) => r.Properties.AssumeRolePolicyDocument))).toContain('payments-batch');
  expect(JSON.stringify(template.Outputs)).toContain('credential-process');
});

describe('errors, as a host language raises them', () => {
  /** The message the library throws in-process for the same input. */
  function inProcessMessage(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the in-process call to throw');
  }

  test('an invalid account ID fails the constructor with the library message', async () => {
    const app = await kernel.create('aws-cdk-lib.App', [{ outdir: path.join(workDir, 'bad.out') }]);
    const stack = await kernel.create('aws-cdk-lib.Stack', [app, 'Bad', { env: { account: ACCOUNT, region: REGION } }]);
    const principal = await kernel.sinvoke(`${LIB}.AllowedPrincipal`, 'account', ['12345']);
    const error = await kernel.create(`${LIB}.PrivateEndpointService`, [stack, 'Service', {
      gatewayLoadBalancerArns: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/inspection/0123456789abcdef'],
      allowedPrincipals: [principal],
    }]).then(() => undefined, (e: unknown) => e);

    const expected = inProcessMessage(() => new PrivateEndpointService(new Stack(new App(), 'Bad', { env: { account: ACCOUNT, region: REGION } }), 'Service', {
      gatewayLoadBalancerArns: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/inspection/0123456789abcdef'],
      allowedPrincipals: [AllowedPrincipal.account('12345')],
    }));
    expect(error).toBeInstanceOf(KernelError);
    expect((error as KernelError).message).toBe(expected);
    expect(expected).toContain('12345');
  });

  test('a prop of the wrong type is refused before the library runs', async () => {
    const app = await kernel.create('aws-cdk-lib.App', [{ outdir: path.join(workDir, 'wrong.out') }]);
    const stack = await kernel.create('aws-cdk-lib.Stack', [app, 'Wrong', {}]);
    await expect(kernel.create(`${LIB}.PrivateEndpointService`, [stack, 'Service', { acceptanceRequired: 'yes' }]))
      .rejects.toThrow(/acceptanceRequired/);
  });
});
