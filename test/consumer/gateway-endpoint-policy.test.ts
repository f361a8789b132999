import { App, Aws, CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GatewayEndpoint, GatewayEndpointPolicy, GatewayEndpointPolicyOptions, InterfaceEndpoint } from '../../src';
import { validationErrorOf } from '../helpers';

const S3 = ec2.GatewayVpcEndpointAwsService.S3;
const READ: GatewayEndpointPolicyOptions = { actions: ['s3:GetObject'] };
const PATTERN_EXPECTED = "expected an IAM or STS principal ARN: 'arn:<partition>:iam::<12-digit account>:role/<path/><name>', "
  + "':user/<path/><name>', ':root', or 'arn:<partition>:sts::<12-digit account>:federated-user/<name>', "
  + "with wildcards (* or ?) only in the path and name, like 'arn:aws:iam::123456789012:role/app-*'.";

/** A stack in partition `aws` (Region eu-west-1) with an S3 gateway endpoint at `Stack/S3`. */
function endpoint(): GatewayEndpoint {
  const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
  return new GatewayEndpoint(stack, 'S3', { vpc, service: S3, routeTableIds: ['rtb-0123456789abcdef0'] });
}

/** The error of adding `statement` to a new endpoint's policy. */
function errorOfAdding(statement: iam.PolicyStatement): string {
  return validationErrorOf(() => endpoint().addToPolicy(statement)).message;
}

function principalArnError(arn: string): string {
  return errorOfAdding(GatewayEndpointPolicy.forPrincipalArns([arn], READ));
}

