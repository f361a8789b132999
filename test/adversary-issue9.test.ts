import { App, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newNlb, validationErrorOf } from './helpers';
import {
  AllowedPrincipal, AwsServiceEndpoints, ConnectionApproval, ConnectionNotification, DataPerimeter, EndpointPolicyDefault, GatewayEndpoint,
  GatewayEndpointPolicy, InterfaceEndpoint, PrivateEndpointService, TrustedScope,
} from '../src';

// What an adversarial review of the safe-by-default checks found: values whose danger shows only
// once tokens resolve, statements changed after the checks, and shapes a caller without types sends.
const env = { account: '111111111111', region: 'eu-west-1' };
const anything = (value: unknown) => value as any;
const ACTIONS = { actions: ['s3:GetObject'] };
const lazyStar = () => Lazy.string({ produce: () => '*' });

function consumer(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Consumer', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { app, stack, vpc };
}

function gateway(policyStatements: iam.PolicyStatement[]): () => void {
  const { app, stack, vpc } = consumer();
  return () => {
    new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, policyStatements });
    app.synth();
  };
}

describe('wildcards that only the template shows', () => {
  test.each([
    ['Fn.join of literals', () => Fn.join('', ['arn:aws:iam::', '*', ':role/x'])],
    ['Fn.join with a parameter and a literal *', (stack: Stack) => Fn.join('', ['arn:aws:iam::', new CfnParameter(stack, 'P').valueAsString, '*', ':role/x'])],
    ['Lazy.string', () => `arn:aws:iam::${lazyStar()}:role/x`],
  ])('GatewayEndpointPolicy.forPrincipalArns with %s is refused at synthesis', (_what, arn) => {
    const { app, stack, vpc } = consumer();
    new GatewayEndpoint(stack, 'S3', {
      vpc, service: ec2.GatewayVpcEndpointAwsService.S3, policyStatements: [GatewayEndpointPolicy.forPrincipalArns([arn(stack)], ACTIONS)],
    });
    expect(() => app.synth()).toThrow(/wildcard.*account|account.*wildcard/i);
  });

  test('a statement changed after the factory, copied, or written by hand is checked as synthesized', () => {
    const mutated = GatewayEndpointPolicy.forPrincipalArns(['arn:aws:iam::123456789012:role/x'], ACTIONS);
    mutated.addCondition('ArnLike', { 'aws:PrincipalArn': 'arn:*' });
    expect(gateway([mutated])).toThrow(/arn:\*/);
    const unchecked = GatewayEndpointPolicy.forPrincipalArns(['arn:aws:iam::*:role/*'], ACTIONS);
    expect(gateway([unchecked.copy()])).toThrow(/arn:aws:iam::\*:role\/\*/);
    expect(gateway([iam.PolicyStatement.fromJson(unchecked.toStatementJson())])).toThrow(/arn:aws:iam::\*:role\/\*/);
    expect(gateway([new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:*'], resources: ['*'], conditions: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } },
    })])).toThrow(/arn:aws:iam::\*:role\/admin/);
  });

  test('an exempt principal of a bucket policy that becomes a wildcard is refused at synthesis', () => {
    const { app, stack, vpc } = consumer();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
    endpoint.bucketPolicyStatements(new s3.Bucket(stack, 'Bucket'), { exemptPrincipalArns: [`arn:aws:iam::${lazyStar()}:role/x`] });
    expect(() => app.synth()).toThrow(/exempt principal ARN/);
  });

  test.each([
    ['a role from Fn.join', () => AllowedPrincipal.role(Fn.join('', ['arn:aws:iam::', '*', ':role/x']))],
    ['an account from Lazy.string', () => AllowedPrincipal.account(lazyStar())],
  ])('AllowedPrincipal: %s that becomes a wildcard is refused at synthesis', (_what, principal) => {
    const app = new App();
    const stack = new Stack(app, 'Provider', { env });
    new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], allowedPrincipals: [principal()] });
    expect(() => app.synth()).toThrow(/\*/);
  });

  test('a peer whose address is a reference but whose prefix is /0 or /1 is refused at synthesis', () => {
    for (const cidr of [(stack: Stack) => `${new CfnParameter(stack, 'Cidr').valueAsString}/0`, () => Fn.join('/', [Fn.ref('AWS::NoValue'), '1'])]) {
      const { app, stack, vpc } = consumer();
      new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [ec2.Peer.ipv4(cidr(stack))] });
      expect(() => app.synth()).toThrow(/too wide for a peer whatever the reference resolves to/);
    }
  });

  test('a peer that resolves to every address is refused at synthesis', () => {
    const { app, stack, vpc } = consumer();
    new InterfaceEndpoint(stack, 'Sts', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, allowedPeers: [ec2.Peer.ipv4(Lazy.string({ produce: () => '0.0.0.0/0' }))],
    });
    expect(() => app.synth()).toThrow(/which is every IPv4 address/);
  });

  test('an organization path that becomes * is refused at synthesis', () => {
    const { app, stack, vpc } = consumer();
    new InterfaceEndpoint(stack, 'Sts', {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      defaultPolicy: EndpointPolicyDefault.dataPerimeter({ trustedIdentities: TrustedScope.organizationPaths([lazyStar()]) }),
    });
    expect(() => app.synth()).toThrow(/Invalid organization path '\*'/);
  });
});

