import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsumerStack } from '../../examples/consumer-stack';

function consumer(): { app: App; stack: ConsumerStack } {
  const app = new App();
  const stack = new ConsumerStack(app, 'Consumer', {
    partnerServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
    organizationId: 'o-a1b2c3d4e5',
  });
  return { app, stack };
}

test('the example consumer stack has the partner endpoint with private DNS, AWS service endpoints and both gateway endpoints', () => {
  const template = Template.fromStack(consumer().stack);
  const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(e => e.Properties);
  expect(endpoints.filter(e => e.VpcEndpointType === 'Interface')).toHaveLength(5);
  expect(endpoints).toContainEqual(expect.objectContaining({
    ServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0', PrivateDnsEnabled: true,
  }));
  const gateways = endpoints.filter(e => e.VpcEndpointType === 'Gateway');
  expect(gateways).toHaveLength(2);
  for (const gateway of gateways) {
    for (const statement of gateway.PolicyDocument.Statement) {
      expect([{ AWS: '*' }, '*']).toContainEqual(statement.Principal);
      expect(JSON.stringify(statement.Condition)).toMatch(/aws:PrincipalAccount|aws:PrincipalOrgID|aws:PrincipalIsAWSService/);
    }
  }
  // The AWS service endpoints are behind the organization's data perimeter; the partner's takes no policy.
  const awsServices = endpoints.filter(e => e.VpcEndpointType === 'Interface' && e.PrivateDnsEnabled && !JSON.stringify(e.ServiceName).includes('vpce-svc'));
  expect(awsServices).toHaveLength(4);
  const conditions = awsServices.map(endpoint => endpoint.PolicyDocument.Statement[0].Condition.StringEquals);
  expect(conditions.filter(condition => condition['aws:PrincipalOrgID'] === 'o-a1b2c3d4e5')).toHaveLength(4);
  expect(conditions.filter(condition => condition['aws:ResourceOrgID'] === 'o-a1b2c3d4e5')).toHaveLength(1); // STS
  expect(JSON.stringify(template.toJSON())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
});

test('the example consumer stack has no unacknowledged cdk-nag AwsSolutions findings', () => {
  const { app, stack } = consumer();
  expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
});

test('the example consumer stack synthesizes byte-identical templates', () => {
  const once = () => JSON.stringify(consumer().app.synth().getStackByName('Consumer').template);
  expect(once()).toBe(once());
});
