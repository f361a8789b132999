import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, RemovalPolicies, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsServiceEndpoints, EndpointPolicyDefault, GatewayEndpoint, GatewayEndpointPolicy, InterfaceEndpoint, TrustedScope } from '../src';
import { assertLeaves } from './integ-support/leaf-assertions';
import { allOf, conditionPattern } from './integ-support/policy-text';

// Deployable in any account and Region, with nothing in place but the CDK bootstrap. The data
// perimeters trust the deploying account (sameAccount(), aws:PrincipalAccount/aws:ResourceAccount):
// the organization of an arbitrary account cannot be known, and may not exist. sameOrganization()
// makes the same statements with aws:PrincipalOrgID/aws:ResourceOrgID.
const app = new App();
const stack = new Stack(app, 'PrivateLinkConsumerInteg');
// A fixed name: CloudFormation names the assertion Lambda's role `<stack name>-<logical ID>-<suffix>`,
// so the bucket policy below can exempt it.
const assertionStack = new Stack(app, 'ConsumerIntegAssertions');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'endpoints', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  flowLogs: {
    all: {
      trafficType: ec2.FlowLogTrafficType.REJECT,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs', {
        retention: logs.RetentionDays.ONE_WEEK,
        removalPolicy: RemovalPolicy.DESTROY,
      })),
    },
  },
});

const sts = new InterfaceEndpoint(stack, 'Sts', {
  vpc,
  service: ec2.InterfaceVpcEndpointAwsService.STS,
  defaultPolicy: EndpointPolicyDefault.sameAccount(),
  ipAddressType: ec2.VpcEndpointIpAddressType.IPV4,
  dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.IPV4,
});
// The messaging actions of Session Manager name no resource whose account could be checked.
const sessionManager = new AwsServiceEndpoints(stack, 'SessionManager', {
  vpc,
  services: AwsServiceEndpoints.sessionManager(),
  defaultPolicy: EndpointPolicyDefault.dataPerimeter({ trustedIdentities: TrustedScope.stackAccount(), restrictResources: false }),
});

const executeApi = new InterfaceEndpoint(stack, 'ExecuteApi', { vpc, service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
const api = new apigateway.RestApi(stack, 'PrivateApi', {
  endpointTypes: [apigateway.EndpointType.PRIVATE],
  policy: new iam.PolicyDocument({ statements: executeApi.privateApiPolicyStatements() }),
  // The CloudWatch role is a setting of the whole account: a test leaves it alone.
  cloudWatchRole: false,
});
api.root.addMethod('GET', new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200' }],
}), { methodResponses: [{ statusCode: '200' }] });
Object.entries({
  'AwsSolutions-APIG1': 'Test API with a mock integration and no traffic: no access logs.',
  'AwsSolutions-APIG2': 'Mock integration without input: nothing to validate.',
  'AwsSolutions-APIG3': 'Private API reachable only through the execute-api endpoint of this VPC: no WAF.',
  'AwsSolutions-APIG4': 'The resource policy allows only requests through the VPC endpoint; the mock returns nothing.',
  'AwsSolutions-APIG6': 'Test API with no traffic: no execution logs (they need the account-wide CloudWatch role).',
  'AwsSolutions-COG4': 'No user pool: the resource policy is the access control under test.',
}).forEach(([id, reason]) => Validations.of(api).acknowledge({ id, reason }));

const s3Endpoint = new GatewayEndpoint(stack, 'S3', {
  vpc,
  service: ec2.GatewayVpcEndpointAwsService.S3,
  defaultPolicy: EndpointPolicyDefault.sameAccount(),
});
const dynamoDb = new GatewayEndpoint(stack, 'DynamoDb', {
  vpc,
  service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
  policyStatements: [GatewayEndpointPolicy.forAccounts([stack.account], { actions: ['dynamodb:*'] })],
});

