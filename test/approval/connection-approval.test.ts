import { createHash } from 'crypto';
import { App, ArnFormat, Duration, Fn, Lazy, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConnectionApproval, EndpointRemoval, MissingEndpoints, PrivateEndpointService, PrivateEndpointServiceProps } from '../../src';
import { ApprovalHandler } from '../../src/approval/approval-handler';
import { APPROVAL_STACK_ENV, ENFORCEMENT_TOPIC_ENV, STACK_READ_ACTIONS } from '../../src/approval/handler-contract';
import { newNlb, newStack, validationErrorOf } from '../helpers';

const APPROVAL_TYPE = 'Custom::VpcEndpointConnectionApproval';
const ENDPOINT_FORMAT = "expected 'vpce-' followed by 8 or 17";

const ID_A = 'vpce-0123456789abcdef0';
const ID_B = 'vpce-0123456789abcdef1';
const ID_C = 'vpce-0123abcd';
const ID_D = 'vpce-fedcba98765432100';
const ID_E = 'vpce-89abcdef';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';

const ACCEPT = 'ec2:AcceptVpcEndpointConnections';
const REJECT = 'ec2:RejectVpcEndpointConnections';
const DESCRIBE = 'ec2:DescribeVpcEndpointConnections';
const LIST_EXPORTS = 'cloudformation:ListExports';
const SEND_TO_QUEUE = 'sqs:SendMessage';
const ON_ARRIVAL = MissingEndpoints.acceptOnArrival();

type Resources = Record<string, Record<string, any>>;

function newService(stack: Stack, id: string, props: Partial<PrivateEndpointServiceProps> = {}): PrivateEndpointService {
  return new PrivateEndpointService(stack, id, { networkLoadBalancers: [newNlb(stack, `${id}Nlb`)], ...props });
}

/** The one approval handler function of the template, by its description. */
function handlerFunction(template: Template): [string, Record<string, any>] {
  const handlers = Object.entries(template.findResources('AWS::Lambda::Function'))
    .filter(([, fn]) => String(fn.Properties.Description ?? '').startsWith('cdk-privatelink'));
  expect(handlers).toHaveLength(1);
  return handlers[0];
}

function handlerArn(template: Template) {
  return { 'Fn::GetAtt': [handlerFunction(template)[0], 'Arn'] };
}

/** The statements of all identity policies attached to the approval handler's role. */
function handlerStatements(template: Template): Record<string, any>[] {
  const [, fn] = handlerFunction(template);
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  const role = template.findResources('AWS::IAM::Role')[roleId];
  // Only the basic execution role (logs) besides the inline policy.
  expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
  expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
  expect(role.Properties.Policies).toBeUndefined();
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(policy => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify({ Ref: roleId })));
  expect(policies.length).toBeGreaterThan(0);
  return policies.flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

/** For each action the handler's role allows, the resources it is allowed on (AWS::NoValue dropped). */
function resourcesByAction(statements: Record<string, any>[]): Map<string, unknown[]> {
  const byAction = new Map<string, unknown[]>();
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    expect(statement.NotAction).toBeUndefined();
    expect(statement.NotResource).toBeUndefined();
    expect(statement.Condition).toBeUndefined();
    const resources = ([] as unknown[]).concat(statement.Resource)
      .filter(resource => JSON.stringify(resource) !== JSON.stringify({ Ref: 'AWS::NoValue' }));
    for (const action of ([] as string[]).concat(statement.Action)) {
      byAction.set(action, [...byAction.get(action) ?? [], ...resources]);
    }
  }
  return byAction;
}

