import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AwsServiceEndpoints, DataPerimeter, EndpointPolicyDefault, GatewayEndpoint, InterfaceEndpoint, TrustedScope,
} from '../../src';
import { validationErrorOf } from '../helpers';

const ORG = 'o-a1b2c3d4e5';
const PATH = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*';
const env = { account: '111111111111', region: 'eu-west-1' };
const PARTNER = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const SERVICE_PRINCIPALS = {
  Sid: 'AllowAwsServicePrincipals',
  Effect: 'Allow',
  Principal: '*',
  Action: '*',
  Resource: '*',
  Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
};

function consumer(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'Consumer', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

function perimeter(stack: Stack, trustedIdentities: TrustedScope, options: Partial<Parameters<typeof DataPerimeter.statements>[1]> = {}): unknown[] {
  return stack.resolve(DataPerimeter.statements(stack, { trustedIdentities, ...options }).map(statement => statement.toStatementJson()));
}

/** The endpoint policy statements of every VPC endpoint of the template, by logical ID. */
function policies(stack: Stack): Record<string, unknown> {
  const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
  return Object.fromEntries(Object.entries(endpoints).map(([id, endpoint]) => [id, endpoint.Properties.PolicyDocument?.Statement]));
}

describe('DataPerimeter.statements', () => {
  test('an organization: identities and resources of the organization in one statement, and AWS service principals', () => {
    const { stack } = consumer();
    expect(perimeter(stack, TrustedScope.organization(ORG))).toEqual([
      {
        Sid: 'AllowTrustedIdentitiesToTrustedResources',
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': ORG } },
      },
      SERVICE_PRINCIPALS,
    ]);
  });

  test('organizational units use ForAnyValue:StringLike on the org paths', () => {
    const { stack } = consumer();
    const [statement] = perimeter(stack, TrustedScope.organizationPaths([PATH, PATH])) as any[];
    expect(statement.Condition).toEqual({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': PATH, 'aws:ResourceOrgPaths': PATH } });
  });

  test('identities of accounts, resources of the organization, chosen actions, no service principals', () => {
    const { stack } = consumer();
    expect(perimeter(stack, TrustedScope.accounts(['222222222222', '333333333333']), {
      trustedResources: TrustedScope.organization(ORG), actions: ['s3:GetObject'], allowAwsServicePrincipals: false,
    })).toEqual([{
      Sid: 'AllowTrustedIdentitiesToTrustedResources',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': ['222222222222', '333333333333'], 'aws:ResourceOrgID': ORG } },
    }]);
  });

  test('the stack account, without a resource condition', () => {
    const { stack } = consumer();
    const [statement] = perimeter(stack, TrustedScope.stackAccount(), { restrictResources: false }) as any[];
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } });
  });

  test.each([
    [() => TrustedScope.organization('o-short'), "Invalid organization ID 'o-short': expected 'o-' followed by 10 to 32"],
    [() => TrustedScope.organizationPaths(['ou-ab12-11111111/']), "Invalid organization path 'ou-ab12-11111111/': expected '<organization ID>/<root ID>/'"],
    [() => TrustedScope.organizationPaths([]), 'TrustedScope.organizationPaths() got no paths: expected at least one.'],
    [() => TrustedScope.accounts(['12345']), "Invalid account ID in TrustedScope.accounts() '12345': expected exactly 12 digits"],
    [() => TrustedScope.accounts([]), 'TrustedScope.accounts() got no account IDs: expected at least one.'],
  ])('refuses a bad trusted scope (%#)', (scope, message) => {
    const { stack } = consumer();
    const error = validationErrorOf(() => DataPerimeter.statements(stack, { trustedIdentities: scope() }));
    expect(error.message).toContain(message);
    expect(error.message).toContain('[at Consumer]');
  });

  test('refuses trustedResources together with restrictResources: false, and a missing trustedIdentities', () => {
    const { stack } = consumer();
    expect(validationErrorOf(() => DataPerimeter.statements(stack, {
      trustedIdentities: TrustedScope.stackAccount(), trustedResources: TrustedScope.organization(ORG), restrictResources: false,
    })).message).toContain('trustedResources is given with restrictResources: false: expected one of them.');
    expect(validationErrorOf(() => DataPerimeter.statements(stack, {} as any)).message)
      .toContain('trustedIdentities is missing or not a TrustedScope');
  });
});

