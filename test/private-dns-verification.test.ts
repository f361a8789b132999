import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newNlb, newStack, validationErrorOf } from './helpers';
import { EndpointServicePrivateDnsName, PrivateDnsVerificationOptions, PrivateEndpointService, VerifiedDomain } from '../src';

const VERIFICATION_TYPE = 'Custom::VpcEndpointServicePrivateDnsVerification';

function service(stack: Stack, privateDnsName: string, verification: PrivateDnsVerificationOptions, zone?: route53.IPublicHostedZone) {
  const publicHostedZone = zone ?? new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  return new PrivateEndpointService(stack, 'Service', {
    networkLoadBalancers: [newNlb(stack)], privateDnsName, publicHostedZone, privateDnsVerification: verification,
  });
}

/** The TXT record's name, as text: the verification label's GetAtt stands for `<label>`. */
function recordName(stack: Stack): string {
  const [record] = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet'));
  const [, parts] = record.Properties.Name['Fn::Join'];
  return parts.map((part: unknown) => typeof part === 'string' ? part : '<label>').join('');
}

describe('where the TXT record goes', () => {
  test.each([
    ['api.example.com', VerifiedDomain.privateDnsName(), '<label>.api.example.com.'],
    ['*.api.example.com', undefined, '<label>.api.example.com.'],
    ['a.b.example.com', VerifiedDomain.hostedZoneApex(), '<label>.example.com.'],
    ['*.api.example.com', VerifiedDomain.hostedZoneApex(), '<label>.example.com.'],
    ['example.com', VerifiedDomain.hostedZoneApex(), '<label>.example.com.'],
    ['a.b.example.com', VerifiedDomain.parentDomain('b.example.com'), '<label>.b.example.com.'],
    ['*.b.example.com', VerifiedDomain.parentDomain('b.example.com'), '<label>.b.example.com.'],
  ])('%p verified at %p: %p', (name, verifiedDomain, expected) => {
    const stack = newStack();
    const svc = service(stack, name, { verifiedDomain });
    expect(recordName(stack)).toBe(expected);
    expect(svc.privateDns?.verifiedDomain).toBe(expected.replace(/^<label>\./, '').replace(/\.$/, ''));
  });

  test('without a zone, the output names the record under the verified domain', () => {
    const stack = newStack();
    const endpointService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    new EndpointServicePrivateDnsName(stack, 'Dns', {
      endpointService, privateDnsName: '*.a.example.com', verifiedDomain: VerifiedDomain.parentDomain('example.com'),
    });
    const outputs = Object.values(Template.fromStack(stack).findOutputs('*'));
    expect(JSON.stringify(outputs[0].Value)).toMatch(/"\.example\.com"\]/);
  });

  test('the apex of a zone imported by ID alone is not known', () => {
    const stack = newStack();
    const zone = route53.PublicHostedZone.fromPublicHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    expect(validationErrorOf(() => service(stack, 'api.example.com', { verifiedDomain: VerifiedDomain.hostedZoneApex() }, zone)).message)
      .toContain('VerifiedDomain.hostedZoneApex() needs a publicHostedZone whose name is known');
  });

  test('a parent domain works with a zone imported by ID alone', () => {
    const stack = newStack();
    const zone = route53.PublicHostedZone.fromPublicHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    service(stack, 'api.example.com', { verifiedDomain: VerifiedDomain.parentDomain('example.com') }, zone);
    expect(recordName(stack)).toBe('<label>.example.com.');
  });

  test.each([
    ['api.example.com', 'other.com', "Invalid verified domain 'other.com' for the private DNS name 'api.example.com': expected the name ('api.example.com') or one of its parent domains."],
    ['api.example.com', 'xample.com', "Invalid verified domain 'xample.com'"],
    ['api.example.com', 'a.api.example.com', "Invalid verified domain 'a.api.example.com'"],
    ['api.example.com', '*.example.com', "Invalid verified domain '*.example.com': expected a domain without a wildcard label."],
    ['api.example.co.uk', 'co.uk', "Invalid verified domain 'co.uk': it is a public suffix"],
  ])('refuses %p verified at %p', (name, domain, message) => {
    const stack = newStack();
    const endpointService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    expect(validationErrorOf(() => new EndpointServicePrivateDnsName(stack, 'Dns', {
      endpointService, privateDnsName: name, verifiedDomain: VerifiedDomain.parentDomain(domain),
    })).message).toContain(message);
  });

  test('refuses a verified domain outside the hosted zone', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'api.example.com' });
    expect(validationErrorOf(() => service(stack, 'a.api.example.com', { verifiedDomain: VerifiedDomain.parentDomain('example.com') }, zone)).message)
      .toContain("The verified domain 'example.com' is not in the public hosted zone 'api.example.com'");
  });
});

