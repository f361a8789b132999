import { App, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AllowedPrincipal, ConnectionApproval, InterfaceEndpoint, PrivateEndpointService } from '../../src';
import { otherStackReferences } from '../../src/handover/stack-references';
import { newNlb, validationErrorOf } from '../helpers';

const PROVIDER_ENV = { account: '111111111111', region: 'eu-west-1' };
const CONSUMER_ACCOUNT = '222222222222';
const LITERAL_NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

interface Apps {
  readonly app: App;
  readonly provider: Stack;
  readonly consumer: Stack;
  readonly service: PrivateEndpointService;
}

function apps(consumerEnv: StackProps['env'], providerEnv: StackProps['env'] = PROVIDER_ENV): Apps {
  const app = new App({ builtinCloudFormationValidation: false } as object);
  const provider = new Stack(app, 'Provider', { env: providerEnv });
  const consumer = new Stack(app, 'Consumer', { env: consumerEnv });
  const service = new PrivateEndpointService(provider, 'Service', {
    networkLoadBalancers: [newNlb(provider)],
    allowedPrincipals: [AllowedPrincipal.account(CONSUMER_ACCOUNT)],
  });
  return { app, provider, consumer, service };
}

function endpoint(stack: Stack, serviceName: string, id = 'Endpoint'): InterfaceEndpoint {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return new InterfaceEndpoint(stack, id, { vpc, service: new ec2.InterfaceVpcEndpointService(serviceName, 443) });
}

const HANDOVER = /two steps.*literal string.*MissingEndpoints\.acceptOnArrival\(\)/;

describe('the service name of an endpoint in another account or Region', () => {
  test('is refused, naming the reference, both environments and the two-step hand-over', () => {
    const { consumer, service } = apps({ account: CONSUMER_ACCOUNT, region: 'eu-west-1' });
    const error = validationErrorOf(() => endpoint(consumer, service.vpcEndpointServiceName));
    expect(error.message).toContain('The service name Provider/Service/Resource.Ref comes from stack Provider in account 111111111111, Region eu-west-1');
    expect(error.message).toContain(`not from account ${CONSUMER_ACCOUNT}, Region eu-west-1 like this stack Consumer`);
    expect(error.message).toMatch(HANDOVER);
    expect(error.message).not.toContain('{"Ref"');
  });

  test('from another Region of the same account is refused too', () => {
    const { consumer, service } = apps({ account: PROVIDER_ENV.account, region: 'us-east-1' });
    expect(validationErrorOf(() => endpoint(consumer, service.vpcEndpointServiceName)).message)
      .toContain('Region eu-west-1, not from account 111111111111, Region us-east-1');
  });

  test('inside another intrinsic is found', () => {
    const { consumer, service } = apps({ account: CONSUMER_ACCOUNT, region: 'eu-west-1' });
    const wrapped = Fn.join('', Fn.split('|', `${service.vpcEndpointServiceName}|`));
    expect(validationErrorOf(() => endpoint(consumer, wrapped)).message).toContain('Provider/Service/Resource.Ref');
  });

  test('given as a literal string is taken: the hand-over', () => {
    const { app, consumer } = apps({ account: CONSUMER_ACCOUNT, region: 'eu-west-1' });
    endpoint(consumer, LITERAL_NAME);
    app.synth();
    Template.fromStack(consumer).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: LITERAL_NAME });
  });

  test('from a stack of the same account and Region is an ordinary cross-stack reference', () => {
    const { app, consumer, service } = apps(PROVIDER_ENV);
    endpoint(consumer, service.vpcEndpointServiceName);
    app.synth();
    const serviceName = Template.fromStack(consumer).findResources('AWS::EC2::VPCEndpoint');
    expect(JSON.stringify(serviceName)).toContain('Fn::ImportValue');
  });
});

