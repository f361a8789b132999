import { App, CfnParameter, Fn, Lazy, NestedStack, Stack, StackProps, Stage, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AllowedPrincipal, InterfaceEndpoint, PrivateEndpointService } from '../src';
import { newNlb } from './helpers';
import { describe as describeValue } from '../src/validation/enum-value';

const PROVIDER_ENV = { account: '111111111111', region: 'eu-west-1' };
const CONSUMER_ENV = { account: '222222222222', region: 'eu-west-1' };
const LITERAL_NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

function newApp(): App {
  return new App({ builtinCloudFormationValidation: false } as object);
}

function service(scope: Construct): PrivateEndpointService {
  const stack = Stack.of(scope);
  return new PrivateEndpointService(scope, 'Service', {
    networkLoadBalancers: [newNlb(stack)],
    allowedPrincipals: [AllowedPrincipal.account(CONSUMER_ENV.account)],
  });
}

function endpoint(scope: Construct, serviceName: string, id = 'Endpoint', createOutputs = false): InterfaceEndpoint {
  const stack = Stack.of(scope);
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return new InterfaceEndpoint(scope, id, { vpc, service: new ec2.InterfaceVpcEndpointService(serviceName, 443), createOutputs });
}

function pair(consumerEnv: StackProps['env'], consumerProps: StackProps = {}) {
  const app = newApp();
  const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
  const consumer = new Stack(app, 'Consumer', { env: consumerEnv, ...consumerProps });
  return { app, provider, consumer, service: service(provider) };
}

/** Construction or synthesis must throw an error naming the reference and the two-step hand-over. */
function expectRefused(build: (app: App) => void, app: App, reference: RegExp): void {
  let error: Error | undefined;
  try {
    build(app);
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message ?? 'nothing thrown').toMatch(reference);
  expect(error?.message).toMatch(/two steps/);
}

const SERVICE_REF = /Provider\/Service\/Resource\.Ref/;

describe('cross-account service name, wrapped', () => {
  test('Fn.select', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => endpoint(consumer, Fn.select(0, [s.vpcEndpointServiceName, 'x'])), app, SERVICE_REF);
  });
  test('Token.asString of an object', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => endpoint(consumer, Token.asString({ 'Fn::Join': ['', [s.vpcEndpointServiceName]] })), app, SERVICE_REF);
  });
  test('Lazy.string (cached)', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => endpoint(consumer, Lazy.string({ produce: () => s.vpcEndpointServiceName })), app, SERVICE_REF);
  });
  test('Lazy.uncachedString bound after construction', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    let name = LITERAL_NAME;
    expectRefused(() => {
      endpoint(consumer, Lazy.uncachedString({ produce: () => name }));
      name = s.vpcEndpointServiceName;
    }, app, SERVICE_REF);
  });
  test('CfnParameter default', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => {
      const p = new CfnParameter(consumer, 'Name', { type: 'String', default: s.vpcEndpointServiceName });
      endpoint(consumer, p.valueAsString);
    }, app, SERVICE_REF);
  });
  test('endpoint in a nested stack of the consumer', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => endpoint(new NestedStack(consumer, 'Inner'), s.vpcEndpointServiceName), app, SERVICE_REF);
  });
  test('service in a nested stack of the provider', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const s = service(new NestedStack(provider, 'Inner'));
    expectRefused(() => endpoint(consumer, s.vpcEndpointServiceName), app, /Provider\/Inner\/Service\/Resource\.Ref/);
  });
  test('consumer stack in a Stage of another account', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
    const stage = new Stage(app, 'Stage', { env: CONSUMER_ENV });
    const consumer = new Stack(stage, 'Consumer');
    const s = service(provider);
    expectRefused(() => endpoint(consumer, s.vpcEndpointServiceName), app, SERVICE_REF);
  });
  test('cross-Region with crossRegionReferences: true', () => {
    const { app, consumer, service: s } = pair({ account: PROVIDER_ENV.account, region: 'us-east-1' }, { crossRegionReferences: true });
    expectRefused(() => endpoint(consumer, s.vpcEndpointServiceName), app, SERVICE_REF);
  });
});

describe('cross-account approved endpoint ID', () => {
  test('Lazy.uncachedString bound after approval', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    let id = 'vpce-0123456789abcdef0';
    expectRefused(() => {
      s.approveEndpoints(Lazy.uncachedString({ produce: () => id }));
      id = endpoint(consumer, LITERAL_NAME).vpcEndpointId;
    }, app, /Consumer\/Endpoint\/Resource\/Resource\.Ref/);
  });
  test('from a nested stack of the consumer', () => {
    const { app, consumer, service: s } = pair(CONSUMER_ENV);
    expectRefused(() => s.approveEndpoints(endpoint(new NestedStack(consumer, 'Inner'), LITERAL_NAME).vpcEndpointId),
      app, /Consumer\/Inner\/Endpoint/);
  });
});

