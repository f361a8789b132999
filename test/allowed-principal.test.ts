import { Annotations as CdkAnnotations, Aws, CfnParameter, Lazy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { newNlb, newStack, validationErrorOf } from './helpers';
import { AllowedPrincipal, AllowedPrincipalType, PrivateEndpointService } from '../src';

function serviceIn(stack = newStack(), acceptanceRequired?: boolean): PrivateEndpointService {
  return new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], acceptanceRequired });
}

function permissions(stack = newStack(), principals: AllowedPrincipal[]): unknown[] {
  const service = serviceIn(stack);
  service.allowPrincipals(...principals);
  const resources = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpointServicePermissions');
  expect(Object.keys(resources)).toHaveLength(1);
  return Object.values(resources)[0].Properties.AllowedPrincipals;
}

describe('AllowedPrincipal', () => {
  test('an account becomes the account root ARN in the stack partition', () => {
    expect(permissions(newStack(), [AllowedPrincipal.account('123456789012')])).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] },
    ]);
    expect(permissions(newStack({ env: { region: 'cn-north-1' } }), [AllowedPrincipal.account('123456789012')]))
      .toEqual(['arn:aws-cn:iam::123456789012:root']);
  });

  test.each(['12345678901', '1234567890123', '12345678901a', 'abcdefghijkl', ' 123456789012', ''])('refuses the account ID %p', (id) => {
    expect(() => serviceIn().allowPrincipals(AllowedPrincipal.account(id)))
      .toThrow(`Invalid account ID for an allowed principal '${id}': expected exactly 12 digits`);
  });

  test('takes role, user and service principals as they are', () => {
    const role = 'arn:aws:iam::123456789012:role/consumer';
    const user = 'arn:aws:iam::123456789012:user/ci-bot';
    expect(permissions(newStack(), [
      AllowedPrincipal.role(role),
      AllowedPrincipal.user(user),
      AllowedPrincipal.servicePrincipal('elasticloadbalancing.amazonaws.com'),
    ])).toEqual([role, user, 'elasticloadbalancing.amazonaws.com']);
  });

  test.each([
    ['role', 'arn:aws:iam::123456789012:role/team/consumer', /it has a path; EC2 refuses principals with paths, expected 'arn:<partition>:iam::<12-digit account>:role\/<name>' with no path/],
    ['user', 'arn:aws:iam::123456789012:user/ops/ci-bot', /it has a path.*expected 'arn:<partition>:iam::<12-digit account>:user\/<name>'/],
    ['role', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, /is not a valid role name; expected/],
    ['role', 'arn:aws:iam::123456789012:user/consumer', /Invalid role ARN .*expected 'arn:<partition>:iam::<12-digit account>:role\/<name>'/],
    ['role', 'arn:aws:iam::12345678901:role/consumer', /Invalid account ID '12345678901' in role ARN .*: expected exactly 12 digits/],
    ['role', 'arn:aws-xx:iam::123456789012:role/consumer', /Invalid partition 'aws-xx' .*expected one of aws, aws-cn/],
    ['role', 'arn:aws:iam::123456789012:role/', /'' is not a valid role name; expected/],
    ['user', 'consumer', /Invalid user ARN 'consumer': it has 1 of the six colon-separated ARN components; expected 'arn:<partition>:iam::<12-digit account>:user\/<name>'/],
  ])('refuses the %s ARN %s', (kind, arn, message) => {
    const principal = kind === 'role' ? AllowedPrincipal.role(arn) : AllowedPrincipal.user(arn);
    expect(() => serviceIn().allowPrincipals(principal)).toThrow(message);
  });

  test('refuses an ARN of another partition than the stack', () => {
    const stack = newStack({ env: { region: 'cn-north-1' } });
    expect(() => serviceIn(stack).allowPrincipals(AllowedPrincipal.role('arn:aws:iam::123456789012:role/consumer')))
      .toThrow("Wrong partition 'aws' in 'arn:aws:iam::123456789012:role/consumer': the stack is in partition 'aws-cn'");
  });

  test.each(['amazonaws.com', 'Elasticloadbalancing.amazonaws.com', 'example.com', '*'])('refuses the service principal %p', (name) => {
    expect(() => serviceIn().allowPrincipals(AllowedPrincipal.servicePrincipal(name)))
      .toThrow(`Invalid service principal '${name}': expected a service name like`);
  });

  test('principals from props and from later calls end up in one permissions resource, each once', () => {
    const stack = newStack();
    const service = new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)],
      allowedPrincipals: [AllowedPrincipal.account('111111111111'), AllowedPrincipal.account('111111111111')],
    });
    service.allowPrincipals(AllowedPrincipal.role('arn:aws:iam::222222222222:role/a'));
    service.allowPrincipals(AllowedPrincipal.account('111111111111'), AllowedPrincipal.role('arn:aws:iam::222222222222:role/a'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      ServiceId: { Ref: Match.stringLikeRegexp('Service') },
      AllowedPrincipals: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
        'arn:aws:iam::222222222222:role/a',
      ],
    });
    expect(service.allowedPrincipalArns).toHaveLength(2);
  });

  test('takes role names of up to 64 characters', () => {
    const arn = `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`;
    expect(permissions(newStack(), [AllowedPrincipal.role(arn)])).toEqual([arn]);
  });

  describe('wildcards and the literal parts of token ARNs', () => {
    const aws = () => newStack({ env: { region: 'eu-west-1' } });
    const roleArnOf = (build: (token: string) => string) => build(Aws.ACCOUNT_ID);

    test.each([
      ['a wildcard name next to a token account', roleArnOf(t => `arn:aws:iam::${t}:role/*`), "it has the wildcard '*'"],
      ['a wildcard account', 'arn:aws:iam::*:role/app', "it has the wildcard '*'"],
      ['a wildcard next to a token in the account', roleArnOf(t => `arn:aws:iam::${t}?:role/app`), "it has the wildcard '?'"],
      ['a ? in a literal name', 'arn:aws:iam::123456789012:role/app?', "it has the wildcard '?'"],
    ])('refuses %s', (_what, arn, reason) => {
      const error = validationErrorOf(() => serviceIn(aws()).allowPrincipals(AllowedPrincipal.role(arn)));
      expect(error.message).toContain(`Invalid role ARN '${arn}': ${reason}, but`);
      expect(error.message).toContain('endpoint service permissions take exact principal ARNs, not patterns (give one AllowedPrincipal.role() per role); '
        + "expected 'arn:<partition>:iam::<12-digit account>:role/<name>' with no path. [at Stack/Service]");
    });

    test('refuses the partition of a token ARN that is not the stack partition', () => {
      const arn = `arn:aws-cn:iam::${Aws.ACCOUNT_ID}:role/app`;
      const error = validationErrorOf(() => serviceIn(aws()).allowPrincipals(AllowedPrincipal.role(arn)));
      expect(error.message).toBe(`Wrong partition 'aws-cn' in '${arn}': the stack is in partition 'aws'. [at Stack/Service]`);
    });

    test.each([
      ['service', `arn:aws:sts::${Aws.ACCOUNT_ID}:role/app`, "the service 'sts' is not 'iam'"],
      ['resource type', `arn:aws:iam::${Aws.ACCOUNT_ID}:user/app`, "the resource 'user/app' is not 'role/<name>'"],
      ['Region', `arn:aws:iam:eu-west-1:${Aws.ACCOUNT_ID}:role/app`, "it has the Region 'eu-west-1', but IAM ARNs have none"],
      ['prefix', `urn:aws:iam::${Aws.ACCOUNT_ID}:role/app`, "it does not start with 'arn:'"],
    ])('refuses the literal %s of a token ARN', (_part, arn, reason) => {
      const error = validationErrorOf(() => serviceIn(aws()).allowPrincipals(AllowedPrincipal.role(arn)));
      expect(error.message).toBe(`Invalid role ARN '${arn}': ${reason}; expected 'arn:<partition>:iam::<12-digit account>:role/<name>' `
        + 'with no path. [at Stack/Service]');
    });

    test('accepts token ARNs whose literal parts are right, and ARNs wholly a token', () => {
      const stack = aws();
      const parameter = new CfnParameter(stack, 'Role').valueAsString;
      const arns = [
        `arn:aws:iam::${Aws.ACCOUNT_ID}:role/app`,
        `arn:${Aws.PARTITION}:iam::123456789012:role/app`,
        `arn:aws:iam::123456789012:role/${Lazy.string({ produce: () => 'app' })}`,
        parameter,
      ];
      const service = serviceIn(stack);
      service.allowPrincipals(...arns.map(arn => AllowedPrincipal.role(arn)));
      expect(service.allowedPrincipalArns).toEqual(arns);
    });
  });

  test('refuses a token ARN whose literal part has a path', () => {
    const stack = newStack();
    expect(() => serviceIn(stack).allowPrincipals(AllowedPrincipal.role(`arn:aws:iam::${stack.account}:role/team/consumer`)))
      .toThrow(/it has a path; EC2 refuses principals with paths/);
  });

  test('without acceptance, refuses principals that are wholly tokens, since they may be * at deploy time', () => {
    const stack = newStack();
    const service = serviceIn(stack, false);
    const anything = Lazy.string({ produce: () => '*' });
    expect(() => service.allowPrincipals(AllowedPrincipal.servicePrincipal(anything)))
      .toThrow(/The service principal '.*' \(a token that may be '\*' at deploy time\) with acceptanceRequired: false is refused/);
    expect(() => service.allowPrincipals(AllowedPrincipal.role(new CfnParameter(stack, 'Role').valueAsString)))
      .toThrow(/The role principal .* may be '\*' at deploy time/);
    // Tokens inside a literal ARN or service name cannot be '*'.
    service.allowPrincipals(
      AllowedPrincipal.role(`arn:aws:iam::${stack.account}:role/consumer`),
      AllowedPrincipal.servicePrincipal(`${Lazy.string({ produce: () => 'elasticloadbalancing' })}.amazonaws.com`),
      AllowedPrincipal.account(stack.account),
    );
    expect(service.allowedPrincipalArns).toHaveLength(3);
  });

  test('accepts unresolved tokens', () => {
    const stack = newStack();
    expect(permissions(stack, [AllowedPrincipal.account(stack.account)])).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
    ]);
  });

  test('everyone without acceptance is refused: the load balancer would be public', () => {
    const service = serviceIn(newStack(), false);
    expect(() => service.allowPrincipals(AllowedPrincipal.everyone()))
      .toThrow(/AllowedPrincipal.everyone\(\) with acceptanceRequired: false is refused: .*makes the load balancer behind this service public/);
    const stack = newStack();
    expect(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)],
      acceptanceRequired: false,
      allowedPrincipals: [AllowedPrincipal.account('111111111111'), AllowedPrincipal.everyone()],
    })).toThrow(/load balancer behind this service public/);
  });

  test('everyone with acceptance is allowed with a warning that can be acknowledged', () => {
    const stack = newStack();
    const service = serviceIn(stack);
    service.allowPrincipals(AllowedPrincipal.everyone());
    expect(AllowedPrincipal.everyone().type).toBe(AllowedPrincipalType.EVERYONE);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', { AllowedPrincipals: ['*'] });
    Annotations.fromStack(stack).hasWarning('/Stack/Service', Match.stringLikeRegexp('lets any AWS account request a connection'));

    const acknowledged = newStack();
    const quiet = serviceIn(acknowledged);
    quiet.allowPrincipals(AllowedPrincipal.everyone());
    CdkAnnotations.of(quiet).acknowledgeWarning('cdk-privatelink:everyoneAllowed', 'a public service by design');
    Annotations.fromStack(acknowledged).hasNoWarning('*', Match.stringLikeRegexp('lets any AWS account'));
  });
});