describe('an approved endpoint ID from another stack', () => {
  test('of another account is refused, naming the reference and the hand-over', () => {
    const { consumer, service } = apps({ account: CONSUMER_ACCOUNT, region: 'eu-west-1' });
    const consumerEndpoint = endpoint(consumer, LITERAL_NAME);
    const error = validationErrorOf(() => service.approveEndpoints(consumerEndpoint.vpcEndpointId));
    expect(error.message).toContain('Endpoint ID Consumer/Endpoint/Resource/Resource.Ref comes from stack Consumer in account 222222222222');
    expect(error.message).toContain('the approval trusts only its own account\'s CloudFormation');
    expect(error.message).toMatch(HANDOVER);
  });

  test('given as props of a ConnectionApproval is refused the same way', () => {
    const { provider, consumer, service } = apps({ account: CONSUMER_ACCOUNT, region: 'eu-west-1' });
    const consumerEndpoint = endpoint(consumer, LITERAL_NAME);
    expect(validationErrorOf(() => new ConnectionApproval(provider, 'Approval', { service, endpointIds: [consumerEndpoint.vpcEndpointId] })).message)
      .toContain('Endpoint ID Consumer/Endpoint/Resource/Resource.Ref comes from stack Consumer');
  });

  test('whose stack uses the service name of the approval\'s stack is refused before aws-cdk-lib finds the cycle', () => {
    const { consumer, service } = apps(PROVIDER_ENV);
    const consumerEndpoint = endpoint(consumer, service.vpcEndpointServiceName);
    const error = validationErrorOf(() => service.approveEndpoints(consumerEndpoint.vpcEndpointId));
    expect(error.message).toContain('whose endpoint Consumer/Endpoint/Resource uses the name of a service of this stack Provider: '
      + 'each stack would need the other deployed first.');
    expect(error.message).toMatch(HANDOVER);
  });

  test('also when the endpoint is made with aws-cdk-lib', () => {
    const { consumer, service } = apps(PROVIDER_ENV);
    const vpc = new ec2.Vpc(consumer, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const own = new ec2.InterfaceVpcEndpoint(consumer, 'Plain', { vpc, service: new ec2.InterfaceVpcEndpointService(service.vpcEndpointServiceName, 443) });
    expect(validationErrorOf(() => service.approveEndpoints(own.vpcEndpointId)).message).toContain('whose endpoint Consumer/Plain uses the name');
  });

  test('an endpoint made after the approval that closes the cycle is refused at the endpoint', () => {
    const { consumer, service } = apps(PROVIDER_ENV);
    const first = endpoint(consumer, LITERAL_NAME);
    service.approveEndpoints(first.vpcEndpointId);
    const error = validationErrorOf(() => endpoint(consumer, service.vpcEndpointServiceName, 'Second'));
    expect(error.message).toContain('The service name Provider/Service/Resource.Ref comes from stack Provider, whose approval '
      + 'Provider/Service/ConnectionApproval lists an endpoint ID of this stack Consumer');
  });

  test('of the same account without a cycle is read from the export', () => {
    const { app, provider, consumer, service } = apps(PROVIDER_ENV);
    service.approveEndpoints(endpoint(consumer, LITERAL_NAME).vpcEndpointId);
    app.synth();
    const approval = Template.fromStack(provider).findResources('Custom::VpcEndpointConnectionApproval');
    expect(JSON.stringify(approval)).toContain('Fn::ImportValue');
  });
});

describe('otherStackReferences', () => {
  test('finds references to other stacks only, not pseudo parameters or literals', () => {
    const { provider, consumer, service } = apps(undefined, undefined);
    expect(otherStackReferences(consumer, 'vpce-0123456789abcdef0')).toEqual([]);
    expect(otherStackReferences(consumer, consumer.region)).toEqual([]);
    expect(otherStackReferences(consumer, provider.region)).toEqual([]);
    expect(otherStackReferences(provider, service.vpcEndpointServiceName)).toEqual([]);
    expect(otherStackReferences(consumer, [{ nested: service.vpcEndpointServiceId }]).map(r => [r.stack.stackName, r.text]))
      .toEqual([['Provider', 'Provider/Service/Resource.Ref']]);
  });
});
