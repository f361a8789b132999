import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fc from 'fast-check';
import { AllowedPrincipal, PrivateEndpointService } from '../src';

const RUNS = 1000;
const NLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123456789abcdef';
const env = { region: 'eu-west-1', account: '123456789012' };

function service(acceptanceRequired: boolean, allowedPrincipals: AllowedPrincipal[] = []) {
  const stack = new Stack(new App(), 'Stack', { env });
  const nlb = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', { loadBalancerArn: NLB_ARN });
  return new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [nlb], acceptanceRequired, allowedPrincipals });
}

const accountId = fc.stringMatching(/^\d{12}$/);
const principal = fc.oneof(
  accountId.map(id => ({ principal: AllowedPrincipal.account(id), arn: `arn:aws:iam::${id}:root` })),
  fc.tuple(accountId, fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/)).map(([id, name]) => {
    const arn = `arn:aws:iam::${id}:role/${name}`;
    return { principal: AllowedPrincipal.role(arn), arn };
  }),
);

describe('allowed principals (property-based)', () => {
  test('an account ID is accepted exactly when it is 12 digits', () => {
    fc.assert(fc.property(fc.oneof(accountId, fc.string({ maxLength: 14 })), (id) => {
      const allow = () => service(true).allowPrincipals(AllowedPrincipal.account(id));
      if (/^\d{12}$/.test(id)) expect(allow).not.toThrow();
      else expect(allow).toThrow(`'${id}': expected exactly 12 digits`);
    }), { numRuns: RUNS });
  });

  test('all principals, however split between props and later calls, end up once each in one permissions resource', () => {
    fc.assert(fc.property(
      fc.array(principal, { minLength: 1, maxLength: 6 }),
      fc.nat({ max: 8 }),
      (given, split) => {
        // Duplicate some principals so that deduplication is exercised.
        const all = [...given, ...given.slice(0, 2)];
        const endpointService = service(true, all.slice(0, split).map(p => p.principal));
        for (const p of all.slice(split)) endpointService.allowPrincipals(p.principal);

        const resources = Object.values(Template.fromStack(Stack.of(endpointService)).findResources('AWS::EC2::VPCEndpointServicePermissions'));
        expect(resources).toHaveLength(1);
        expect(resources[0].Properties.AllowedPrincipals).toEqual([...new Set(all.map(p => p.arn))]);
      },
    ), { numRuns: RUNS });
  });

  test('everyone is refused whenever acceptance is not required, wherever it appears', () => {
    fc.assert(fc.property(fc.array(principal, { maxLength: 4 }), fc.nat({ max: 4 }), fc.boolean(), (others, at, inProps) => {
      const principals = others.map(p => p.principal);
      principals.splice(Math.min(at, principals.length), 0, AllowedPrincipal.everyone());
      const build = () => {
        if (inProps) return service(false, principals);
        return service(false).allowPrincipals(...principals);
      };
      expect(build).toThrow(/load balancer behind this service public/);
    }), { numRuns: RUNS });
  });
});
