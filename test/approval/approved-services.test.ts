import { App, Fn, Stack } from 'aws-cdk-lib';
import { ConnectionApproval, PrivateEndpointService } from '../../src';
import { newNlb, validationErrorOf } from '../helpers';

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ID_A = 'vpce-0123456789abcdef0';
const ID_B = 'vpce-0123456789abcdef1';
const ONE_PER_SERVICE = 'expected one approval per service; add endpoint IDs to it with addEndpointIds() or approveEndpoints().';

function newService(stack: Stack, id = 'Service'): PrivateEndpointService {
  return new PrivateEndpointService(stack, id, { networkLoadBalancers: [newNlb(stack, `${id}Nlb`)] });
}

function approve(stack: Stack, id: string, serviceId: string): ConnectionApproval {
  return new ConnectionApproval(stack, id, {
    service: PrivateEndpointService.fromEndpointServiceId(stack, `${id}Service`, serviceId),
    endpointIds: [ID_A],
  });
}

describe('ConnectionApproval: one approval per service in the app', () => {
  test('the same literal service ID in two stacks is refused, naming both approvals', () => {
    const app = new App();
    approve(new Stack(app, 'First'), 'Approval', SERVICE_ID);
    const error = validationErrorOf(() => approve(new Stack(app, 'Second'), 'Approval', SERVICE_ID));
    expect(error.message).toContain(`Endpoint service ${SERVICE_ID} already has a connection approval in this app (First/Approval): ${ONE_PER_SERVICE}`);
    expect(error.message).toContain('[at Second/Approval]');
  });

  test('the same service token in a second stack is refused, as a service or as an imported ID', () => {
    const app = new App();
    const provider = new Stack(app, 'Provider');
    const service = newService(provider);
    service.approveEndpoints(ID_A);
    const other = new Stack(app, 'Other');
    const direct = validationErrorOf(() => new ConnectionApproval(other, 'Direct', { service, endpointIds: [ID_B] }));
    expect(direct.message).toContain('already has a connection approval in this app (Provider/Service/ConnectionApproval)');
    expect(direct.message).toContain('[at Other/Direct]');

    const imported = PrivateEndpointService.fromEndpointServiceId(other, 'Imported', service.vpcEndpointServiceId);
    const byId = validationErrorOf(() => new ConnectionApproval(other, 'ById', { service: imported, endpointIds: [ID_B] }));
    expect(byId.message).toContain('(Provider/Service/ConnectionApproval)');
    expect(byId.message).toContain(ONE_PER_SERVICE);
  });

  test('two tokens that resolve to the same value in one stack are refused', () => {
    const stack = new Stack(new App(), 'Stack');
    approve(stack, 'First', Fn.importValue('SharedServiceId'));
    const error = validationErrorOf(() => approve(stack, 'Second', Fn.importValue('SharedServiceId')));
    expect(error.message).toContain('Endpoint service ${Fn::ImportValue(SharedServiceId)} already has a connection approval in this app (Stack/First)');
  });

  test('services with the same construct path in two stacks are told apart', () => {
    const app = new App();
    const stacks = ['Dev', 'Prod'].map(id => new Stack(app, id));
    for (const stack of stacks) newService(stack).approveEndpoints(ID_A);
    expect(() => app.synth()).not.toThrow();
  });

  test('a service of another stack approved next to a service with the same logical ID is no second approval', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer');
    const consumer = new Stack(app, 'Consumer');
    const foreign = newService(producer);
    newService(consumer).approveEndpoints(ID_A);
    expect(() => new ConnectionApproval(consumer, 'Foreign', { service: foreign, endpointIds: [ID_B] })).not.toThrow();
    expect(() => app.synth()).not.toThrow();
  });

  test('two apps in one process do not see each other', () => {
    for (const app of [new App(), new App()]) {
      const stack = new Stack(app, 'Stack');
      approve(stack, 'Approval', SERVICE_ID);
      expect(() => app.synth()).not.toThrow();
    }
  });

  test('different services in one app are fine', () => {
    const app = new App();
    approve(new Stack(app, 'First'), 'Approval', SERVICE_ID);
    expect(() => approve(new Stack(app, 'Second'), 'Approval', 'vpce-svc-0fedcba9876543210')).not.toThrow();
  });
});
