import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { AllConstructsApp, allConstructsApp } from './all-constructs-app';
import { guardFindingsOnLibraryResources, nagFindingsOnLibraryResources } from './findings';
import { isLibraryResource } from './library-resources';
import { InterfaceEndpoint } from '../../src';

let built: AllConstructsApp;
beforeAll(() => {
  built = allConstructsApp();
});

describe.each([
  ['AwsSolutions', (app: AllConstructsApp) => new AwsSolutionsChecks(app.app)],
  ['NIST 800-53 R5', (app: AllConstructsApp) => new NIST80053R5Checks(app.app)],
  ['HIPAA Security', (app: AllConstructsApp) => new HIPAASecurityChecks(app.app)],
  ['PCI DSS 3.2.1', (app: AllConstructsApp) => new PCIDSS321Checks(app.app)],
])('cdk-nag %s', (_name, pack) => {
  test('no unacknowledged finding on the library\'s resources of an app that uses every construct', () => {
    expect(nagFindingsOnLibraryResources(pack(built), built.stacks)).toEqual([]);
  });

});

test('cfn-guard Control Tower rules: no unacknowledged finding on the library\'s resources', () => {
  expect(guardFindingsOnLibraryResources(built.app, built.stacks)).toEqual([]);
});

test('the library acknowledges nothing on the user\'s resources (nor on the stacks or the app)', () => {
  const acknowledgedOutside = built.app.node.findAll()
    .filter(c => !isLibraryResource(c))
    .filter(c => c.node.metadata.some(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      || (CfnResource.isCfnResource(c) && c.getMetadata('guard') !== undefined))
    .map(c => c.node.path);
  expect(acknowledgedOutside).toEqual([]);
  // The user's resources do have findings of their own, such as the VPC's (no flow logs here).
  expect(new NIST80053R5Checks(built.app).validateScope(built.provider).violations.map(v => v.ruleName))
    .toContain('NIST.800.53.R5-VPCFlowLogsEnabled');
});

test('the rule of what is the library\'s tells the library\'s resources from the user\'s', () => {
  const pathsOf = (stack: Stack, mine: boolean) => stack.node.findAll()
    .filter(c => c.node.defaultChild === undefined && c.constructor.name.startsWith('Cfn') && isLibraryResource(c) === mine)
    .map(c => c.node.path);
  const library = pathsOf(built.provider, true);
  const user = pathsOf(built.provider, false);
  expect(library).toEqual(expect.arrayContaining([
    'Provider/CdkPrivateLinkConnectionApproval/Handler/Resource',
    'Provider/Service/Events/TopicKey/Resource',
    'Provider/Approval/Resource/Default',
  ]));
  expect(user).toEqual(expect.arrayContaining(['Provider/Vpc/Resource', 'Provider/Nlb/Resource', 'Provider/AlarmsKey/Resource', 'Provider/Zone/Resource']));
  expect(library.filter(path => user.includes(path))).toEqual([]);
});

test('with allowedPeers of the user, the endpoint group\'s unrestricted-port rules are not acknowledged', () => {
  const app = new App({ builtinCloudFormationValidation: false } as object);
  const stack = new Stack(app, 'Peers', { env: { account: '222222222222', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new InterfaceEndpoint(stack, 'Plain', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
  new InterfaceEndpoint(stack, 'WithPeers', { vpc, service: ec2.InterfaceVpcEndpointAwsService.SQS, allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16')] });
  const findings = nagFindingsOnLibraryResources(new NIST80053R5Checks(app), [stack]);
  expect(findings).toEqual([
    { rule: 'NIST.800.53.R5-EC2RestrictedCommonPorts', path: 'Peers/WithPeers/SecurityGroup/Resource' },
    { rule: 'NIST.800.53.R5-EC2RestrictedSSH', path: 'Peers/WithPeers/SecurityGroup/Resource' },
  ]);
});