describe('a perimeter widened by a statement without an identity condition', () => {
  test('warns, naming the statement; a statement with an identity condition does not', () => {
    const { stack, vpc } = consumer();
    const open = new iam.PolicyStatement({ sid: 'Open', principals: [new iam.StarPrincipal()], actions: ['*'], resources: ['*'] });
    const narrow = new iam.PolicyStatement({
      sid: 'Narrow', principals: [new iam.StarPrincipal()], actions: ['*'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    });
    new InterfaceEndpoint(stack, 'Sts', {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, defaultPolicy: EndpointPolicyDefault.sameAccount(), policyStatements: [open, narrow],
    });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('perimeterWidened'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain('\\"Sid\\":\\"Open\\"');
  });
});

describe('shapes a caller without types sends', () => {
  test.each([
    [{ securityGroups: [] }, 'securityGroups is empty: expected at least one security group'],
    [{ securityGroups: [{}] }, 'securityGroups has {}: expected security groups'],
    [{ allowedPeers: anything(ec2.Peer.ipv4('10.0.0.0/16')) }, 'allowedPeers is a CidrIPv4 object: expected a list of peers'],
    [{ allowedPeers: ['10.0.0.0/16'] }, "allowedPeers has '10.0.0.0/16': expected a peer such as"],
    [{ allowedPeers: [null] }, 'allowedPeers has null: expected a peer'],
    [{ allowPublicPeers: 'yes' }, "allowPublicPeers is 'yes': expected true or false."],
    [{ serviceRegion: 1 }, 'Invalid serviceRegion 1'],
  ])('InterfaceEndpoint %p', (props, message) => {
    const { stack, vpc } = consumer();
    expect(validationErrorOf(() => new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, ...anything(props) })).message)
      .toContain(message);
  });

  test('AwsServiceEndpoints refuses no list and a service that is not an AWS service', () => {
    const { stack, vpc } = consumer();
    expect(validationErrorOf(() => new AwsServiceEndpoints(stack, 'A', { vpc, services: anything(null) })).message)
      .toContain('services is null: expected a list of ec2.InterfaceVpcEndpointAwsService values.');
    expect(validationErrorOf(() => new AwsServiceEndpoints(stack, 'B', {
      vpc, services: [anything(new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0'))],
    })).message).toContain('expected AWS services (ec2.InterfaceVpcEndpointAwsService)');
  });

  test.each([
    [{ allowedRegions: 'eu-west-2' }, "allowedRegions is 'eu-west-2': expected a list of Region codes"],
    [{ allowedRegions: [1] }, 'Invalid allowedRegions entry 1'],
    [{ privateDnsName: null }, 'privateDnsName is null'],
    [{ createOutputs: 'no' }, "createOutputs is 'no': expected true or false."],
  ])('PrivateEndpointService %p', (props, message) => {
    const stack = new Stack(new App(), 'Provider', { env });
    expect(validationErrorOf(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], ...anything(props) })).message)
      .toContain(message);
  });

  test('ConnectionApproval refuses a string for a list', () => {
    const stack = new Stack(new App(), 'Provider', { env });
    const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    expect(validationErrorOf(() => new ConnectionApproval(stack, 'A', { service, endpointIds: anything('vpce-0123456789abcdef0') })).message)
      .toContain("endpointIds is 'vpce-0123456789abcdef0': expected a list of VPC endpoint IDs");
    expect(validationErrorOf(() => new ConnectionApproval(stack, 'B', { service, allowedOwners: anything('222222222222') })).message)
      .toContain("allowedOwners is '222222222222': expected a list of 12-digit account IDs.");
  });

  test('GatewayEndpointPolicy refuses strings for lists and non-strings for values, with the endpoint path', () => {
    for (const [statement, message] of [
      [GatewayEndpointPolicy.forPrincipalArns(anything('arn:aws:iam::123456789012:role/x'), ACTIONS), "arns of GatewayEndpointPolicy.forPrincipalArns() is 'arn:aws:iam::123456789012:role/x': expected a list"],
      [GatewayEndpointPolicy.forAccounts(anything('123456789012'), ACTIONS), "accountIds of GatewayEndpointPolicy.forAccounts() is '123456789012': expected a list"],
      [GatewayEndpointPolicy.forPrincipalArns([anything(123)], ACTIONS), 'Invalid value 123: expected a string.'],
      [GatewayEndpointPolicy.forOrganization(anything(['o-aaaaaaaaaa']), ACTIONS), 'Invalid organization ID ["o-aaaaaaaaaa"]'],
      [GatewayEndpointPolicy.forAccounts(['123456789012'], anything({ actions: 's3:GetObject' })), "actions of GatewayEndpointPolicy.forAccounts() is 's3:GetObject': expected a list of actions."],
    ] as Array<[iam.PolicyStatement, string]>) {
      const error = validationErrorOf(gateway([statement]));
      expect(error.message).toContain(message);
      expect(error.message).toContain('[at Consumer/S3]');
    }
  });

  test('DataPerimeter and TrustedScope refuse bad actions and shapes with a construct path', () => {
    const { stack } = consumer();
    for (const [options, message] of [
      [{ trustedIdentities: TrustedScope.stackAccount(), actions: ['bogus'] }, "Invalid action 'bogus' in actions"],
      [{ trustedIdentities: TrustedScope.stackAccount(), trustedResources: {} }, 'trustedResources is {}: expected a TrustedScope'],
      [{ trustedIdentities: TrustedScope.accounts(anything('111111111111')) }, "TrustedScope.accounts() got '111111111111': expected a list."],
    ] as Array<[any, string]>) {
      const error = validationErrorOf(() => DataPerimeter.statements(stack, options));
      expect(error.message).toContain(message);
      expect(error.message).toContain('[at Consumer]');
    }
  });

  test('ConnectionNotification refuses a source that is not a ConnectionNotificationSource', () => {
    const { stack } = consumer();
    expect(validationErrorOf(() => new ConnectionNotification(stack, 'N', { source: anything({}) })).message)
      .toContain('source is {}: expected a ConnectionNotificationSource');
  });
});
