import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivateEndpointService, PrivateLinkGuardrails, ServiceOwner } from '../../src';
import { newNlb, validationErrorOf } from '../helpers';

function newStack(): Stack {
  return new Stack(new App(), 'Guardrails', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function rendered(stack: Stack, statement: iam.PolicyStatement): Record<string, any> {
  return stack.resolve(statement.toStatementJson());
}

const ARN = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:*:*:${resource}`]] });

describe('PrivateLinkGuardrails', () => {
  test('endpoints only to services of amazon, the AWS Marketplace and one account (ec2:VpceServiceOwner)', () => {
    const stack = newStack();
    const statement = PrivateLinkGuardrails.endpointsOnlyToServiceOwners(stack, [ServiceOwner.amazon(), ServiceOwner.awsMarketplace(), ServiceOwner.account('222222222222')]);
    expect(rendered(stack, statement)).toEqual({
      Sid: 'CreateEndpointsOnlyToServiceOwners',
      Effect: 'Deny',
      Action: 'ec2:CreateVpcEndpoint',
      Resource: ARN('vpc-endpoint/*'),
      Condition: { StringNotEquals: { 'ec2:VpceServiceOwner': ['amazon', 'aws-marketplace', '222222222222'] } },
    });
  });

  test('endpoints only to given service names (ec2:VpceServiceName)', () => {
    const stack = newStack();
    const names = ['com.amazonaws.eu-west-1.s3', 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0'];
    expect(rendered(stack, PrivateLinkGuardrails.endpointsOnlyToServiceNames(stack, names))).toEqual(expect.objectContaining({
      Effect: 'Deny', Action: 'ec2:CreateVpcEndpoint', Condition: { StringNotEquals: { 'ec2:VpceServiceName': names } },
    }));
  });

  test('endpoint services only with given private DNS names; services without a name are not denied (Null false)', () => {
    const stack = newStack();
    const statement = PrivateLinkGuardrails.endpointServicesOnlyWithPrivateDnsNames(stack, ['api.example.com', '*.internal.example.com']);
    expect(rendered(stack, statement)).toEqual({
      Sid: 'EndpointServicesOnlyWithPrivateDnsNames',
      Effect: 'Deny',
      Action: ['ec2:CreateVpcEndpointServiceConfiguration', 'ec2:ModifyVpcEndpointServiceConfiguration'],
      Resource: ARN('vpc-endpoint-service/*'),
      Condition: {
        StringNotEquals: { 'ec2:VpceServicePrivateDnsName': ['api.example.com', '*.internal.example.com'] },
        Null: { 'ec2:VpceServicePrivateDnsName': 'false' },
      },
    });
  });

  test('connections accepted only by the approval handler\'s role (aws:PrincipalArn)', () => {
    const stack = newStack();
    const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], connectionApproval: { endpointIds: ['vpce-0123456789abcdef0'] } });
    const statement = PrivateLinkGuardrails.acceptConnectionsOnlyBy(stack, [service.approval!.handlerRole.roleArn, 'arn:aws:iam::111111111111:role/breakglass/*']);
    const json = rendered(stack, statement);
    expect(json).toEqual(expect.objectContaining({ Effect: 'Deny', Action: 'ec2:AcceptVpcEndpointConnections', Resource: ARN('vpc-endpoint-service/*') }));
    expect(json.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      stack.resolve(service.approval!.handlerRole.roleArn), 'arn:aws:iam::111111111111:role/breakglass/*',
    ]);
    // Usable in a role or a permission boundary.
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [statement] });
    expect(boundary.document.statementCount).toBe(1);
  });

  test('bad inputs are refused, naming the value and what is expected', () => {
    const stack = newStack();
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointsOnlyToServiceOwners(stack, [])).message).toContain('expected a list of at least one');
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointsOnlyToServiceOwners(stack, [ServiceOwner.account('1234')])).message)
      .toContain("Invalid account ID in ServiceOwner.account() '1234'");
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointsOnlyToServiceOwners(stack, ['amazon' as unknown as ServiceOwner])).message)
      .toContain('expected ServiceOwner.amazon()');
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointsOnlyToServiceNames(stack, ['s3'])).message).toContain("service name 's3'");
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointsOnlyToServiceNames(stack, ['com.amazonaws.eu-west-1.s3', 'com.amazonaws.eu-west-1.s3'])).message)
      .toContain('more than once');
    expect(validationErrorOf(() => PrivateLinkGuardrails.endpointServicesOnlyWithPrivateDnsNames(stack, ['*.com'])).message).toContain('*.com');
    expect(validationErrorOf(() => PrivateLinkGuardrails.acceptConnectionsOnlyBy(stack, ['arn:aws:iam::*:role/*'])).message).toContain('arn:aws:iam::*:role/*');
  });
});