function onlyLogicalId(resources: Resources): string {
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The approval custom resource of a service; there must be exactly one. */
function approvalOf(template: Template, stack: Stack, service: ec2.IVpcEndpointService): Record<string, any> {
  const serviceId = JSON.stringify(stack.resolve(service.vpcEndpointServiceId));
  const matching = Object.values(template.findResources(APPROVAL_TYPE))
    .filter(resource => JSON.stringify(resource.Properties.ServiceId) === serviceId);
  expect(matching).toHaveLength(1);
  return matching[0];
}

function serviceArn(stack: Stack, serviceId: string): unknown {
  return stack.resolve(stack.formatArn({
    service: 'ec2',
    resource: 'vpc-endpoint-service',
    resourceName: serviceId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  }));
}

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

describe('ConnectionApproval: IAM scoping of the approval handler', () => {
  test('accept on the ARNs of the approved services, reject only on those that can reject; stack reads on its own stack; ListExports and describe on *', () => {
    const stack = newStack();
    const a = newService(stack, 'A', { connectionApproval: { onRemoval: EndpointRemoval.REJECT } });
    a.approveEndpoints(ID_A);
    const b = newService(stack, 'B');
    b.approveEndpoints(ID_B);
    const template = Template.fromStack(stack);
    const statements = handlerStatements(template);

    const byAction = resourcesByAction(statements);
    // Nothing but these actions: no wildcards, no other ec2, cloudformation or sqs actions, no DynamoDB.
    expect([...byAction.keys()].sort()).toEqual([ACCEPT, REJECT, DESCRIBE, LIST_EXPORTS, SEND_TO_QUEUE, ...STACK_READ_ACTIONS].sort());

    // The stack reads in one statement, on the handler's own stack only.
    const stackReads = statements.filter(statement => ([] as string[]).concat(statement.Action).some(action => action.startsWith('cloudformation:Describe')));
    expect(stackReads).toEqual([{ Action: [...STACK_READ_ACTIONS], Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]);

    const serviceArns = [a, b].map(service => stack.resolve(service.vpcEndpointServiceArn)).sort(byJson);
    expect(serviceArns[0]).not.toEqual(serviceArns[1]);
    expect([...byAction.get(ACCEPT)!].sort(byJson)).toEqual(serviceArns);
    expect(byAction.get(REJECT)).toEqual([stack.resolve(a.vpcEndpointServiceArn)]);
    expect(byAction.get(DESCRIBE)).toEqual(['*']);
    expect(byAction.get(LIST_EXPORTS)).toEqual(['*']);

    const queueId = onlyLogicalId(template.findResources('AWS::SQS::Queue'));
    expect(byAction.get(SEND_TO_QUEUE)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    for (const [action, resources] of byAction) {
      if (action !== DESCRIBE && action !== LIST_EXPORTS) expect(resources).not.toContain('*');
    }
  });

  test('no DynamoDB table and no table permission: the handler reads its own stack, named in its environment', () => {
    const stack = newStack();
    newService(stack, 'Service').approveEndpoints(ID_A);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    const [, fn] = handlerFunction(template);
    expect(fn.Properties.Environment).toEqual({
      Variables: {
        [APPROVAL_STACK_ENV]: { Ref: 'AWS::StackId' },
        [ENFORCEMENT_TOPIC_ENV]: stack.resolve(ApprovalHandler.of(stack).enforcementTopic.topicArn),
      },
    });
    expect(JSON.stringify(handlerStatements(template))).not.toContain('dynamodb:');
  });

  test('each approval has its own policy, on its service ARN only, which its custom resource depends on', () => {
    const stack = newStack();
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    new ConnectionApproval(stack, 'First', { service: imported, endpointIds: [ID_A] });
    const service = newService(stack, 'Service', { connectionApproval: { rejectUnlisted: true } });
    service.approveEndpoints(ID_B);
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy');
    const expected = [
      ['First', ACCEPT, serviceArn(stack, SERVICE_ID)],
      ['ServiceConnectionApproval', [ACCEPT, REJECT], stack.resolve(service.vpcEndpointServiceArn)],
    ] as const;
    for (const [approval, actions, arn] of expected) {
      const [policyId, policy] = Object.entries(policies).find(([id]) => id.startsWith(`${approval}ChangeConnections`))!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: actions, Effect: 'Allow', Resource: arn }]);
      const [, resource] = Object.entries(template.findResources(APPROVAL_TYPE)).find(([id]) => id.startsWith(approval))!;
      expect(resource.DependsOn).toContain(policyId);
    }
  });

  test.each([
    ['the defaults', [ACCEPT], {}],
    ['onRemoval: LEAVE', [ACCEPT], { onRemoval: EndpointRemoval.LEAVE }],
    ['rejectUnlisted: false', [ACCEPT], { rejectUnlisted: false }],
    ['onRemoval: REJECT', [ACCEPT, REJECT], { onRemoval: EndpointRemoval.REJECT }],
    ['rejectUnlisted: true', [ACCEPT, REJECT], { rejectUnlisted: true }],
    ['both', [ACCEPT, REJECT], { rejectUnlisted: true, onRemoval: EndpointRemoval.REJECT }],
  ])('with %s, the approval allows %j on its service', (_, actions, options) => {
    const stack = newStack();
    new ConnectionApproval(stack, 'Approval', {
      service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID),
      endpointIds: [ID_A],
      ...options,
    });
    const byAction = resourcesByAction(handlerStatements(Template.fromStack(stack)));
    expect([ACCEPT, REJECT].filter(action => byAction.has(action))).toEqual(actions);
    for (const action of actions) expect(byAction.get(action)).toEqual([serviceArn(stack, SERVICE_ID)]);
  });

  test('the policy keeps its logical ID, a hash of the service, whether or not it may reject', () => {
    const hash = createHash('sha256').update(JSON.stringify(SERVICE_ID)).digest('hex').slice(0, 8);
    const policyIds = [EndpointRemoval.LEAVE, EndpointRemoval.REJECT].map(onRemoval => {
      const stack = newStack();
      new ConnectionApproval(stack, 'Approval', {
        service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID), endpointIds: [ID_A], onRemoval,
      });
      return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(id => id.startsWith('Approval'));
    });
    expect(policyIds[0]).toEqual([expect.stringMatching(new RegExp(`^ApprovalChangeConnections${hash}[0-9A-F]{8}$`))]);
    expect(policyIds[1]).toEqual(policyIds[0]);
  });

  test('another service gives the approval a policy with another logical ID', () => {
    const policyIds = [SERVICE_ID, 'vpce-svc-0fedcba9876543210'].map(serviceId => {
      const stack = newStack();
      new ConnectionApproval(stack, 'Approval', { service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', serviceId), endpointIds: [ID_A] });
      return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(id => id.startsWith('ApprovalChangeConnections'));
    });
    expect(policyIds[0]).toHaveLength(1);
    expect(policyIds[1]).toHaveLength(1);
    expect(policyIds[0]).not.toEqual(policyIds[1]);
  });

  test('a second approval of the same service in a stack is refused', () => {
    const stack = newStack();
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    new ConnectionApproval(stack, 'First', { service: imported, endpointIds: [ID_A] });
    const error = validationErrorOf(() => new ConnectionApproval(stack, 'Second', { service: imported, endpointIds: [ID_B] }));
    expect(error.message).toContain(SERVICE_ID);
    expect(error.message).toContain('expected one approval per service');

    const service = newService(stack, 'Service');
    new ConnectionApproval(stack, 'Standalone', { service, endpointIds: [ID_A] });
    expect(validationErrorOf(() => service.approveEndpoints(ID_B)).message).toContain('already has a connection approval');
  });
});

