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

/** The SDK calls of the AwsCustomResources in a template, by logical ID, as text. */
function sdkCalls(template: Template): Record<string, string> {
  const resources = template.findResources('Custom::AWS');
  return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, JSON.stringify(resource)]));
}

function policyStatements(template: Template): Array<{ Action: string; Resource: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

describe('private DNS name', () => {
  test('without a hosted zone, sets the name and gives the verification record as outputs', () => {
    const { stack, service, template } = withDnsName('api.example.com');
    const calls = Object.values(sdkCalls(template));
    expect(calls).toHaveLength(2);
    expect(calls.find(c => c.includes('modifyVpcEndpointServiceConfiguration'))).toMatch(/PrivateDnsName\\+":\\+"api\.example\.com/);
    expect(calls.find(c => c.includes('modifyVpcEndpointServiceConfiguration'))).toMatch(/RemovePrivateDnsName/);
    expect(calls.some(c => c.includes('describeVpcEndpointServiceConfigurations'))).toBe(true);
    expect(calls.some(c => c.includes('startVpcEndpointServicePrivateDnsVerification'))).toBe(false);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);

    const outputs = Object.values(template.findOutputs('*'));
    expect(outputs.map(o => o.Description)).toEqual([
      'Name of the TXT record that verifies ownership of api.example.com',
      'Value of the TXT record that verifies ownership of api.example.com',
    ]);
    expect(JSON.stringify(outputs[0].Value)).toContain('PrivateDnsNameConfiguration.Name');
    expect(JSON.stringify(outputs[0].Value)).toContain('.api.example.com');
    expect(JSON.stringify(outputs[1].Value)).toContain('PrivateDnsNameConfiguration.Value');
    expect(service.privateDns?.privateDnsName).toBe('api.example.com');
    expect(stack.resolve(service.privateDns?.verificationRecordValue)).toBeDefined();
  });

  test('scopes the IAM permissions: modify and verify on this service only, describe on *', () => {
    const { stack, service, template } = withDnsName('api.example.com', 'example.com');
    const statements = policyStatements(template);
    const serviceArn = stack.resolve(service.vpcEndpointServiceArn);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'ec2:ModifyVpcEndpointServiceConfiguration', Resource: serviceArn }),
      expect.objectContaining({ Action: 'ec2:StartVpcEndpointServicePrivateDnsVerification', Resource: serviceArn }),
      expect.objectContaining({ Action: 'ec2:DescribeVpcEndpointServiceConfigurations', Resource: '*' }),
    ]));
    expect(statements.filter(s => s.Resource === '*').map(s => s.Action)).toEqual(['ec2:DescribeVpcEndpointServiceConfigurations']);
  });

  test('with a public hosted zone, creates the TXT record and starts verification after it', () => {
    const { template } = withDnsName('*.api.example.com', 'example.com');
    const records = template.findResources('AWS::Route53::RecordSet');
    const [recordId, record] = Object.entries(records)[0];
    expect(Object.keys(records)).toHaveLength(1);
    expect(record.Properties.Type).toBe('TXT');
    expect(JSON.stringify(record.Properties.Name)).toContain('.api.example.com.');
    expect(JSON.stringify(record.Properties.Name)).not.toContain('*');
    expect(JSON.stringify(record.Properties.ResourceRecords)).toContain('PrivateDnsNameConfiguration.Value');

    const calls = sdkCalls(template);
    const [verifyId] = Object.entries(calls).find(([, c]) => c.includes('startVpcEndpointServicePrivateDnsVerification'))!;
    expect(template.toJSON().Resources[verifyId].DependsOn).toContain(recordId);
    expect(template.findOutputs('*')).toEqual({});
  });

  test('refuses a name outside the hosted zone', () => {
    expect(() => withDnsName('api.example.org', 'example.com'))
      .toThrow("Private DNS name 'api.example.org' is not in the public hosted zone 'example.com'");
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
    expect(Object.values(sdkCalls(template)).find(c => c.includes('modifyVpcEndpointServiceConfiguration'))).toContain(name);
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
