import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PrivateLinkValidationError } from '../src/validation';

/** A stack in a fresh app. */
export function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Stack', props);
}

/** An internal Network Load Balancer in a new VPC of `stack`. */
export function newNlb(stack: Stack, id = 'Nlb', ipAddressType?: elbv2.IpAddressType): elbv2.NetworkLoadBalancer {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, ipv6AssignAddressOnCreation: false }],
  });
  return new elbv2.NetworkLoadBalancer(stack, id, { vpc, ipAddressType });
}

/** A syntactically valid Gateway Load Balancer ARN. */
export function gwlbArn(name = 'inspection', account = '123456789012'): string {
  return `arn:aws:elasticloadbalancing:eu-west-1:${account}:loadbalancer/gwy/${name}/0123456789abcdef`;
}

/** The error `fn` throws, which must be a `PrivateLinkValidationError`. */
export function validationErrorOf(fn: () => unknown): PrivateLinkValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PrivateLinkValidationError);
    return error as PrivateLinkValidationError;
  }
  throw new Error('expected a PrivateLinkValidationError, but nothing was thrown');
}

/** The message of the synthesis error of `stack`'s app; fails the test if it synthesizes. */
export function synthError(stack: Stack): string {
  try {
    Template.fromStack(stack);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synthesis to fail');
}