describe('waiting for verification', () => {
  test('uses a second provider with completion checks, and waits as long as asked', () => {
    const stack = newStack();
    service(stack, 'api.example.com', { waitForVerification: Duration.minutes(30) });
    const template = Template.fromStack(stack);
    const [verification] = Object.values(template.findResources(VERIFICATION_TYPE));
    expect(verification.Properties.WaitSeconds).toBe(1800);
    expect(verification.Properties.ServiceTimeout).toBe('3600');
    const [name] = Object.values(template.findResources('Custom::VpcEndpointServicePrivateDnsName'));
    expect(verification.Properties.ServiceToken).not.toEqual(name.Properties.ServiceToken);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // The handler, the provider's onEvent, and the waiting provider's onEvent, isComplete and onTimeout.
    template.resourceCountIs('AWS::Lambda::Function', 5);
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('"IntervalSeconds\\":60');
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('"MaxAttempts\\":60');
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(365);
  });

  test('two waiting names share the waiting provider', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    for (const id of ['A', 'B']) {
      const endpointService = new PrivateEndpointService(stack, `Service${id}`, { networkLoadBalancers: [newNlb(stack, `Nlb${id}`)] });
      new EndpointServicePrivateDnsName(stack, `Dns${id}`, {
        endpointService, privateDnsName: `${id.toLowerCase()}.example.com`, publicHostedZone: zone, waitForVerification: Duration.minutes(10),
      });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Lambda::Function', 5);
  });

  test.each([
    [Duration.seconds(59), 'Invalid waitForVerification 59 seconds: expected whole seconds from 1 minute to 55 minutes'],
    [Duration.minutes(56), 'Invalid waitForVerification 56 minutes'],
    [Duration.millis(61_500), 'Invalid waitForVerification'],
  ])('refuses a wait of %p', (wait, message) => {
    expect(validationErrorOf(() => service(newStack(), 'api.example.com', { waitForVerification: wait })).message).toContain(message);
  });

  test('takes the bounds', () => {
    for (const wait of [Duration.minutes(1), Duration.minutes(55)]) {
      const stack = newStack();
      service(stack, 'api.example.com', { waitForVerification: wait });
      const [verification] = Object.values(Template.fromStack(stack).findResources(VERIFICATION_TYPE));
      expect(verification.Properties.WaitSeconds).toBe(wait.toSeconds());
    }
  });

  test('refuses a wait without a hosted zone', () => {
    const stack = newStack();
    expect(validationErrorOf(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)], privateDnsName: 'api.example.com', privateDnsVerification: { waitForVerification: Duration.minutes(5) },
    })).message).toContain('waitForVerification needs publicHostedZone');
  });

  test('refuses verification options without a private DNS name', () => {
    const stack = newStack();
    expect(validationErrorOf(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)], privateDnsVerification: {},
    })).message).toContain('privateDnsVerification is given without privateDnsName');
  });

  test('a waiting stack has no unacknowledged cdk-nag AwsSolutions findings', () => {
    const app = new App();
    const stack = new Stack(app, 'Waiting', { env: { account: '111111111111', region: 'eu-west-1' } });
    service(stack, 'api.example.com', { waitForVerification: Duration.minutes(30), verifiedDomain: VerifiedDomain.hostedZoneApex() });
    const ofLibrary = new AwsSolutionsChecks(app).validateScope(stack).violations
      .filter(violation => violation.violatingResources.some(resource => /CdkPrivateLink|PrivateDnsName/.test(resource.constructPath ?? '')));
    expect(ofLibrary).toEqual([]);
  });
});

test('refuses a second private DNS name for one service', () => {
  const stack = newStack();
  const endpointService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], privateDnsName: 'api.example.com' });
  expect(validationErrorOf(() => new EndpointServicePrivateDnsName(stack, 'Dns', { endpointService, privateDnsName: 'web.example.com' })).message)
    .toContain('Endpoint service Stack/Service already has a private DNS name (Stack/Service/PrivateDnsName): expected one private DNS name per service.');
});

test('refuses at synthesis a service ID the handler could not resolve from the template', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const lookup = new CustomResource(stack, 'Lookup', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f' });
  const endpointService = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', lookup.getAttString('ServiceId'));
  new EndpointServicePrivateDnsName(stack, 'Dns', { endpointService, privateDnsName: 'web.example.com' });
  expect(() => app.synth()).toThrow(/Private DNS name Stack\/Dns: ServiceId uses .*which the approval handler cannot resolve/);
});
