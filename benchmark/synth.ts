/**
 * Synthesis cost of cdk-privatelink against plain aws-cdk-lib for the same endpoint service:
 * an NLB-backed service with three allowed principals and a connection notification.
 * Run with `npx projen bench:synth`; it prints the median time per app synth of each.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AllowedPrincipal, PrivateEndpointService } from '../src';

const ROUNDS = 40;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

function baseStack(): { stack: Stack; nlb: elbv2.INetworkLoadBalancer } {
  const stack = new Stack(new App(), 'Bench');
  const nlb = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123456789abcdef',
  });
  return { stack, nlb };
}

function withLibrary(): void {
  const { stack, nlb } = baseStack();
  const service = new PrivateEndpointService(stack, 'Service', {
    networkLoadBalancers: [nlb],
    allowedPrincipals: ACCOUNTS.map(id => AllowedPrincipal.account(id)),
  });
  service.addConnectionNotification('Notify', { topic: new sns.Topic(stack, 'Topic') });
  App.of(stack)!.synth();
}

function withAwsCdkLib(): void {
  const { stack, nlb } = baseStack();
  const service = new ec2.VpcEndpointService(stack, 'Service', {
    vpcEndpointServiceLoadBalancers: [nlb],
    allowedPrincipals: ACCOUNTS.map(id => new iam.ArnPrincipal(`arn:${stack.partition}:iam::${id}:root`)),
  });
  const topic = new sns.Topic(stack, 'Topic');
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('vpce.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
  }));
  new ec2.CfnVPCEndpointConnectionNotification(stack, 'Notify', {
    connectionNotificationArn: topic.topicArn,
    connectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
    serviceId: service.vpcEndpointServiceId,
  });
  App.of(stack)!.synth();
}

function time(build: () => void): number {
  const start = process.hrtime.bigint();
  build();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

// Warm up (module loading, JIT), then alternate so that both sides see the same machine.
for (let i = 0; i < 10; i++) { withLibrary(); withAwsCdkLib(); }
const libraryTimes: number[] = [];
const plainTimes: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  libraryTimes.push(time(withLibrary));
  plainTimes.push(time(withAwsCdkLib));
}
const library = median(libraryTimes);
const plain = median(plainTimes);
console.log(`aws-cdk-lib only:  ${plain.toFixed(2)} ms per app synth (median of ${ROUNDS})`);
console.log(`cdk-privatelink:   ${library.toFixed(2)} ms per app synth (median of ${ROUNDS})`);
console.log(`ratio:             ${(library / plain).toFixed(2)}`);