describe('GatewayEndpointPolicy: principal ARN patterns', () => {
  test('refuses arn:* (too few components), with the method and the endpoint path', () => {
    expect(principalArnError('arn:*')).toBe("Invalid principal ARN 'arn:*' in GatewayEndpointPolicy.forPrincipalArns(): "
      + `it has 2 of the six colon-separated ARN components; ${PATTERN_EXPECTED} [at Stack/S3]`);
  });

  test.each([
    ['arn:aws:iam::*:role/*', '*'],
    ['arn:aws:iam::12345678901?:role/app', '12345678901?'],
    ['arn:aws:iam::1234*:root', '1234*'],
    // Refused too, although it can match only 123456789012: no wildcard in the account at all.
    ['arn:aws:iam::123456789012*:role/app', '123456789012*'],
    [`arn:aws:iam::${Aws.ACCOUNT_ID}*:role/app`, `${Aws.ACCOUNT_ID}*`],
  ])('refuses %s: a wildcard in the account matches other accounts', (arn, account) => {
    expect(principalArnError(arn)).toBe(`Invalid principal ARN '${arn}' in GatewayEndpointPolicy.forPrincipalArns(): the account `
      + `'${account}' has a wildcard, so the ARN matches principals of other AWS accounts (IAM's ArnLike matches each `
      + 'colon-separated component on its own); expected a 12-digit account ID or a token, with wildcards only in the name, '
      + "like 'arn:aws:iam::123456789012:role/app-*'. [at Stack/S3]");
  });

  test.each([
    ['partition', 'arn:aws*:iam::123456789012:role/app', 'aws*', '*'],
    ['partition', `arn:${Aws.PARTITION}?:iam::123456789012:role/app`, `${Aws.PARTITION}?`, '?'],
    ['service', 'arn:aws:*::123456789012:role/app', '*', '*'],
    ['Region', 'arn:aws:iam:*:123456789012:role/app', '*', '*'],
  ])('refuses a wildcard in the %s of %s', (component, arn, value, wildcard) => {
    expect(principalArnError(arn)).toBe(`Invalid principal ARN '${arn}' in GatewayEndpointPolicy.forPrincipalArns(): the ${component} `
      + `'${value}' has the wildcard '${wildcard}'; wildcards are allowed only in the path and name, since elsewhere they match `
      + `principals of other partitions or services; ${PATTERN_EXPECTED} [at Stack/S3]`);
  });

  test('refuses the literal partition of a token ARN that is not the stack partition', () => {
    const arn = `arn:aws-cn:iam::${Aws.ACCOUNT_ID}:role/app`;
    expect(principalArnError(arn)).toBe(`Wrong partition 'aws-cn' in '${arn}': the stack is in partition 'aws'. [at Stack/S3]`);
    expect(principalArnError('arn:aws-xx:iam::123456789012:role/app'))
      .toBe("Invalid partition 'aws-xx' in 'arn:aws-xx:iam::123456789012:role/app': expected one of aws, aws-cn, aws-us-gov, "
        + 'aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc. [at Stack/S3]');
  });

  test.each([
    [`arn:aws:ec2::${Aws.ACCOUNT_ID}:role/app`, "the service 'ec2' is neither 'iam' nor 'sts': aws:PrincipalArn holds the ARN of an "
      + `IAM role or user, an account's root user or an STS federated user; ${PATTERN_EXPECTED}`],
    [`arn:aws:iam:eu-west-1:${Aws.ACCOUNT_ID}:role/app`, "it has the Region 'eu-west-1', but IAM and STS principal ARNs have none "
      + `('arn:aws:iam::...'); ${PATTERN_EXPECTED}`],
    [`role/${Aws.ACCOUNT_ID}`, `it does not start with 'arn:'; ${PATTERN_EXPECTED}`],
    [`arn:aws:iam::${Aws.ACCOUNT_ID}:group/admins`, "the resource 'group/admins' is not a principal of iam; expected the resource part to "
      + "start with one of 'role/...', 'user/...', 'root' for iam, literally, with wildcards only after it (such as 'role/*' for every "
      + 'role of the account).'],
    [`arn:aws:sts::${Aws.ACCOUNT_ID}:role/app`, "the resource 'role/app' is not a principal of sts; expected the resource part to start "
      + "with one of 'federated-user/...' for sts, literally, with wildcards only after it (such as 'role/*' for every role of the account)."],
    ['arn:aws:iam::123456789012:*', "the resource '*' is not a principal of iam; expected the resource part to start with one of "
      + "'role/...', 'user/...', 'root' for iam, literally, with wildcards only after it (such as 'role/*' for every role of the account)."],
    ['arn:aws:iam::123456789012:root*', "the resource 'root*' is not 'root'; expected the resource part to start with one of "
      + "'role/...', 'user/...', 'root' for iam, literally, with wildcards only after it (such as 'role/*' for every role of the account)."],
    ['arn:aws:iam::123456789012:role/', "the resource 'role/' has no name after 'role/'; expected a name (wildcards allowed) after it."],
    ['arn:aws:iam::123456789012:role/a:b', 'it has 7 colon-separated components, expected six (its resource part has a \':\'); '
      + PATTERN_EXPECTED],
    ['arn:aws:sts::123456789012:assumed-role/app/session', 'it is a role session ARN (assumed-role), but for a role session '
      + "aws:PrincipalArn holds the role's ARN, so it would never match; expected 'arn:<partition>:iam::<12-digit account>:role/<path/><name>'."],
    [`${Aws.ACCOUNT_ID}:role/*`, "it has the wildcard '*' after a token, with fewer than six colon-separated components, so it cannot "
      + `be told which component the wildcard is in; write all six components, with the token in one of them; ${PATTERN_EXPECTED}`],
  ])('refuses %s', (arn, reason) => {
    expect(principalArnError(arn)).toBe(`Invalid principal ARN '${arn}' in GatewayEndpointPolicy.forPrincipalArns(): ${reason} [at Stack/S3]`);
  });

  test('refuses an account ID that is not 12 digits', () => {
    expect(principalArnError('arn:aws:iam::12345:role/app')).toBe("Invalid account ID '12345' in principal ARN "
      + "'arn:aws:iam::12345:role/app' in GatewayEndpointPolicy.forPrincipalArns(): expected exactly 12 digits (0-9), "
      + "like '123456789012'. [at Stack/S3]");
  });

  test('accepts wildcards in the path and name of one account, tokens, and ARNs wholly a token', () => {
    const e = endpoint();
    const role = new CfnParameter(e, 'RoleArn').valueAsString;
    const arns = [
      'arn:aws:iam::123456789012:role/app-*',
      'arn:aws:iam::123456789012:role/team/*',
      'arn:aws:iam::123456789012:role/ap?',
      'arn:aws:iam::123456789012:user/ci-*',
      'arn:aws:iam::123456789012:root',
      'arn:aws:sts::123456789012:federated-user/*',
      `arn:aws:iam::${Aws.ACCOUNT_ID}:role/*`,
      `arn:${Aws.PARTITION}:iam::123456789012:role/cdk-*-cfn-exec-role-*`,
      `arn:aws:iam::123456789012:role/${Lazy.string({ produce: () => 'app' })}-*`,
      `arn:aws:iam::123456789012:${Lazy.string({ produce: () => 'root' })}`,
      role,
    ];
    e.addToPolicy(GatewayEndpointPolicy.forPrincipalArns(arns, READ));
    const policy = Template.fromStack(Stack.of(e)).findResources('AWS::EC2::VPCEndpoint');
    const statement = Object.values(policy)[0].Properties.PolicyDocument.Statement[0];
    expect(statement.Condition.ArnLike['aws:PrincipalArn']).toHaveLength(arns.length);
  });

  test('takes the partition of a stack whose Region is unknown from the ARN, without a partition check', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
    const e = new GatewayEndpoint(stack, 'S3', { vpc, service: S3, routeTableIds: ['rtb-0123456789abcdef0'] });
    expect(() => e.addToPolicy(GatewayEndpointPolicy.forPrincipalArns(['arn:aws-cn:iam::123456789012:role/app'], READ))).not.toThrow();
  });
});

