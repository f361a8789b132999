import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { validatePartition } from './partition';

/** The load balancer types an endpoint service can run on, by their ARN segment. */
export enum LoadBalancerKind {
  NETWORK = 'net',
  GATEWAY = 'gwy',
}

const KIND_NAMES: Record<LoadBalancerKind, string> = {
  [LoadBalancerKind.NETWORK]: 'Network Load Balancer',
  [LoadBalancerKind.GATEWAY]: 'Gateway Load Balancer',
};

/** Fails unless `arn` is an unresolved token or the ARN of a load balancer of `kind`. */
export function validateLoadBalancerArn(scope: IConstruct, arn: string, kind: LoadBalancerKind): void {
  if (Token.isUnresolved(arn)) return;
  const pattern = new RegExp(`^arn:([a-z-]+):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/${kind}/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
  const match = pattern.exec(arn);
  if (!match) {
    fail(scope, `Invalid ${KIND_NAMES[kind]} ARN '${arn}': expected `
      + `'arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/${kind}/<name>/<16 hex id>'.`);
  }
  const [, partition, region, account] = match;
  validatePartition(scope, partition, arn);
  const stack = Stack.of(scope);
  for (const [what, actual, expected] of [['Region', region, stack.region], ['account', account, stack.account]]) {
    if (!Token.isUnresolved(expected) && actual !== expected) {
      fail(scope, `Invalid ${KIND_NAMES[kind]} ARN '${arn}': it is in ${what} '${actual}', `
        + `expected the endpoint service's ${what} '${expected}' (load balancers must be in the service's Region and account).`);
    }
  }
}
