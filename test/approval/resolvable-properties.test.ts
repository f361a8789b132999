import { App, CfnCondition, CfnMapping, CfnParameter, CfnResource, CustomResource, Fn, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ConnectionApproval, PrivateEndpointService } from '../../src';
import { synthError } from '../helpers';

const APPROVAL_TYPE = 'Custom::VpcEndpointConnectionApproval';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ID_A = 'vpce-0123456789abcdef0';
const EXPECTED = "which the approval handler cannot resolve from the stack's template; expected literal values, "
  + 'Ref to a resource or parameter of this stack or to AWS::AccountId, AWS::Region, AWS::Partition, AWS::StackId, '
  + 'AWS::StackName, AWS::URLSuffix, AWS::NoValue, Fn::ImportValue, or Fn::GetAtt AWS::EC2::VPCEndpoint.Id or '
  + 'AWS::EC2::VPCEndpointService.ServiceId, combined with Fn::Join, Fn::Select, Fn::Split, Fn::Sub.';

function newStack(app = new App()): Stack {
  return new Stack(app, 'Stack');
}

function approve(stack: Stack, ...endpointIds: string[]): ConnectionApproval {
  return new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', SERVICE_ID),
    endpointIds,
  });
}

function endpoint(stack: Stack): ec2.InterfaceVpcEndpoint {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return new ec2.InterfaceVpcEndpoint(stack, 'Endpoint', { vpc, service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.${SERVICE_ID}`) });
}

function endpointIdsOf(stack: Stack): unknown {
  const resources = Object.values(Template.fromStack(stack).findResources(APPROVAL_TYPE));
  expect(resources).toHaveLength(1);
  return resources[0].Properties.EndpointIds;
}


describe('ConnectionApproval: properties the handler can resolve from the template', () => {
  test('takes an endpoint of the same stack (Ref) and its Id attribute (Fn::GetAtt)', () => {
    const stack = newStack();
    const vpce = endpoint(stack);
    approve(stack, vpce.vpcEndpointId, (vpce.node.defaultChild as ec2.CfnVPCEndpoint).attrId);
    const logicalId = stack.getLogicalId(vpce.node.defaultChild as ec2.CfnVPCEndpoint);
    expect(endpointIdsOf(stack)).toEqual([{ Ref: logicalId }, { 'Fn::GetAtt': [logicalId, 'Id'] }]);
  });

  test('takes an endpoint of another stack (Fn::ImportValue)', () => {
    const app = new App();
    const consumer = new Stack(app, 'Consumer');
    const provider = newStack(app);
    approve(provider, endpoint(consumer).vpcEndpointId);
    expect(endpointIdsOf(provider)).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Consumer:ExportsOutputRefEndpoint/) }]);
  });

  test('takes a parameter (Ref), and an item of a List parameter (Fn::Select, Fn::Split)', () => {
    const stack = newStack();
    const single = new CfnParameter(stack, 'EndpointId', { type: 'String' });
    const list = new CfnParameter(stack, 'EndpointIds', { type: 'List<String>' });
    approve(stack, single.valueAsString, Fn.select(0, list.valueAsList), Fn.select(1, Fn.split(',', Fn.join(',', list.valueAsList))));
    expect(endpointIdsOf(stack)).toEqual([
      { Ref: 'EndpointId' },
      { 'Fn::Select': [0, { Ref: 'EndpointIds' }] },
      { 'Fn::Select': [1, { 'Fn::Split': [',', { 'Fn::Join': [',', { Ref: 'EndpointIds' }] }] }] },
    ]);
  });

  test('takes Fn::ImportValue of an Fn::Sub name', () => {
    const stack = newStack();
    new CfnParameter(stack, 'Environment', { type: 'String' });
    approve(stack, Fn.importValue(Fn.sub('${Environment}-${AWS::Region}-EndpointId')));
    expect(endpointIdsOf(stack)).toEqual([{ 'Fn::ImportValue': { 'Fn::Sub': '${Environment}-${AWS::Region}-EndpointId' } }]);
  });

  test('takes the ID of a service of the same stack, and of another stack', () => {
    const app = new App();
    const other = new Stack(app, 'Other');
    const stack = newStack(app);
    const local = new ec2.CfnVPCEndpointService(stack, 'Local', { acceptanceRequired: true });
    const remote = new ec2.CfnVPCEndpointService(other, 'Remote', { acceptanceRequired: true });
    new ConnectionApproval(stack, 'ByRef', { service: PrivateEndpointService.fromEndpointServiceId(stack, 'L', local.ref) });
    new ConnectionApproval(stack, 'ByAttribute', { service: PrivateEndpointService.fromEndpointServiceId(stack, 'R', remote.attrServiceId) });
    expect(() => app.synth()).not.toThrow();
  });

  test('refuses Fn::If, naming the approval, the property and what is expected', () => {
    const stack = newStack();
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });
    approve(stack, ID_A, Token.asString(Fn.conditionIf(isProd.logicalId, ID_A, 'vpce-0123abcd')));
    const message = synthError(stack);
    expect(message).toContain('Connection approval Stack/Approval: EndpointIds[1] uses '
      + `{"Fn::If":["IsProd","${ID_A}","vpce-0123abcd"]} (Fn::If is not a function the handler resolves), ${EXPECTED}`);
  });

  test('refuses Fn::GetAtt of a custom resource', () => {
    const stack = newStack();
    const lookup = new CustomResource(stack, 'Lookup', { serviceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:lookup' });
    approve(stack, lookup.getAttString('EndpointId'));
    const logicalId = stack.getLogicalId(lookup.node.defaultChild as CfnResource);
    expect(synthError(stack)).toContain(`Connection approval Stack/Approval: EndpointIds[0] uses {"Fn::GetAtt":["${logicalId}","EndpointId"]} `
      + '(AWS::CloudFormation::CustomResource attribute EndpointId is not one the handler resolves), which the approval handler cannot');
  });

  test('refuses Fn::FindInMap', () => {
    const stack = newStack();
    new CfnMapping(stack, 'Endpoints', { mapping: { prod: { id: ID_A } } });
    approve(stack, Fn.findInMap('Endpoints', 'prod', 'id'));
    expect(synthError(stack)).toContain('EndpointIds[0] uses {"Fn::FindInMap":["Endpoints","prod","id"]} (Fn::FindInMap is not a function the handler resolves)');
  });

  test('refuses an attribute that is not the physical ID, and a Ref to nothing in the stack', () => {
    const stack = newStack();
    const vpce = endpoint(stack);
    approve(stack, Fn.select(0, vpce.vpcEndpointDnsEntries), Token.asString({ Ref: 'Elsewhere' }));
    const logicalId = stack.getLogicalId(vpce.node.defaultChild as CfnResource);
    const message = synthError(stack);
    expect(message).toContain(`EndpointIds[0] uses {"Fn::GetAtt":["${logicalId}","DnsEntries"]} `
      + '(AWS::EC2::VPCEndpoint attribute DnsEntries is not one the handler resolves)');
    expect(message).toContain('EndpointIds[1] uses {"Ref":"Elsewhere"} (Elsewhere is no parameter or resource of this stack)');
  });

  test('refuses a service ID from Fn::GetAZs', () => {
    const stack = newStack();
    new ConnectionApproval(stack, 'Approval', { service: PrivateEndpointService.fromEndpointServiceId(stack, 'S', Fn.select(0, Fn.getAzs())) });
    expect(synthError(stack)).toContain('Connection approval Stack/Approval: ServiceId uses {"Fn::GetAZs":""} (Fn::GetAZs is not a function');
  });

  test('refuses a custom resource with a Condition', () => {
    const stack = newStack();
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals('a', 'b') });
    const approval = approve(stack, ID_A);
    (approval.node.findChild('Resource').node.defaultChild as CfnResource).cfnOptions.condition = isProd;
    expect(synthError(stack)).toContain('Connection approval Stack/Approval: its custom resource has the Condition IsProd, '
      + 'which the approval handler does not evaluate');
  });

  test('shortens a long intrinsic in the message', () => {
    const stack = newStack();
    approve(stack, Fn.base64('x'.repeat(500)));
    const message = synthError(stack);
    expect(message).toContain(`EndpointIds[0] uses {"Fn::Base64":"${'x'.repeat(145)}…`);
    expect(message).not.toContain('x'.repeat(200));
  });
});