describe('GatewayEndpointPolicy: other inputs', () => {
  test.each([
    ['an account ID that is not 12 digits', () => GatewayEndpointPolicy.forAccounts(['111111111111', '12345'], READ),
      "Invalid AWS account ID '12345' in GatewayEndpointPolicy.forAccounts(): expected exactly 12 digits (0-9), like '123456789012'."],
    ['no account IDs', () => GatewayEndpointPolicy.forAccounts([], READ),
      "accountIds of GatewayEndpointPolicy.forAccounts() is empty: expected at least one, a 12-digit account ID like '123456789012'."],
    ['no principal ARNs', () => GatewayEndpointPolicy.forPrincipalArns([], READ), 'arns of GatewayEndpointPolicy.forPrincipalArns() '
      + "is empty: expected at least one, a principal ARN like 'arn:aws:iam::123456789012:role/app'."],
    ['an organization ID of upper-case letters', () => GatewayEndpointPolicy.forOrganization('o-ABC', READ),
      "Invalid organization ID 'o-ABC' in GatewayEndpointPolicy.forOrganization(): expected 'o-' followed by 10 to 32 lowercase "
        + "letters or digits, like 'o-a1b2c3d4e5'."],
    ['no actions', () => GatewayEndpointPolicy.forAccounts(['111111111111'], { actions: [] }),
      "actions of GatewayEndpointPolicy.forAccounts() is empty: expected at least one action, like 's3:GetObject'."],
    ['an action without service prefix', () => GatewayEndpointPolicy.forOrganization('o-a1b2c3d4e5', { actions: ['GetObject'] }),
      "Invalid action 'GetObject' in GatewayEndpointPolicy.forOrganization(): expected a service prefix, a colon and an action "
        + "name (wildcards '*' allowed), like 's3:GetObject', or '*'."],
    ['no resources', () => GatewayEndpointPolicy.forAccounts(['111111111111'], { ...READ, resources: [] }),
      "resources of GatewayEndpointPolicy.forAccounts() is empty: expected at least one resource ARN, or leave it out for '*'."],
    ['a resource that is not an ARN', () => GatewayEndpointPolicy.forAccounts(['111111111111'], { ...READ, resources: ['my-bucket'] }),
      "Invalid resource 'my-bucket' in GatewayEndpointPolicy.forAccounts(): expected an ARN like 'arn:aws:s3:::my-bucket/*', or '*'."],
  ])('refuses %s when the statement is added to an endpoint', (_what, make, message) => {
    // The factory has no construct to name, so it does not throw.
    const statement = make();
    expect(errorOfAdding(statement)).toBe(`${message} [at Stack/S3]`);
  });

  test('accepts token account and organization IDs', () => {
    const e = endpoint();
    e.addToPolicy(GatewayEndpointPolicy.forAccounts([Aws.ACCOUNT_ID, '111111111111'], READ));
    e.addToPolicy(GatewayEndpointPolicy.forOrganization(new CfnParameter(e, 'Org').valueAsString, { actions: ['s3:*'], resources: ['*'] }));
  });

  test('a statement with bad actions has no actions, so other policies refuse it too', () => {
    const statement = GatewayEndpointPolicy.forAccounts(['111111111111'], { actions: ['s3 GetObject'] });
    expect(statement.actions).toEqual([]);
    expect(statement.validateForAnyPolicy()).toEqual(["A PolicyStatement must specify at least one 'action' or 'notAction'."]);
  });
});

describe('GatewayEndpointPolicy: where its statements are checked', () => {
  const bad = () => GatewayEndpointPolicy.forPrincipalArns(['arn:aws:iam::*:role/*'], READ);

  test('the factory does not throw; a statement never added to an endpoint does nothing', () => {
    expect(bad).not.toThrow();
  });

  test('in policyStatements of a GatewayEndpoint, with its path', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
    const error = validationErrorOf(() => new GatewayEndpoint(stack, 'Gateway', {
      vpc, service: S3, routeTableIds: ['rtb-0123456789abcdef0'], policyStatements: [bad()],
    }));
    expect(error.message).toMatch(/^Invalid principal ARN 'arn:aws:iam::\*:role\/\*' in GatewayEndpointPolicy.forPrincipalArns\(\): the account '\*' has a wildcard.* \[at Stack\/Gateway\]$/);
  });

  test('in addToPolicy() of an InterfaceEndpoint, with its path', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const sts = new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS });
    const error = validationErrorOf(() => sts.addToPolicy(bad()));
    expect(error.message).toMatch(/the account '\*' has a wildcard, so the ARN matches principals of other AWS accounts.* \[at Stack\/Sts\]$/);
  });

  test('names methods and arguments as a Python caller writes them', () => {
    const agent = process.env.JSII_AGENT;
    process.env.JSII_AGENT = 'Python/3.12.1';
    try {
      expect(principalArnError('arn:*')).toMatch(/^Invalid principal ARN 'arn:\*' in GatewayEndpointPolicy.for_principal_arns\(\): /);
      expect(errorOfAdding(GatewayEndpointPolicy.forAccounts([], READ)))
        .toMatch(/^account_ids of GatewayEndpointPolicy.for_accounts\(\) is empty/);
    } finally {
      if (agent === undefined) delete process.env.JSII_AGENT;
      else process.env.JSII_AGENT = agent;
    }
  });
});