describe('ConnectionApproval: one handler per stack', () => {
  test('two services and one standalone approval share one handler, provider, dead-letter queue and service token', () => {
    const stack = newStack();
    const a = newService(stack, 'A');
    a.approveEndpoints(ID_A);
    const b = newService(stack, 'B');
    b.approveEndpoints(ID_B);
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    const standalone = new ConnectionApproval(stack, 'Standalone', { service: imported, endpointIds: [ID_C] });
    const template = Template.fromStack(stack);

    // The handler and the provider framework's onEvent function, nothing else.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    const [handlerId] = handlerFunction(template);
    const functions = template.findResources('AWS::Lambda::Function');
    const providerId = onlyLogicalId(Object.fromEntries(Object.entries(functions).filter(([id]) => id !== handlerId)));
    expect(functions[providerId].Properties.Description).toMatch(/^AWS CDK resource provider framework - onEvent/);
    expect(functions[providerId].Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });

    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs(APPROVAL_TYPE, 3);
    const tokens = Object.values(template.findResources(APPROVAL_TYPE)).map(resource => resource.Properties.ServiceToken);
    expect(tokens).toEqual([
      { 'Fn::GetAtt': [providerId, 'Arn'] },
      { 'Fn::GetAtt': [providerId, 'Arn'] },
      { 'Fn::GetAtt': [providerId, 'Arn'] },
    ]);

    // One handler construct, shared, with one dead-letter queue.
    expect(ApprovalHandler.of(a)).toBe(ApprovalHandler.of(standalone));
    expect(ApprovalHandler.of(b)).toBe(ApprovalHandler.of(stack));
    expect(a.approval!.deadLetterQueue).toBe(standalone.deadLetterQueue);
    expect(b.approval!.deadLetterQueue).toBe(ApprovalHandler.of(stack).deadLetterQueue);

    // And the one handler may accept exactly the connections of these three services, and reject none.
    const byAction = resourcesByAction(handlerStatements(template));
    const expectedArns = [
      stack.resolve(a.vpcEndpointServiceArn),
      stack.resolve(b.vpcEndpointServiceArn),
      serviceArn(stack, SERVICE_ID),
    ].sort(byJson);
    expect([...byAction.get(ACCEPT)!].sort(byJson)).toEqual(expectedArns);
    expect(byAction.has(REJECT)).toBe(false);
  });

  test('each stack gets its own handler, reading its own stack, and its own dead-letter queue', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    newService(first, 'Service').approveEndpoints(ID_A);
    newService(second, 'Service').approveEndpoints(ID_A);
    for (const stack of [first, second]) {
      const template = Template.fromStack(stack);
      const [, fn] = handlerFunction(template);
      expect(fn.Properties.Environment.Variables[APPROVAL_STACK_ENV]).toEqual({ Ref: 'AWS::StackId' });
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.resourceCountIs(APPROVAL_TYPE, 1);
    }
    expect(ApprovalHandler.of(first).deadLetterQueue).not.toBe(ApprovalHandler.of(second).deadLetterQueue);
  });
});