// Stays empty (nothing writes to it), so CloudFormation can delete it without autoDeleteObjects,
// whose handler would not come through the endpoint.
const bucket = new s3.Bucket(stack, 'Bucket', {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
});
Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Empty test bucket: no server access logs.' });
const roles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role`;
s3Endpoint.bucketPolicyStatements(bucket, {
  // CloudFormation changes and deletes the bucket policy; the assertions read it from outside the VPC.
  exemptPrincipalArns: [`${roles}/cdk-*-cfn-exec-role-*`, `${roles}/${assertionStack.stackName}-*`],
}).forEach(statement => bucket.addToResourcePolicy(statement));

const integ = new IntegTest(app, 'ConsumerInteg', { testCases: [stack], assertionStack });
const untilAvailable = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) };

function assertEndpoint(endpointId: string, leaves: Record<string, string | number | boolean>): void {
  const prefixed = Object.fromEntries(Object.entries(leaves).map(([path, value]) => [`VpcEndpoints.0.${path}`, value]));
  assertLeaves(integ, { service: 'EC2', api: 'describeVpcEndpoints', parameters: { VpcEndpointIds: [endpointId] } },
    { 'VpcEndpoints.0.State': 'available', ...prefixed }, untilAvailable);
}

const perimeter = 'PolicyDocument.Statement.0';
const sameAccountPerimeter = {
  [`${perimeter}.Sid`]: 'AllowTrustedIdentitiesToTrustedResources',
  [`${perimeter}.Effect`]: 'Allow',
  [`${perimeter}.Condition.StringEquals.aws:PrincipalAccount`]: Aws.ACCOUNT_ID,
  [`${perimeter}.Condition.StringEquals.aws:ResourceAccount`]: Aws.ACCOUNT_ID,
  'PolicyDocument.Statement.1.Sid': 'AllowAwsServicePrincipals',
  'PolicyDocument.Statement.1.Condition.Bool.aws:PrincipalIsAWSService': true,
};

assertEndpoint(sts.vpcEndpointId, {
  'VpcEndpointType': 'Interface',
  'PrivateDnsEnabled': true,
  'IpAddressType': 'ipv4',
  'DnsOptions.DnsRecordIpType': 'ipv4',
  'Groups.0.GroupId': sts.securityGroup!.securityGroupId,
  ...sameAccountPerimeter,
});
for (const endpoint of sessionManager.endpoints) {
  assertEndpoint(endpoint.vpcEndpointId, {
    'VpcEndpointType': 'Interface',
    'PrivateDnsEnabled': true,
    'Groups.0.GroupId': sessionManager.securityGroup!.securityGroupId,
    [`${perimeter}.Sid`]: 'AllowTrustedIdentitiesToTrustedResources',
    [`${perimeter}.Condition.StringEquals.aws:PrincipalAccount`]: Aws.ACCOUNT_ID,
  });
}
assertEndpoint(executeApi.vpcEndpointId, {
  'VpcEndpointType': 'Interface',
  'PrivateDnsEnabled': true,
  'Groups.0.GroupId': executeApi.securityGroup!.securityGroupId,
});
assertEndpoint(s3Endpoint.vpcEndpointId, { VpcEndpointType: 'Gateway', ...sameAccountPerimeter });
assertEndpoint(dynamoDb.vpcEndpointId, {
  VpcEndpointType: 'Gateway',
  [`${perimeter}.Condition.StringEquals.aws:PrincipalAccount`]: Aws.ACCOUNT_ID,
  [`${perimeter}.Action`]: 'dynamodb:*',
});

// Each gateway endpoint is the target of a route in the route table of every subnet.
for (const endpoint of [s3Endpoint, dynamoDb]) {
  vpc.isolatedSubnets.forEach(subnet => assertLeaves(integ, {
    service: 'EC2',
    api: 'describeRouteTables',
    parameters: {
      RouteTableIds: [subnet.routeTable.routeTableId],
      Filters: [{ Name: 'route.gateway-id', Values: [endpoint.vpcEndpointId] }],
    },
  }, { 'RouteTables.0.RouteTableId': subnet.routeTable.routeTableId }));
}

// Each security group admits the VPC's CIDR block on 443 and nothing else, and allows no outbound
// traffic (aws-cdk-lib's placeholder rule to 255.255.255.255/32). The lists are matched whole.
for (const group of [sts.securityGroup!, sessionManager.securityGroup!, executeApi.securityGroup!]) {
  integ.assertions.awsApiCall('EC2', 'describeSecurityGroups', { GroupIds: [group.securityGroupId] }).expect(ExpectedResult.objectLike({
    SecurityGroups: [Match.objectLike({
      GroupId: group.securityGroupId,
      VpcId: vpc.vpcId,
      IpPermissions: [Match.objectLike({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [Match.objectLike({ CidrIp: vpc.vpcCidrBlock })],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      })],
      IpPermissionsEgress: [Match.objectLike({
        IpProtocol: 'icmp',
        FromPort: 252,
        ToPort: 86,
        IpRanges: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      })],
    })],
  }));
}

// The bucket refuses every request that does not come through the S3 gateway endpoint.
integ.assertions.awsApiCall('S3', 'getBucketPolicy', { Bucket: bucket.bucketName }).expect(ExpectedResult.objectLike({
  Policy: Match.serializedJson(Match.objectLike({
    Statement: Match.arrayWith([Match.objectLike({
      Effect: 'Deny',
      Action: 's3:*',
      Condition: Match.objectLike({ StringNotEquals: { 'aws:SourceVpce': s3Endpoint.vpcEndpointId } }),
    })]),
  })),
}));

// The private API takes requests only through the execute-api endpoint.
const getRestApi = integ.assertions.awsApiCall('APIGateway', 'getRestApi', { restApiId: api.restApiId }).expect(ExpectedResult.objectLike({
  endpointConfiguration: Match.objectLike({ types: ['PRIVATE'] }),
  policy: Match.stringLikeRegexp(allOf([
    conditionPattern('StringNotEquals', 'aws:SourceVpce', executeApi.vpcEndpointId),
    conditionPattern('StringEquals', 'aws:SourceVpce', executeApi.vpcEndpointId),
  ])),
}));
// API Gateway authorizes its REST calls as apigateway:GET on the resource path, not as the SDK method's name.
getRestApi.provider.addToRolePolicy({
  Effect: 'Allow',
  Action: ['apigateway:GET'],
  Resource: [`arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${api.restApiId}`],
});

// Nothing is left in the account after the test, not even what the library retains by default (log groups, keys).
RemovalPolicies.of(app).destroy();
app.synth();
