import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { FakeCloudFormation, STACK_ID } from './fake-cloudformation';
import { TemplateResolver } from '../../lambda/approval/resolve';
import { StackReader } from '../../lambda/approval/stack';

let cfn: FakeCloudFormation;
let resolver: TemplateResolver;

beforeEach(() => {
  cfn = new FakeCloudFormation();
  cfn.template = {
    Parameters: {
      Service: { Type: 'String' },
      Ids: { Type: 'CommaDelimitedList' },
      FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>' },
      Secret: { Type: 'String' },
    },
    Resources: {
      Endpoint: { Type: 'AWS::EC2::VPCEndpoint' },
      EndpointService: { Type: 'AWS::EC2::VPCEndpointService' },
      Custom: { Type: 'Custom::Anything' },
    },
  };
  cfn.parameters = [
    { ParameterKey: 'Service', ParameterValue: 'vpce-svc-0123456789abcdef0' },
    { ParameterKey: 'Ids', ParameterValue: 'vpce-11111111, vpce-22222222' },
    { ParameterKey: 'FromSsm', ParameterValue: '/platform/endpoint-id', ResolvedValue: 'vpce-33333333' },
    { ParameterKey: 'Secret', ParameterValue: '****' },
  ];
  cfn.physicalIds.set('Endpoint', 'vpce-0a1b2c3d4e5f60718').set('EndpointService', 'vpce-svc-0fedcba9876543210').set('Custom', 'custom-id');
  cfn.exports.set('Consumer:EndpointId', 'vpce-44444444');
  resolver = new TemplateResolver(new StackReader(new CloudFormationClient({ region: 'eu-west-1' }), STACK_ID));
});

afterEach(() => cfn.restore());

test.each([
  ['a literal', 'vpce-12345678', 'vpce-12345678'],
  ['Ref to a resource: its physical ID', { Ref: 'Endpoint' }, 'vpce-0a1b2c3d4e5f60718'],
  ['Ref to a parameter', { Ref: 'Service' }, 'vpce-svc-0123456789abcdef0'],
  ['Ref to a list parameter', { Ref: 'Ids' }, ['vpce-11111111', 'vpce-22222222']],
  ['Ref to an SSM parameter: the value CloudFormation resolved, not the parameter name', { Ref: 'FromSsm' }, 'vpce-33333333'],
  ['Ref to pseudo parameters', [{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::StackName' }, { Ref: 'AWS::URLSuffix' }],
    ['111111111111', 'eu-west-1', 'aws', 'Provider', 'amazonaws.com']],
  ['AWS::NoValue leaves the value out', ['a', { Ref: 'AWS::NoValue' }, 'b'], ['a', 'b']],
  ['Fn::GetAtt Id of an endpoint', { 'Fn::GetAtt': ['Endpoint', 'Id'] }, 'vpce-0a1b2c3d4e5f60718'],
  ['Fn::GetAtt ServiceId of an endpoint service, dotted', { 'Fn::GetAtt': 'EndpointService.ServiceId' }, 'vpce-svc-0fedcba9876543210'],
  ['Fn::ImportValue with a Fn::Sub name', { 'Fn::ImportValue': { 'Fn::Sub': ['Consumer:${Suffix}', { Suffix: 'EndpointId' }] } }, 'vpce-44444444'],
  ['Fn::ImportValue', { 'Fn::ImportValue': 'Consumer:EndpointId' }, 'vpce-44444444'],
  ['Fn::Join', { 'Fn::Join': ['-', ['vpce', { Ref: 'AWS::AccountId' }]] }, 'vpce-111111111111'],
  ['Fn::Select over Fn::Split of a list parameter', { 'Fn::Select': [1, { 'Fn::Split': [',', 'vpce-11111111,vpce-22222222'] }] }, 'vpce-22222222'],
  ['Fn::Sub with a variable map, a resource and an escaped literal', { 'Fn::Sub': ['${Name}/${Endpoint}/${!Literal}', { Name: { Ref: 'AWS::Region' } }] },
    'eu-west-1/vpce-0a1b2c3d4e5f60718/${Literal}'],
  ['Fn::Sub with a GetAtt', { 'Fn::Sub': '${Endpoint.Id}' }, 'vpce-0a1b2c3d4e5f60718'],
  ['an object of properties', { A: { Ref: 'Endpoint' }, B: ['x', { Ref: 'Service' }] }, { A: 'vpce-0a1b2c3d4e5f60718', B: ['x', 'vpce-svc-0123456789abcdef0'] }],
])('resolves %s', async (_name, value, expected) => {
  await expect(resolver.resolve(value)).resolves.toEqual(expected);
});

test.each([
  ['Fn::If', { 'Fn::If': ['Cond', 'a', 'b'] }, 'not one the approval handler resolves'],
  ['Fn::FindInMap', { 'Fn::FindInMap': ['M', 'k', 'v'] }, 'not one the approval handler resolves'],
  ['a Condition', { Condition: 'IsProd' }, 'Condition'],
  ['Fn::GetAtt of a custom resource', { 'Fn::GetAtt': ['Custom', 'Value'] }, 'the attribute of a Custom::Anything'],
  ['Fn::GetAtt of another attribute', { 'Fn::GetAtt': ['Endpoint', 'DnsEntries'] }, 'the attribute of a AWS::EC2::VPCEndpoint'],
  ['Ref to nothing in the template', { Ref: 'Missing' }, 'no parameter or resource of that name'],
  ['an unknown pseudo parameter', { Ref: 'AWS::NotificationARNs' }, 'pseudo parameter'],
  ['a missing export', { 'Fn::ImportValue': 'Nope' }, 'no export of that name'],
  ['a Select out of range', { 'Fn::Select': [5, ['a']] }, 'not within the list'],
  ['an unclosed Sub', { 'Fn::Sub': 'a${b' }, 'not closed'],
])('fails closed on %s, naming it', async (_name, value, why) => {
  await expect(resolver.resolve(value)).rejects.toThrow(why);
  await expect(resolver.resolve(value)).rejects.toThrow('Nothing was decided from it');
});

test('a resource without a physical ID yet fails closed', async () => {
  cfn.physicalIds.delete('Endpoint');
  await expect(resolver.resolve({ Ref: 'Endpoint' })).rejects.toThrow('ListStackResources reports no physical ID');
});

test('reads each source once per run, and only the sources a value needs', async () => {
  await resolver.resolve([{ Ref: 'Endpoint' }, { Ref: 'EndpointService' }, { Ref: 'Service' }, { Ref: 'Ids' }]);
  expect(cfn.callCounts()).toEqual({ GetTemplate: 1, ListStackResources: 1, DescribeStacks: 1 });
});