describe('ConnectionApproval: custom resource properties', () => {
  test('list every ID of the props and of later approveEndpoints calls in order, one resource per service', () => {
    const stack = newStack();
    const a = newService(stack, 'A', {
      connectionApproval: {
        endpointIds: [ID_A],
        allowedOwners: ['111111111111', '222222222222'],
        rejectUnlisted: true,
        onRemoval: EndpointRemoval.REJECT,
        missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(5)),
      },
    });
    const approval = a.approval!;
    expect(a.approveEndpoints(ID_B)).toBe(approval);
    expect(a.approveEndpoints(ID_C, ID_D)).toBe(approval);
    const b = newService(stack, 'B');
    expect(b.approval).toBeUndefined();
    b.approveEndpoints(ID_E);
    expect(approval.endpointIds).toEqual([ID_A, ID_B, ID_C, ID_D]);
    expect(b.approval!.endpointIds).toEqual([ID_E]);
    expect(approval.service).toBe(a);

    const template = Template.fromStack(stack);
    template.resourceCountIs(APPROVAL_TYPE, 2);
    expect(approvalOf(template, stack, a).Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '1200',
      ServiceId: stack.resolve(a.vpcEndpointServiceId),
      EndpointIds: [ID_A, ID_B, ID_C, ID_D],
      AllowedOwners: ['111111111111', '222222222222'],
      RejectUnlisted: true,
      OnRemoval: 'reject',
      WaitSeconds: 300,
      AcceptOnArrival: false,
      UnlistedAccepted: 'report',
    });
    expect(approvalOf(template, stack, b).Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '1200',
      ServiceId: stack.resolve(b.vpcEndpointServiceId),
      EndpointIds: [ID_E],
      RejectUnlisted: false,
      OnRemoval: 'leave',
      WaitSeconds: 0,
      AcceptOnArrival: false,
      UnlistedAccepted: 'report',
    });
  });

  test('a standalone approval renders its props and addEndpointIds in order', () => {
    const stack = newStack();
    const service = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    const approval = new ConnectionApproval(stack, 'Approval', {
      service,
      endpointIds: [ID_B, ID_A],
      onRemoval: EndpointRemoval.LEAVE,
      missingEndpoints: MissingEndpoints.waitFor(Duration.seconds(90)),
    });
    approval.addEndpointIds(ID_C);
    const template = Template.fromStack(stack);
    template.hasResourceProperties(APPROVAL_TYPE, {
      ServiceId: SERVICE_ID,
      EndpointIds: [ID_B, ID_A, ID_C],
      AllowedOwners: Match.absent(),
      RejectUnlisted: false,
      OnRemoval: 'leave',
      WaitSeconds: 90,
    });
  });

  test('an approval without IDs lists none', () => {
    const stack = newStack();
    const service = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    new ConnectionApproval(stack, 'Approval', { service });
    Template.fromStack(stack).hasResourceProperties(APPROVAL_TYPE, { ServiceId: SERVICE_ID, EndpointIds: [] });
  });
});

