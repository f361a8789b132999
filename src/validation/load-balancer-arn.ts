import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

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
  const pattern = new RegExp(`^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/${kind}/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
  if (!pattern.test(arn)) {
    fail(scope, `Invalid ${KIND_NAMES[kind]} ARN '${arn}': expected `
      + `'arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/${kind}/<name>/<16 hex id>'.`);
  }
}