describe('EndpointPolicyDefault', () => {
  test('awsDefault() (the default) gives no policy, and policyStatements alone are the policy', () => {
    const { stack, vpc } = consumer();
    new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    new InterfaceEndpoint(stack, 'Ssm', { vpc, service: ec2.InterfaceVpcEndpointAwsService.SSM, defaultPolicy: EndpointPolicyDefault.awsDefault() });
    new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
    Template.fromStack(stack).allResourcesProperties('AWS::EC2::VPCEndpoint', { PolicyDocument: Match.absent() });
  });

  test('sameOrganization() on an interface endpoint, with statements of your own added to it', () => {
    const { stack, vpc } = consumer();
    const own = new iam.PolicyStatement({ sid: 'Own', principals: [new iam.AnyPrincipal()], actions: ['sts:GetCallerIdentity'], resources: ['*'] });
    new InterfaceEndpoint(stack, 'Sts', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, defaultPolicy: EndpointPolicyDefault.sameOrganization(ORG), policyStatements: [own],
    });
    const [statements] = Object.values(policies(stack)) as any[][];
    expect(statements.map(statement => statement.Sid)).toEqual(['AllowTrustedIdentitiesToTrustedResources', 'AllowAwsServicePrincipals', 'Own']);
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': ORG } });
  });

  test('sameAccount() on every endpoint of AwsServiceEndpoints, with the stack account', () => {
    const { stack, vpc } = consumer();
    new AwsServiceEndpoints(stack, 'Services', {
      vpc,
      services: [ec2.InterfaceVpcEndpointAwsService.STS, ec2.InterfaceVpcEndpointAwsService.KMS],
      defaultPolicy: EndpointPolicyDefault.sameAccount(),
    });
    const all = Object.values(policies(stack)) as any[][];
    expect(all).toHaveLength(2);
    for (const statements of all) {
      expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalAccount': '111111111111', 'aws:ResourceAccount': '111111111111' } });
      expect(statements[1]).toEqual(SERVICE_PRINCIPALS);
    }
  });

  test('dataPerimeter() on a gateway endpoint keeps Principal * and adds the GatewayEndpointPolicy statements', () => {
    const { stack, vpc } = consumer();
    const endpoint = new GatewayEndpoint(stack, 'S3', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      defaultPolicy: EndpointPolicyDefault.dataPerimeter({ trustedIdentities: TrustedScope.organizationPaths([PATH]), actions: ['s3:GetObject'] }),
    });
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'AmazonLinuxRepositories', principals: [new iam.StarPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*'],
    }));
    const [statements] = Object.values(policies(stack)) as any[][];
    expect(statements.map(statement => [statement.Sid, statement.Principal])).toEqual([
      ['AllowTrustedIdentitiesToTrustedResources', '*'], ['AllowAwsServicePrincipals', '*'], ['AmazonLinuxRepositories', '*'],
    ]);
  });

  test.each([
    [ec2.InterfaceVpcEndpointAwsService.CLOUDTRAIL, "the AWS service 'cloudtrail' does not support endpoint policies"],
    [new ec2.InterfaceVpcEndpointService(PARTNER, 443), `'${PARTNER}' is an endpoint service, not an AWS service (endpoints to endpoint services take no policy)`],
  ])('a perimeter on an endpoint that takes no policy is an error (%#)', (service, why) => {
    const { stack, vpc } = consumer();
    const error = validationErrorOf(() => new InterfaceEndpoint(stack, 'Endpoint', { vpc, service, defaultPolicy: EndpointPolicyDefault.sameAccount() }));
    expect(error.message).toContain(`defaultPolicy EndpointPolicyDefault.sameAccount() cannot apply: ${why}, and AWS allows full access through the endpoint.`);
    expect(error.message).toContain('Expected EndpointPolicyDefault.awsDefault() for this endpoint');
  });

  test('a statement on an endpoint that takes no policy is an error, from the prop and from addToPolicy()', () => {
    const { stack, vpc } = consumer();
    const statement = new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['*'], resources: ['*'] });
    expect(validationErrorOf(() => new InterfaceEndpoint(stack, 'Trail', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.CLOUDTRAIL, policyStatements: [statement],
    })).message).toMatch(/cannot be added: the AWS service 'cloudtrail' does not support endpoint policies .*Expected no policyStatements here/);
    const partner = new InterfaceEndpoint(stack, 'Partner', { vpc, service: new ec2.InterfaceVpcEndpointService(PARTNER, 443) });
    expect(validationErrorOf(() => partner.addToPolicy(statement)).message).toContain('is an endpoint service, not an AWS service');
  });

  test('EventBridge needs a perimeter without the resource condition', () => {
    const { stack, vpc } = consumer();
    expect(validationErrorOf(() => new InterfaceEndpoint(stack, 'Events', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE, defaultPolicy: EndpointPolicyDefault.sameOrganization(ORG),
    })).message).toContain("the actions of 'events' do not support aws:ResourceOrgID or aws:ResourceAccount");
    const second = consumer();
    new InterfaceEndpoint(second.stack, 'Events', {
      vpc: second.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
      defaultPolicy: EndpointPolicyDefault.dataPerimeter({ trustedIdentities: TrustedScope.organization(ORG), restrictResources: false }),
    });
    const [statements] = Object.values(policies(second.stack)) as any[][];
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ORG } });
  });

  test('a defaultPolicy that is not an EndpointPolicyDefault is refused', () => {
    const { stack, vpc } = consumer();
    expect(validationErrorOf(() => new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, defaultPolicy: 'SAME_ORGANIZATION' as any })).message)
      .toContain("defaultPolicy is 'SAME_ORGANIZATION': expected an EndpointPolicyDefault, such as EndpointPolicyDefault.sameOrganization().");
  });
});
