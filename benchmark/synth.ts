/**
 * Synthesis cost of cdk-privatelink against plain aws-cdk-lib for the same resources: an
 * NLB-backed endpoint service with three allowed principals and a connection notification, and
 * a VPC with 30 interface endpoints (aws-cdk-lib's admitting the primary CIDR block).
 * Run with `npx projen bench:synth`; it prints the median time per app synth of each.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AllowedPrincipal, InterfaceEndpoint, PrivateEndpointService } from '../src';

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

const ENDPOINTS = 30;

function consumerVpc(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'Bench');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

function partner(i: number): ec2.InterfaceVpcEndpointService {
  return new ec2.InterfaceVpcEndpointService(`com.amazonaws.vpce.eu-west-1.vpce-svc-${i.toString(16).padStart(17, '0')}`);
}

function endpointsWithLibrary(): void {
  const { stack, vpc } = consumerVpc();
  for (let i = 0; i < ENDPOINTS; i++) new InterfaceEndpoint(stack, `E${i}`, { vpc, service: partner(i) });
  App.of(stack)!.synth();
}

function endpointsWithAwsCdkLib(): void {
  const { stack, vpc } = consumerVpc();
  for (let i = 0; i < ENDPOINTS; i++) new ec2.InterfaceVpcEndpoint(stack, `E${i}`, { vpc, service: partner(i) });
  App.of(stack)!.synth();
}

/** Warms up (module loading, JIT), then alternates so that both sides see the same machine. */
function compare(what: string, library: () => void, plain: () => void): void {
  for (let i = 0; i < 10; i++) { library(); plain(); }
  const libraryTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    libraryTimes.push(time(library));
    plainTimes.push(time(plain));
  }
  const ours = median(libraryTimes);
  const theirs = median(plainTimes);
  console.log(what);
  console.log(`  aws-cdk-lib only:  ${theirs.toFixed(2)} ms per app synth (median of ${ROUNDS})`);
  console.log(`  cdk-privatelink:   ${ours.toFixed(2)} ms per app synth (median of ${ROUNDS})`);
  console.log(`  ratio:             ${(ours / theirs).toFixed(2)}`);
}

compare('An endpoint service with three principals and a notification', withLibrary, withAwsCdkLib);
compare(`A VPC with ${ENDPOINTS} interface endpoints`, endpointsWithLibrary, endpointsWithAwsCdkLib);