describe('ConnectionApproval: endpoint IDs checked at synth time', () => {
  test.each([
    ['vpc-0123456789abcdef0', "does not start with 'vpce-'"],
    ['vpce-svc-0123456789abcdef0', 'endpoint service ID'],
    ['vpce-0123456789ABCDEF0', 'upper-case'],
    ['vpce-0123456789abcdef', 'has 16 hexadecimal characters'],
    ['vpce-0123456', 'has 7 hexadecimal characters'],
    [' vpce-0123456789abcdef0', 'whitespace'],
    ['vpce-0123456789abcdef0\n', 'whitespace'],
  ])('refuses %j', (bad, why) => {
    const paths: Array<[string, (stack: Stack) => unknown]> = [
      ['connectionApproval', stack => newService(stack, 'Service', { connectionApproval: { endpointIds: [ID_A, bad] } })],
      ['approveEndpoints', stack => newService(stack, 'Service').approveEndpoints(ID_A, bad)],
      ['ConnectionApproval', stack => new ConnectionApproval(stack, 'Approval', {
        service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID),
        endpointIds: [bad],
      })],
      ['addEndpointIds', stack => new ConnectionApproval(stack, 'Approval', {
        service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID),
      }).addEndpointIds(bad)],
    ];
    for (const [, create] of paths) {
      const error = validationErrorOf(() => create(newStack()));
      expect(error.message).toContain(`Invalid VPC endpoint ID '${bad}'`);
      expect(error.message).toContain(why);
      expect(error.message).toContain(ENDPOINT_FORMAT);
    }
  });

  test('refuses the same ID twice in the props', () => {
    const error = validationErrorOf(() => newService(newStack(), 'Service', { connectionApproval: { endpointIds: [ID_A, ID_B, ID_A] } }));
    expect(error.message).toContain('more than once');
    expect(error.message).toContain(`'${ID_A}'`);
    expect(error.message).not.toContain(ID_B);
  });

  test('refuses an ID given again through a later approveEndpoints call, and keeps the list as it was', () => {
    const service = newService(newStack(), 'Service', { connectionApproval: { endpointIds: [ID_A, ID_B] } });
    const error = validationErrorOf(() => service.approveEndpoints(ID_C, ID_B));
    expect(error.message).toContain('more than once');
    expect(error.message).toContain(`'${ID_B}'`);
    expect(service.approval!.endpointIds).toEqual([ID_A, ID_B]);
  });

  test('refuses an ID repeated across approveEndpoints calls, or within one', () => {
    const service = newService(newStack(), 'Service');
    service.approveEndpoints(ID_A);
    expect(validationErrorOf(() => service.approveEndpoints(ID_A)).message).toMatch(/more than once: 'vpce-0123456789abcdef0'/);
    expect(validationErrorOf(() => service.approveEndpoints(ID_C, ID_C)).message).toMatch(/more than once: 'vpce-0123abcd'/);
  });

  test('refuses an ID repeated through addEndpointIds of a standalone approval', () => {
    const stack = newStack();
    const approval = new ConnectionApproval(stack, 'Approval', {
      service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID),
      endpointIds: [ID_A],
    });
    const error = validationErrorOf(() => approval.addEndpointIds(ID_A));
    expect(error.message).toContain('more than once');
    expect(error.message).toContain(`'${ID_A}'`);
  });

  test('accepts unresolved tokens: an endpoint of another stack, an imported value and a lazy string', () => {
    const app = new App();
    const consumer = new Stack(app, 'Consumer');
    const vpc = new ec2.Vpc(consumer, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const endpoint = new ec2.InterfaceVpcEndpoint(consumer, 'Endpoint', {
      vpc,
      service: new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.${SERVICE_ID}`, 443),
    });
    const provider = new Stack(app, 'Provider');
    const lazy = Token.asString(Lazy.string({ produce: () => ID_B }));
    const service = newService(provider, 'Service', { connectionApproval: { endpointIds: [endpoint.vpcEndpointId] } });
    service.approveEndpoints(Fn.importValue('SharedEndpointId'), lazy);

    expect(() => app.synth()).not.toThrow();
    Template.fromStack(provider).hasResourceProperties(APPROVAL_TYPE, {
      EndpointIds: [
        { 'Fn::ImportValue': Match.stringLikeRegexp('^Consumer:ExportsOutputRefEndpoint') },
        { 'Fn::ImportValue': 'SharedEndpointId' },
        ID_B,
      ],
    });
  });
});

describe('ConnectionApproval: other props checked at synth time', () => {
  test('refuses an allowed owner that is not an account ID', () => {
    const error = validationErrorOf(() => newService(newStack(), 'Service', {
      connectionApproval: { endpointIds: [ID_A], allowedOwners: ['111111111111', '12345'] },
    }));
    expect(error.message).toContain("'12345'");
    expect(error.message).toContain('expected exactly 12 digits');
  });

  test.each([
    ['11 minutes', Duration.minutes(11)],
    ['500 milliseconds', Duration.millis(500)],
    ['10.5 seconds', Duration.millis(10_500)],
  ])('refuses MissingEndpoints.waitFor(%s)', (_, wait) => {
    const error = validationErrorOf(() => newService(newStack(), 'Service', {
      connectionApproval: { endpointIds: [ID_A], missingEndpoints: MissingEndpoints.waitFor(wait) },
    }));
    expect(error.message).toContain('MissingEndpoints.waitFor');
    expect(error.message).toContain('expected whole seconds from 1 second to 10 minutes');
  });

  test('takes MissingEndpoints.waitFor(10 minutes)', () => {
    const stack = newStack();
    newService(stack, 'Service', { connectionApproval: { endpointIds: [ID_A], missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(10)) } });
    Template.fromStack(stack).hasResourceProperties(APPROVAL_TYPE, { WaitSeconds: 600 });
  });

  test('refuses connection approval of a service without acceptance required', () => {
    const fromProps = validationErrorOf(() => newService(newStack(), 'Service', {
      acceptanceRequired: false,
      connectionApproval: { endpointIds: [ID_A] },
    }));
    expect(fromProps.message).toContain('acceptanceRequired: false');
    const service = newService(newStack(), 'Service', { acceptanceRequired: false });
    const fromCall = validationErrorOf(() => service.approveEndpoints(ID_A));
    expect(fromCall.message).toContain('acceptanceRequired: false');
    const stack = newStack();
    const standalone = validationErrorOf(() => new ConnectionApproval(stack, 'Approval', { service: newService(stack, 'Open', { acceptanceRequired: false }) }));
    expect(standalone.message).toContain('acceptanceRequired: false');
  });

  test('refuses an empty owner allowlist', () => {
    const error = validationErrorOf(() => newService(newStack(), 'Service', { connectionApproval: { endpointIds: [ID_A], allowedOwners: [] } }));
    expect(error.message).toContain('allowedOwners is empty');
  });

  test('refuses a notification topic without MissingEndpoints.acceptOnArrival()', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const error = validationErrorOf(() => newService(stack, 'Service', {
      connectionApproval: { endpointIds: [ID_A], missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(1)), notificationTopic: topic },
    }));
    expect(error.message).toContain('notificationTopic');
  });
});

/** The resources of a type, without the stack's enforcement topic, key and notifications (the late-arrival ones and the user's). */
function lateArrivalResources(template: Template, stack: Stack, type: string): Resources {
  const enforcement = ApprovalHandler.of(stack).node.tryFindChild('Enforcement');
  const enforcementIds = new Set(enforcement ? enforcement.node.findAll().map(c => c.node.defaultChild ?? c)
    .filter(c => (c as any).cfnResourceType).map(c => stack.getLogicalId(c as any)) : []);
  return Object.fromEntries(Object.entries(template.findResources(type)).filter(([id]) => !enforcementIds.has(id)));
}

function lateArrivalNotifications(template: Template, stack: Stack): Record<string, unknown>[] {
  return Object.values(lateArrivalResources(template, stack, 'AWS::EC2::VPCEndpointConnectionNotification'))
    .map(r => r.Properties).filter(p => JSON.stringify(p.ConnectionEvents) !== JSON.stringify(['Accept']));
}

describe('ConnectionApproval: late arrivals', () => {
  test('with acceptOnArrival, Connect notifications of the service reach the handler through a new topic', () => {
    const stack = newStack();
    const service = newService(stack, 'Service', { connectionApproval: { missingEndpoints: ON_ARRIVAL } });
    const approval = service.approveEndpoints(ID_A);
    const template = Template.fromStack(stack);
    expect(approval.lateArrivals).toBeDefined();
    const topicArn = stack.resolve(approval.lateArrivals!.topic.topicArn);
    const topicId = onlyLogicalId(lateArrivalResources(template, stack, 'AWS::SNS::Topic'));
    expect(topicArn).toEqual({ Ref: topicId });

    expect(lateArrivalNotifications(template, stack)).toEqual([expect.objectContaining({
      ServiceId: stack.resolve(service.vpcEndpointServiceId),
      ConnectionEvents: ['Connect'],
      ConnectionNotificationArn: topicArn,
    })]);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: topicArn,
      Endpoint: handlerArn(template),
    });
    template.resourceCountIs('AWS::Lambda::Permission', 3);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: topicArn,
      FunctionName: handlerArn(template),
    });
  });

  test('by default (MissingEndpoints.fail()), no late-arrival notification, topic, subscription or permission: only enforcement\'s', () => {
    const stack = newStack();
    const approval = newService(stack, 'Service', { connectionApproval: { endpointIds: [ID_A] } }).approval!;
    expect(approval.lateArrivals).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs(APPROVAL_TYPE, 1);
    expect(lateArrivalNotifications(template, stack)).toEqual([]);
    expect(Object.keys(lateArrivalResources(template, stack, 'AWS::SNS::Topic'))).toEqual([]);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('a given notification topic is used, and no topic is created', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Given');
    const approval = newService(stack, 'Service', { connectionApproval: { endpointIds: [ID_A], missingEndpoints: ON_ARRIVAL, notificationTopic: topic } }).approval!;
    expect(approval.lateArrivals!.topic).toBe(topic);
    const template = Template.fromStack(stack);
    const topicArn = stack.resolve(topic.topicArn);
    expect(Object.keys(lateArrivalResources(template, stack, 'AWS::SNS::Topic'))).toEqual([stack.getLogicalId(topic.node.defaultChild as any)]);
    expect(Object.keys(lateArrivalResources(template, stack, 'AWS::KMS::Key'))).toEqual([]);
    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', { ConnectionNotificationArn: topicArn, ConnectionEvents: ['Connect'] });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: topicArn, Endpoint: handlerArn(template) });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceArn: topicArn });
  });

  test('two approvals sharing one given topic subscribe the handler once', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Given');
    const a = newService(stack, 'A', { connectionApproval: { endpointIds: [ID_A], missingEndpoints: ON_ARRIVAL, notificationTopic: topic } });
    const b = newService(stack, 'B', { connectionApproval: { endpointIds: [ID_B], missingEndpoints: ON_ARRIVAL, notificationTopic: topic } });
    const template = Template.fromStack(stack);
    const topicArn = stack.resolve(topic.topicArn);
    expect(Object.keys(lateArrivalResources(template, stack, 'AWS::SNS::Topic'))).toHaveLength(1);
    expect(lateArrivalNotifications(template, stack)).toHaveLength(2);
    for (const service of [a, b]) {
      template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
        ServiceId: stack.resolve(service.vpcEndpointServiceId),
        ConnectionNotificationArn: topicArn,
      });
    }
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.resourceCountIs('AWS::Lambda::Permission', 3);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: topicArn, Endpoint: handlerArn(template) });
  });

  test('two approvals with their own topics subscribe the handler to each', () => {
    const stack = newStack();
    const topics = ['A', 'B'].map(id => newService(stack, id, { connectionApproval: { missingEndpoints: ON_ARRIVAL } }).approveEndpoints(ID_A).lateArrivals!.topic);
    const template = Template.fromStack(stack);
    expect(Object.keys(lateArrivalResources(template, stack, 'AWS::SNS::Topic'))).toHaveLength(2);
    const enforcementArn = stack.resolve(ApprovalHandler.of(stack).enforcementTopic.topicArn);
    const subscribed = Object.values(template.findResources('AWS::SNS::Subscription')).map(s => s.Properties.TopicArn);
    expect(subscribed.sort(byJson)).toEqual([...topics.map(topic => stack.resolve(topic.topicArn)), enforcementArn].sort(byJson));
  });

  // A request arriving before the notification exists and the handler is subscribed would be missed.
  test('the custom resource runs only after the late-arrival notification and the subscription exist', () => {
    const stack = newStack();
    newService(stack, 'Service', { connectionApproval: { missingEndpoints: ON_ARRIVAL } }).approveEndpoints(ID_A);
    const template = Template.fromStack(stack);
    const notificationId = onlyLogicalId(template.findResources('AWS::EC2::VPCEndpointConnectionNotification', { Properties: { ConnectionEvents: ['Connect'] } }));
    const lateTopic = { Ref: onlyLogicalId(lateArrivalResources(template, stack, 'AWS::SNS::Topic')) };
    const subscriptionId = onlyLogicalId(template.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: lateTopic } }));
    const approval = Object.values(template.findResources(APPROVAL_TYPE))[0];
    expect(approval.DependsOn).toEqual(expect.arrayContaining([notificationId, subscriptionId]));
  });
});

describe('ConnectionApproval: determinism', () => {
  function synthesize(): string {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const topic = new sns.Topic(stack, 'Given');
    newService(stack, 'A', { connectionApproval: { endpointIds: [ID_A], allowedOwners: ['111111111111'] } }).approveEndpoints(ID_B);
    newService(stack, 'B', { connectionApproval: { notificationTopic: topic, missingEndpoints: ON_ARRIVAL } }).approveEndpoints(ID_C);
    new ConnectionApproval(stack, 'Standalone', {
      service: PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID),
      endpointIds: [ID_D],
      missingEndpoints: MissingEndpoints.waitFor(Duration.minutes(2)),
    });
    return JSON.stringify(app.synth().getStackByName('Stack').template);
  }

  test('the same app synthesizes identical templates', () => {
    const first = synthesize();
    expect(first).toContain(APPROVAL_TYPE);
    expect(synthesize()).toBe(first);
  });
});

describe('PrivateEndpointService.fromEndpointServiceId', () => {
  test.each(['svc-123', ID_A, 'vpce-svc-0123456789ABCDEF0'])('refuses %j', (bad) => {
    const error = validationErrorOf(() => PrivateEndpointService.fromEndpointServiceId(newStack(), 'Imported', bad));
    expect(error.message).toContain(`'${bad}'`);
    expect(error.message).toContain("expected 'vpce-svc-'");
  });

  test('names the service after the stack Region', () => {
    const env: StackProps['env'] = { account: '123456789012', region: 'eu-west-1' };
    const service = PrivateEndpointService.fromEndpointServiceId(newStack({ env }), 'Imported', SERVICE_ID);
    expect(service.vpcEndpointServiceId).toBe(SERVICE_ID);
    expect(service.vpcEndpointServiceName).toBe(`com.amazonaws.vpce.eu-west-1.${SERVICE_ID}`);
  });

  test('in an environment-agnostic stack, the name uses AWS::Region', () => {
    const stack = newStack();
    const service = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    expect(stack.resolve(service.vpcEndpointServiceName)).toEqual({
      'Fn::Join': ['', ['com.amazonaws.vpce.', { Ref: 'AWS::Region' }, `.${SERVICE_ID}`]],
    });
  });

  test('takes an unresolved service ID', () => {
    const stack = newStack();
    const service = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', Fn.importValue('ServiceId'));
    new ConnectionApproval(stack, 'Approval', { service, endpointIds: [ID_A] });
    Template.fromStack(stack).hasResourceProperties(APPROVAL_TYPE, { ServiceId: { 'Fn::ImportValue': 'ServiceId' } });
  });
});
