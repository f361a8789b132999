import { TemplateFacts } from '../../src/approval/template-facts';
import { unresolvableIntrinsics } from '../../src/approval/unresolvable-intrinsics';

const FACTS: TemplateFacts = {
  hasParameter: logicalId => logicalId === 'EndpointParam',
  resourceType: logicalId => ({
    Endpoint: 'AWS::EC2::VPCEndpoint',
    Service: 'AWS::EC2::VPCEndpointService',
    Lookup: 'AWS::CloudFormation::CustomResource',
  } as Record<string, string>)[logicalId],
};

function reasons(value: unknown): string[] {
  return unresolvableIntrinsics(value, 'Value', FACTS).map(found => `${found.path}: ${found.reason}`);
}

describe('unresolvableIntrinsics', () => {
  test.each([
    ['a literal', 'vpce-0123abcd'],
    ['literal lists and objects', { a: ['x', 1, true, null], b: { c: 'd' } }],
    ['Ref to a parameter', { Ref: 'EndpointParam' }],
    ['Ref to a resource', { Ref: 'Endpoint' }],
    ['Ref to a custom resource (its physical ID)', { Ref: 'Lookup' }],
    ['Ref to each resolvable pseudo parameter', ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackId',
      'AWS::StackName', 'AWS::URLSuffix', 'AWS::NoValue'].map(name => ({ Ref: name }))],
    ['Fn::GetAtt Id of an endpoint', { 'Fn::GetAtt': ['Endpoint', 'Id'] }],
    ['Fn::GetAtt ServiceId of a service, dotted', { 'Fn::GetAtt': 'Service.ServiceId' }],
    ['Fn::ImportValue of Fn::Sub', { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-${EndpointParam}-${!Literal}' } }],
    ['Fn::Sub with variables', { 'Fn::Sub': ['${Prefix}-${Endpoint.Id}-${Service}', { Prefix: { Ref: 'EndpointParam' } }] }],
    ['Fn::Select of Fn::Split of Fn::Join', { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'EndpointParam' }, 'x']] }] }] }],
  ])('accepts %s', (_, value) => {
    expect(reasons(value)).toEqual([]);
  });

  test.each([
    ['Fn::If', { 'Fn::If': ['IsProd', 'a', 'b'] }, 'Value: Fn::If is not a function the handler resolves'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Map', 'Key', 'Value'] }, 'Fn::FindInMap is not a function'],
    ['Fn::GetAZs', { 'Fn::GetAZs': '' }, 'Fn::GetAZs is not a function'],
    ['Fn::Base64', { 'Fn::Base64': 'x' }, 'Fn::Base64 is not a function'],
    ['Fn::Cidr', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, 'Fn::Cidr is not a function'],
    ['a Condition', { Condition: 'IsProd' }, 'Condition is not a function'],
    ['Ref to a name not in the stack', { Ref: 'Elsewhere' }, 'Elsewhere is no parameter or resource of this stack'],
    ['Ref to AWS::NotificationARNs', { Ref: 'AWS::NotificationARNs' }, 'AWS::NotificationARNs is not a pseudo parameter the handler resolves'],
    ['Fn::GetAtt of a custom resource', { 'Fn::GetAtt': ['Lookup', 'EndpointId'] }, 'AWS::CloudFormation::CustomResource attribute EndpointId is not one the handler resolves'],
    ['Fn::GetAtt of an unlisted attribute', { 'Fn::GetAtt': ['Endpoint', 'DnsEntries'] }, 'AWS::EC2::VPCEndpoint attribute DnsEntries is not one'],
    ['Fn::GetAtt of no resource', { 'Fn::GetAtt': ['Elsewhere', 'Id'] }, 'Elsewhere is no resource of this stack'],
    ['Fn::Sub of a name not in the stack', { 'Fn::Sub': 'vpce-${Elsewhere}' }, '${Elsewhere}: Elsewhere is no parameter or resource'],
    ['Fn::Sub of a custom resource attribute', { 'Fn::Sub': '${Lookup.EndpointId}' }, '${Lookup.EndpointId}: AWS::CloudFormation::CustomResource attribute EndpointId'],
    ['an unclosed Fn::Sub reference', { 'Fn::Sub': 'vpce-${Endpoint' }, 'is not closed'],
    ['a refused variable of Fn::Sub', { 'Fn::Sub': ['${X}', { X: { 'Fn::If': ['C', 'a', 'b'] } }] }, 'Fn::If is not a function'],
  ])('refuses %s', (_, value, reason) => {
    const found = reasons(value);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(reason);
  });

  test('finds refused intrinsics inside resolvable ones and names where they are', () => {
    const value = [
      'vpce-0123abcd',
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Join': ['', ['vpce-', { 'Fn::FindInMap': ['M', 'K', 'V'] }]] },
    ];
    const found = unresolvableIntrinsics(value, 'EndpointIds', FACTS);
    expect(found.map(f => [f.path, f.intrinsic])).toEqual([
      ['EndpointIds[1]', { 'Fn::GetAZs': '' }],
      ['EndpointIds[2]', { 'Fn::FindInMap': ['M', 'K', 'V'] }],
    ]);
  });

  test('an object with more than one key is no intrinsic: its values are checked', () => {
    expect(reasons({ Ref: 'Endpoint', Other: { 'Fn::If': ['C', 'a', 'b'] } })).toEqual(['Value.Other: Fn::If is not a function the handler resolves']);
  });
});
