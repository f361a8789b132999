import { App, Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GatewayEndpoint } from '../../src/consumer/gateway-endpoint';
import { GatewayEndpointPolicy } from '../../src/consumer/gateway-endpoint-policy';
import { validationErrorOf } from '../helpers';

function newVpcStack(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  return { app, stack, vpc };
}

function routeTableRefs(stack: Stack, subnets: ec2.ISubnet[]): unknown[] {
  return subnets.map(subnet => stack.resolve(subnet.routeTable.routeTableId));
}

const S3 = ec2.GatewayVpcEndpointAwsService.S3;
const DYNAMODB = ec2.GatewayVpcEndpointAwsService.DYNAMODB;

describe('GatewayEndpoint', () => {
  test('S3 endpoint routes from the route tables of a subnet selection, without a policy by default', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', {
      vpc, service: S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      VpcId: stack.resolve(vpc.vpcId),
      RouteTableIds: routeTableRefs(stack, vpc.isolatedSubnets),
      PolicyDocument: Match.absent(),
    });
    const [logicalId] = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(stack.resolve(endpoint.vpcEndpointId)).toEqual({ Ref: logicalId });
    expect(endpoint.vpcEndpointRef.vpcEndpointId).toBe(endpoint.vpcEndpointId);
    expect(endpoint.routeTableIds).toHaveLength(2);
  });

  test('DynamoDB endpoint uses all subnets by default', () => {
    const { stack, vpc } = newVpcStack();
    new GatewayEndpoint(stack, 'Dynamo', { vpc, service: DYNAMODB });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
      RouteTableIds: routeTableRefs(stack, [...vpc.publicSubnets, ...vpc.isolatedSubnets]),
    });
  });

  test('takes given route table IDs, each once', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'Dynamo', {
      vpc, service: DYNAMODB, routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1', 'rtb-0123456789abcdef0'],
    });
    expect(endpoint.routeTableIds).toEqual(['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      RouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
    });
  });

  test('refuses subnets together with routeTableIds, and no route table at all', () => {
    const { stack, vpc } = newVpcStack();
    expect(() => new GatewayEndpoint(stack, 'Both', {
      vpc, service: S3, subnets: [{ subnetType: ec2.SubnetType.PUBLIC }], routeTableIds: ['rtb-01234567'],
    })).toThrow(/Both subnets and routeTableIds are given: expected one of them, not both/);
    expect(() => new GatewayEndpoint(stack, 'None', { vpc, service: S3, routeTableIds: [] }))
      .toThrow(/No route table found in routeTableIds: expected at least one route table/);
  });

  test('refuses services other than S3, DynamoDB and S3 Express', () => {
    const { stack, vpc } = newVpcStack();
    expect(() => new GatewayEndpoint(stack, 'Sqs', { vpc, service: new ec2.GatewayVpcEndpointAwsService('sqs') }))
      .toThrow("Unsupported gateway endpoint service 'com.amazonaws.<region>.sqs': expected GatewayVpcEndpointAwsService.S3, "
        + 'GatewayVpcEndpointAwsService.DYNAMODB or GatewayVpcEndpointAwsService.S3_EXPRESS. [at Stack/Sqs]');
  });

  test('policy helpers keep Principal * and restrict by principal ARN, account or organization', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', {
      vpc,
      service: S3,
      policyStatements: [
        GatewayEndpointPolicy.forPrincipalArns(['arn:aws:iam::111111111111:role/app-*'], { actions: ['s3:GetObject'], sid: 'Roles' }),
        GatewayEndpointPolicy.forAccounts(['111111111111', '222222222222'], {
          actions: ['s3:PutObject'], resources: ['arn:aws:s3:::bucket/*'],
        }),
      ],
    });
    endpoint.addToPolicy(GatewayEndpointPolicy.forOrganization('o-a1b2c3d4e5', { actions: ['s3:ListBucket'] }));

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Roles',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/app-*' } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::bucket/*',
            Condition: { StringEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:ListBucket',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
          },
        ],
      },
    });
  });

  test('policy helpers do not throw: their inputs are refused when the statement is added, with the endpoint path', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    const options = { actions: ['s3:GetObject'] };
    const statements = [
      GatewayEndpointPolicy.forAccounts(['12345'], options),
      GatewayEndpointPolicy.forOrganization('o-ABC', options),
      GatewayEndpointPolicy.forPrincipalArns(['role/app'], options),
      GatewayEndpointPolicy.forAccounts(['111111111111'], { actions: [] }),
    ];
    expect(statements.map(statement => validationErrorOf(() => endpoint.addToPolicy(statement)).message)).toEqual([
      "Invalid AWS account ID '12345' in GatewayEndpointPolicy.forAccounts(): expected exactly 12 digits (0-9), like '123456789012'. [at Stack/S3]",
      expect.stringMatching(/^Invalid organization ID 'o-ABC' in GatewayEndpointPolicy.forOrganization\(\): expected 'o-' followed by .* \[at Stack\/S3\]$/),
      expect.stringMatching(/^Invalid principal ARN 'role\/app' in GatewayEndpointPolicy.forPrincipalArns\(\): it has 1 of the six .* \[at Stack\/S3\]$/),
      "actions of GatewayEndpointPolicy.forAccounts() is empty: expected at least one action, like 's3:GetObject'. [at Stack/S3]",
    ]);
  });

  test('refuses a policy statement with a named principal', () => {
    const { stack, vpc } = newVpcStack();
    const statement = new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('111111111111')], actions: ['s3:GetObject'], resources: ['*'],
    });
    expect(() => new GatewayEndpoint(stack, 'S3', { vpc, service: S3, policyStatements: [statement] }))
      .toThrow(/names a principal: a gateway endpoint policy must use Principal '\*'/);
  });

  test('refuses at synthesis a principal added to a statement after it joined the policy', () => {
    const { stack, vpc } = newVpcStack();
    const statement = GatewayEndpointPolicy.forAccounts(['111111111111'], { actions: ['s3:GetObject'] });
    new GatewayEndpoint(stack, 'S3', { vpc, service: S3, policyStatements: [statement] });
    statement.addPrincipals(new iam.AccountPrincipal('222222222222'));
    expect(() => Template.fromStack(stack)).toThrow(/names a principal: a gateway endpoint policy must use Principal '\*'/);
  });

  test('refuses a policy statement without principal', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    expect(() => endpoint.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })))
      .toThrow(/has no Principal: expected one/);
  });

  test('bucket policy statements deny requests that do not come through the endpoint', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    for (const statement of endpoint.bucketPolicyStatements(bucket, { exemptPrincipalArns: ['arn:aws:iam::111111111111:role/admin'] })) {
      bucket.addToResourcePolicy(statement);
    }
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [stack.resolve(bucket.bucketArn), stack.resolve(bucket.arnForObjects('*'))],
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': stack.resolve(endpoint.vpcEndpointId) },
            ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/admin'] },
          },
        }],
      },
    });
    const [plain] = endpoint.bucketPolicyStatements(bucket);
    expect(stack.resolve(plain.toStatementJson()).Condition).toEqual({
      StringNotEquals: { 'aws:SourceVpce': stack.resolve(endpoint.vpcEndpointId) },
    });
  });

  test.each([
    ['arn:*', "it has 2 of the six colon-separated ARN components; expected an IAM or STS principal ARN: 'arn:<partition>:iam::<12-digit account>:role/<path/><name>'"],
    ['arn:aws:iam::*:role/*', "the account '*' has a wildcard, so the ARN matches principals of other AWS accounts (IAM's ArnLike matches each "
      + 'colon-separated component on its own); expected a 12-digit account ID or a token, with wildcards only in the name'],
    [`arn:aws:iam::${Aws.ACCOUNT_ID}?:role/admin`, `the account '${Aws.ACCOUNT_ID}?' has a wildcard`],
    [`arn:aws:ec2::${Aws.ACCOUNT_ID}:role/admin`, "the service 'ec2' is neither 'iam' nor 'sts'"],
  ])('refuses the exempt principal ARN %s: a Deny that would not apply, or an ARN that is not a principal', (arn, reason) => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    const error = validationErrorOf(() => endpoint.bucketPolicyStatements(new s3.Bucket(stack, 'Bucket'), { exemptPrincipalArns: [arn] }));
    expect(error.message).toContain(`Invalid exempt principal ARN '${arn}' in exemptPrincipalArns of bucketPolicyStatements(): ${reason}`);
    expect(error.message).toMatch(/ \[at Stack\/S3\]$/);
  });

  test('refuses an exempt principal ARN of another partition than the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3, routeTableIds: ['rtb-0123456789abcdef0'] });
    const arn = `arn:aws-cn:iam::${Aws.ACCOUNT_ID}:role/admin`;
    const error = validationErrorOf(() => endpoint.bucketPolicyStatements(new s3.Bucket(stack, 'Bucket'), { exemptPrincipalArns: [arn] }));
    expect(error.message).toBe(`Wrong partition 'aws-cn' in '${arn}': the stack is in partition 'aws'. [at Stack/S3]`);
  });

  test('takes exempt principal ARNs with wildcards in the name of one account, and tokens', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    const exempt = [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-*-cfn-exec-role-*`, 'arn:aws:iam::111111111111:role/admins/*'];
    const [statement] = endpoint.bucketPolicyStatements(new s3.Bucket(stack, 'Bucket'), { exemptPrincipalArns: exempt });
    expect(statement.conditions.ArnNotLike).toEqual({ 'aws:PrincipalArn': exempt });
  });

  test('bucket policy statements are refused for DynamoDB', () => {
    const { stack, vpc } = newVpcStack();
    const endpoint = new GatewayEndpoint(stack, 'Dynamo', { vpc, service: DYNAMODB });
    expect(() => endpoint.bucketPolicyStatements(new s3.Bucket(stack, 'Bucket')))
      .toThrow(/called on a DynamoDB gateway endpoint: expected an S3 gateway endpoint/);
  });

  test('two S3 gateway endpoints on one route table fail at synthesis', () => {
    const { app, stack, vpc } = newVpcStack();
    new GatewayEndpoint(stack, 'A', { vpc, service: S3, subnets: [{ subnetType: ec2.SubnetType.PUBLIC }] });
    new GatewayEndpoint(stack, 'B', { vpc, service: S3 });
    expect(() => app.synth()).toThrow(/Two gateway endpoints of .*s3.* on route table/);
  });

  test('S3 and DynamoDB gateway endpoints may share route tables', () => {
    const { stack, vpc } = newVpcStack();
    new GatewayEndpoint(stack, 'S3', { vpc, service: S3 });
    new GatewayEndpoint(stack, 'Dynamo', { vpc, service: DYNAMODB });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });

  test('more than 255 gateway endpoints in one VPC fail at synthesis', () => {
    const { stack, vpc } = newVpcStack();
    for (let i = 0; i < 256; i++) {
      new GatewayEndpoint(stack, `S3${i}`, { vpc, service: S3, routeTableIds: [`rtb-${i.toString(16).padStart(8, '0')}`] });
    }
    expect(() => Template.fromStack(stack)).toThrow(/gets 256 gateway endpoints in this stack: expected at most 255/);
  });

  test('a policy of more than 20,480 characters fails at synthesis', () => {
    const { stack, vpc } = newVpcStack();
    const arns = Array.from({ length: 400 }, (_, i) => `arn:aws:iam::111111111111:role/application-role-${i}`);
    new GatewayEndpoint(stack, 'S3', {
      vpc, service: S3, policyStatements: [GatewayEndpointPolicy.forPrincipalArns(arns, { actions: ['s3:GetObject'] })],
    });
    expect(() => Template.fromStack(stack)).toThrow(/characters: expected at most 20480/);
  });
});
