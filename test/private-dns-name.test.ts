import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { newNlb, newStack, validationErrorOf } from './helpers';
import { EndpointServicePrivateDnsName, PrivateEndpointService } from '../src';

function withDnsName(privateDnsName: string, zoneName?: string) {
  const stack = newStack();
  const publicHostedZone = zoneName ? new route53.PublicHostedZone(stack, 'Zone', { zoneName }) : undefined;
  const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], privateDnsName, publicHostedZone });
  return { stack, service, template: Template.fromStack(stack) };
}

const NAME_TYPE = 'Custom::VpcEndpointServicePrivateDnsName';
const VERIFICATION_TYPE = 'Custom::VpcEndpointServicePrivateDnsVerification';

function onlyResource(template: Template, type: string): [string, any] {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

function policyStatements(template: Template): Array<{ Sid?: string; Action: string; Resource: unknown; Condition?: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

describe('private DNS name', () => {
  test('without a hosted zone, sets the name with the library handler and gives the verification record as outputs', () => {
    const { stack, service, template } = withDnsName('api.example.com');
    const [nameId, name] = onlyResource(template, NAME_TYPE);
    expect(name.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceId: stack.resolve(service.vpcEndpointServiceId),
      PrivateDnsName: 'api.example.com',
      ServiceTimeout: '1200',
    });
    template.resourceCountIs(VERIFICATION_TYPE, 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('Custom::AWS', 0);

    const outputs = Object.values(template.findOutputs('*'));
    expect(outputs.map(o => o.Description)).toEqual([
      'Name of the TXT record that verifies ownership of api.example.com',
      'Value of the TXT record that verifies ownership of api.example.com',
    ]);
    expect(outputs[0].Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [nameId, 'VerificationRecordName'] }, '.api.example.com']] });
    expect(outputs[1].Value).toEqual({ 'Fn::GetAtt': [nameId, 'VerificationRecordValue'] });
    expect(service.privateDns?.privateDnsName).toBe('api.example.com');
    expect(stack.resolve(service.privateDns?.verificationState)).toEqual({ 'Fn::GetAtt': [nameId, 'VerificationState'] });
  });

  test('no AwsCustomResource: one handler function and one provider function, with log retention', () => {
    const { template } = withDnsName('api.example.com', 'example.com');
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(365);
    }
    // A stack without approvals gets no enforcement schedule and no decision metrics.
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  test('scopes the IAM permissions: set only this name, remove it, verify, on this service only; describe on *', () => {
    const { stack, service, template } = withDnsName('api.example.com', 'example.com');
    const statements = policyStatements(template);
    const serviceArn = stack.resolve(service.vpcEndpointServiceArn);
    const modify = statements.filter(s => s.Action === 'ec2:ModifyVpcEndpointServiceConfiguration');
    expect(modify).toEqual([
      expect.objectContaining({ Resource: serviceArn, Condition: { StringEquals: { 'ec2:VpceServicePrivateDnsName': 'api.example.com' } } }),
      expect.objectContaining({ Resource: serviceArn, Condition: { Null: { 'ec2:VpceServicePrivateDnsName': 'true' } } }),
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'ec2:StartVpcEndpointServicePrivateDnsVerification', Resource: serviceArn }),
      expect.objectContaining({ Action: 'ec2:DescribeVpcEndpointServiceConfigurations', Resource: '*' }),
    ]));
    const onStar = statements.filter(s => s.Resource === '*').flatMap(s => [s.Action].flat());
    expect(onStar.sort()).toEqual(['cloudformation:ListExports', 'ec2:DescribeVpcEndpointConnections', 'ec2:DescribeVpcEndpointServiceConfigurations']);
    expect(statements.some(s => [s.Action].flat().some(a => /Accept|Reject/.test(a)))).toBe(false);
  });

  test('the name resource depends on its policy; another name gives a policy with another logical ID', () => {
    const first = withDnsName('api.example.com').template;
    const second = withDnsName('web.example.com').template;
    const policyOf = (template: Template) => Object.keys(template.findResources('AWS::IAM::Policy'))
      .filter(id => id.includes('ChangeName'));
    expect(policyOf(first)).toHaveLength(1);
    expect(policyOf(first)).not.toEqual(policyOf(second));
    const [, name] = onlyResource(first, NAME_TYPE);
    expect(name.DependsOn).toContain(policyOf(first)[0]);
  });

  test('with a public hosted zone, creates the TXT record and starts verification after it, without a wait', () => {
    const { stack, service, template } = withDnsName('*.api.example.com', 'example.com');
    const [nameId] = onlyResource(template, NAME_TYPE);
    const [recordId, record] = onlyResource(template, 'AWS::Route53::RecordSet');
    expect(record.Properties.Type).toBe('TXT');
    expect(record.Properties.Name).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [nameId, 'VerificationRecordName'] }, '.api.example.com.']] });
    expect(record.Properties.ResourceRecords).toEqual([{ 'Fn::Join': ['', ['"', { 'Fn::GetAtt': [nameId, 'VerificationRecordValue'] }, '"']] }]);

    const [verificationId, verification] = onlyResource(template, VERIFICATION_TYPE);
    expect(verification.Properties).toEqual({
      ServiceToken: onlyResource(template, NAME_TYPE)[1].Properties.ServiceToken,
      ServiceId: stack.resolve(service.vpcEndpointServiceId),
      PrivateDnsName: '*.api.example.com',
      VerificationRecord: { Ref: recordId },
      WaitSeconds: 0,
      ServiceTimeout: '1200',
    });
    expect(verification.DependsOn).toContain(nameId);
    expect(stack.resolve(service.privateDns?.verificationState)).toEqual({ 'Fn::GetAtt': [verificationId, 'VerificationState'] });
    expect(template.findOutputs('*')).toEqual({});
  });

  test('refuses a name outside the hosted zone', () => {
    expect(() => withDnsName('api.example.org', 'example.com'))
      .toThrow("The verified domain 'api.example.org' is not in the public hosted zone 'example.com'");
    expect(() => withDnsName('badexample.com', 'example.com')).toThrow(/is not in the public hosted zone/);
  });

  test('works with a hosted zone imported by ID alone', () => {
    const stack = newStack();
    const publicHostedZone = route53.PublicHostedZone.fromPublicHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], privateDnsName: 'api.example.com', publicHostedZone });
    const [record] = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet'));
    expect(record.Properties.HostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
    expect(JSON.stringify(record.Properties.Name)).toMatch(/\.api\.example\.com\."/);
  });

  test('refuses a hosted zone without a name', () => {
    const stack = newStack();
    const publicHostedZone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    expect(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], publicHostedZone }))
      .toThrow('publicHostedZone is given without privateDnsName: expected both, or neither.');
  });

  test.each([
    ['API.example.com', 'upper-case'],
    ['api', 'single label'],
    ['api..example.com', 'empty label'],
    ['-api.example.com', "label '-api' is not valid"],
    ['api_1.example.com', "label 'api_1' is not valid"],
    ['api.*.example.com', 'wildcard'],
    ['*api.example.com', 'wildcard'],
    [`${'a'.repeat(64)}.example.com`, 'has 64 characters'],
    [`${Array(64).fill('abc').join('.')}.com`, 'has 259 characters'],
    ['', 'empty'],
  ])('refuses the DNS name %p', (name, problem) => {
    expect(() => withDnsName(name)).toThrow(`Invalid private DNS name '${name}' (privateDnsName): `);
    expect(() => withDnsName(name)).toThrow(problem);
    expect(() => withDnsName(name)).toThrow("expected a lowercase DNS name like 'api.example.com' or '*.example.com'");
  });

  test.each([
    ['*.com', "the wildcard is directly under 'com', a public suffix (ICANN section of the Public Suffix List)", 'com'],
    ['*.co.uk', "the wildcard is directly under 'co.uk', a public suffix (ICANN section of the Public Suffix List)", 'co.uk'],
    ['com', 'it is a public suffix (ICANN section of the Public Suffix List), which nobody can prove to own', 'com'],
    ['co.uk', 'it is a public suffix (ICANN section of the Public Suffix List), which nobody can prove to own', 'co.uk'],
    ['github.io', 'it is a public suffix (private section of the Public Suffix List: its owner hands out the names under it)', 'github.io'],
    ['*.s3.amazonaws.com', "the wildcard is directly under 's3.amazonaws.com', a public suffix (private section", 's3.amazonaws.com'],
  ])('refuses %p, a public suffix or a wildcard directly under one', (name, problem, suffix) => {
    const { message } = validationErrorOf(() => withDnsName(name));
    expect(message).toContain(`Invalid private DNS name '${name}' (privateDnsName): ${problem}`);
    expect(message).toContain(`expected a name in a domain you registered, like 'api.example.${suffix}' or '*.example.${suffix}'.`);
    expect(message).toContain('[at Stack/Service/PrivateDnsName]');
  });

  test('refuses a public suffix on EndpointServicePrivateDnsName too', () => {
    const stack = newStack();
    const endpointService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    expect(validationErrorOf(() => new EndpointServicePrivateDnsName(stack, 'Dns', { endpointService, privateDnsName: '*.co.uk' })).message)
      .toContain("Invalid private DNS name '*.co.uk' (privateDnsName): the wildcard is directly under 'co.uk'");
  });

  test('names the prop as a Python caller writes it', () => {
    process.env.JSII_AGENT = 'Python/3.12.1';
    try {
      expect(validationErrorOf(() => withDnsName('*.com')).message).toContain("Invalid private DNS name '*.com' (private_dns_name): ");
    } finally {
      delete process.env.JSII_AGENT;
    }
  });

  test.each(['*.example.com', 'api.example.co.uk', '*.api.example.co.uk', 'app.github.io'])('takes %p, in a registrable domain', (name) => {
    const { template } = withDnsName(name);
    expect(onlyResource(template, NAME_TYPE)[1].Properties.PrivateDnsName).toBe(name);
  });

  test('refuses an IPv4 address', () => {
    expect(validationErrorOf(() => withDnsName('10.0.0.1')).message)
      .toContain("Invalid private DNS name '10.0.0.1' (privateDnsName): its last label '1' is all digits");
  });

  test('takes names of exactly 255 characters and labels of exactly 63', () => {
    const longest = Array(4).fill('a'.repeat(63)).join('.');
    expect(longest).toHaveLength(255);
    expect(() => withDnsName(longest)).not.toThrow();
    expect(() => withDnsName(`a${longest}`)).toThrow('has 256 characters');
  });
});
