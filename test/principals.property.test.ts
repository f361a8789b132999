import { App, Aws, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { validationErrorOf } from './helpers';
import { AllowedPrincipal, GatewayEndpoint, GatewayEndpointPolicy, PrivateEndpointService } from '../src';

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

// Wildcard principal ARN patterns, built from pieces whose reach is known from how they were made:
// a piece is `wide` when it can match principals of more than one AWS account (a wildcard in the
// account, or in the partition, where the same 12 digits are another account).
interface Piece { readonly text: string; readonly wide: boolean }

const SEED = 20240609;
const token = fc.constantFrom('account', 'lazy').map(kind => kind === 'account' ? Aws.ACCOUNT_ID : Lazy.string({ produce: () => '111111111111' }));
const questionMarks = fc.tuple(accountId, fc.uniqueArray(fc.nat({ max: 11 }), { minLength: 1, maxLength: 12 }))
  .map(([id, at]) => [...id].map((digit, i) => at.includes(i) ? '?' : digit).join(''));
const star = fc.tuple(accountId, fc.nat({ max: 11 }), fc.integer({ min: 1, max: 12 }))
  .map(([id, at, length]) => `${id.slice(0, at)}*${id.slice(at + length)}`);
const account: fc.Arbitrary<Piece> = fc.oneof(
  accountId.map(text => ({ text, wide: false })),
  token.map(text => ({ text, wide: false })),
  fc.oneof(questionMarks, star).map(text => ({ text, wide: true })),
  fc.tuple(token, fc.constantFrom('*', '?'), fc.boolean()).map(([t, w, before]) => ({ text: before ? `${w}${t}` : `${t}${w}`, wide: true })),
);
const partition: fc.Arbitrary<Piece> = fc.oneof(
  fc.constantFrom('aws', Aws.PARTITION).map(text => ({ text, wide: false })),
  fc.constantFrom('*', 'aws*', 'aws-?n', 'aw?', `${Aws.PARTITION}*`).map(text => ({ text, wide: true })),
);
/** A name of IAM characters with wildcards anywhere in it, never empty. */
const wildName = fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,8}$/), fc.constantFrom('*', '?')), { minLength: 1, maxLength: 4 })
  .map(fragments => fragments.join(''));
const resource = fc.oneof(
  fc.tuple(fc.constantFrom('role', 'user'), fc.constantFrom('', 'team/', '*/'), wildName).map(([type, path, name]) => ({ service: 'iam', text: `${type}/${path}${name}` })),
  fc.constant({ service: 'iam', text: 'root' }),
  wildName.map(name => ({ service: 'sts', text: `federated-user/${name}` })),
);

function gatewayEndpoint(): GatewayEndpoint {
  const stack = new Stack(new App(), 'Stack', { env });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
  return new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, routeTableIds: ['rtb-0123456789abcdef0'] });
}

describe('wildcard principal ARNs (property-based)', () => {
  test('a principal ARN pattern is refused exactly when it can match principals of another account', () => {
    fc.assert(fc.property(partition, account, resource, fc.constantFrom('policy', 'exempt'), (p, a, r, use) => {
      const arn = `arn:${p.text}:${r.service}::${a.text}:${r.text}`;
      const endpoint = gatewayEndpoint();
      const apply = () => use === 'policy'
        ? endpoint.addToPolicy(GatewayEndpointPolicy.forPrincipalArns([arn], { actions: ['s3:GetObject'] }))
        : endpoint.bucketPolicyStatements(s3.Bucket.fromBucketName(endpoint, 'Bucket', 'bucket'), { exemptPrincipalArns: [arn] });
      if (a.wide || p.wide) {
        const message = validationErrorOf(apply).message;
        expect(message).toContain(`'${arn}'`);
        expect(message).toMatch(/has (a|the) wildcard/);
        expect(message).toMatch(/ \[at Stack\/S3\]$/);
      } else {
        expect(apply).not.toThrow();
      }
    }), { numRuns: RUNS, seed: SEED });
  });

  test('a role ARN for endpoint service permissions is refused exactly when it has a wildcard anywhere', () => {
    const roleName = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/).map(text => ({ text, wide: false })),
      wildName.filter(name => /[*?]/.test(name)).map(text => ({ text, wide: true })),
    );
    fc.assert(fc.property(partition, account, roleName, (p, a, name) => {
      const arn = `arn:${p.text}:iam::${a.text}:role/${name.text}`;
      const endpointService = service(true);
      const allow = () => endpointService.allowPrincipals(AllowedPrincipal.role(arn));
      if (a.wide || p.wide || name.wide) {
        const message = validationErrorOf(allow).message;
        expect(message).toContain(`'${arn}'`);
        expect(message).toMatch(/ \[at Stack\/Service\]$/);
      } else {
        expect(allow).not.toThrow();
        expect(endpointService.allowedPrincipalArns).toEqual([arn]);
      }
    }), { numRuns: RUNS, seed: SEED });
  });
});