describe('mutual references, same account and Region', () => {
  test('aws-cdk-lib InterfaceVpcEndpoint added after the approval', () => {
    const { app, consumer, service: s } = pair(PROVIDER_ENV);
    expectRefused(() => {
      s.approveEndpoints(endpoint(consumer, LITERAL_NAME).vpcEndpointId);
      const vpc = consumer.node.findChild('Vpc') as ec2.Vpc;
      new ec2.InterfaceVpcEndpoint(consumer, 'Plain', { vpc, service: new ec2.InterfaceVpcEndpointService(s.vpcEndpointServiceName, 443) });
    }, app, /each stack would need the other deployed first/);
  });
  test('approved ID from a nested stack of the consumer, whose parent uses the service name', () => {
    const { app, consumer, service: s } = pair(PROVIDER_ENV);
    expectRefused(() => {
      endpoint(consumer, s.vpcEndpointServiceName, 'Outer');
      s.approveEndpoints(endpoint(new NestedStack(consumer, 'Inner'), LITERAL_NAME).vpcEndpointId);
    }, app, /each stack would need the other deployed first/);
  });
  test('endpoint in consumer nested stack, approval first, endpoint in parent after', () => {
    const { app, consumer, service: s } = pair(PROVIDER_ENV);
    expectRefused(() => {
      s.approveEndpoints(endpoint(new NestedStack(consumer, 'Inner'), LITERAL_NAME).vpcEndpointId);
      endpoint(consumer, s.vpcEndpointServiceName, 'Outer');
    }, app, /each stack would need the other deployed first/);
  });
  test('service in a provider nested stack; endpoint ID approved, then endpoint uses the name', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
    const consumer = new Stack(app, 'Consumer', { env: PROVIDER_ENV });
    const s = service(new NestedStack(provider, 'Inner'));
    expectRefused(() => {
      s.approveEndpoints(endpoint(consumer, LITERAL_NAME).vpcEndpointId);
      endpoint(consumer, s.vpcEndpointServiceName, 'Second');
    }, app, /each stack would need the other deployed first/);
  });
});

describe('false positives', () => {
  test('same account and Region one-way reference synthesizes', () => {
    const { app, consumer, service: s } = pair(PROVIDER_ENV);
    s.approveEndpoints(endpoint(consumer, LITERAL_NAME).vpcEndpointId);
    endpoint(consumer, LITERAL_NAME, 'Second');
    expect(() => app.synth()).not.toThrow();
  });
  test('env-agnostic stacks, one-way reference synthesizes', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider');
    const consumer = new Stack(app, 'Consumer');
    const s = service(provider);
    endpoint(consumer, s.vpcEndpointServiceName);
    expect(() => app.synth()).not.toThrow();
  });
  test('endpoint in a nested stack of the provider using its own service name', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
    const s = service(provider);
    s.approveEndpoints('vpce-0123456789abcdef0');
    endpoint(new NestedStack(provider, 'Inner'), s.vpcEndpointServiceName);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('readable outputs', () => {
  function outputsOf(stack: Stack): string[] {
    return Object.keys(Template.fromStack(stack).findOutputs('*'));
  }
  test("'A/B' vs 'AB' collide and are refused", () => {
    const app = newApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    endpoint(new Construct(stack, 'A'), LITERAL_NAME, 'B', true);
    expect(() => endpoint(stack, LITERAL_NAME, 'AB', true)).toThrow(/taken by/);
  });
  test('output name longer than 255 characters is refused', () => {
    const app = newApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    expect(() => endpoint(stack, LITERAL_NAME, 'E'.repeat(250), true)).toThrow(/longer than 255/);
  });
  test('outputs in a nested stack are readable and parents unaffected', () => {
    const app = newApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const inner = new NestedStack(stack, 'Inner');
    endpoint(inner, LITERAL_NAME, 'Endpoint', true);
    endpoint(stack, LITERAL_NAME, 'Endpoint', true);
    expect(outputsOf(inner)).toContain('EndpointVpcEndpointId');
    expect(outputsOf(stack)).toContain('EndpointVpcEndpointId');
  });
  test('a construct ID made only of punctuation does not make two paths collide silently', () => {
    const app = newApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    endpoint(stack, LITERAL_NAME, 'Endpoint', true);
    expect(() => endpoint(new Construct(stack, '--'), LITERAL_NAME, 'Endpoint', true)).toThrow();
  });
});

describe('describe()', () => {
  test('Lazy that throws when produced', () => {
    const lazy = Lazy.string({ produce: () => { throw new Error('boom'); } });
    expect(() => describeValue(lazy)).not.toThrow();
  });
  test('object containing a reference renders the reference as written', () => {
    const app = newApp();
    const provider = new Stack(app, 'Provider', { env: PROVIDER_ENV });
    const s = service(provider);
    const text = describeValue({ name: s.vpcEndpointServiceName });
    expect(text).not.toMatch(/\$\{Token\[/);
  });
  test('IResolvable object', () => {
    const text = describeValue(Lazy.any({ produce: () => true }));
    expect(text).not.toMatch(/TOKEN|Token\[/);
  });
});
