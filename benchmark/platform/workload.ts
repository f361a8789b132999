/** The platform-scale workload that both apps build: the same counts, names and environment. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

export const SERVICES = 3;
export const PRINCIPALS_PER_SERVICE = 100;
export const ENDPOINT_IDS_PER_SERVICE = 200;
export const INTERFACE_ENDPOINTS = 50;
/** The service (by index) that gets a private DNS name. */
export const PRIVATE_DNS_SERVICE = 0;
export const PRIVATE_DNS_NAME = 'api.platform.example.com';
export const STACK_NAMES = ['Provider', 'Consumer', 'WorkloadAccess'] as const;

const ENV = { account: '123456789012', region: 'eu-west-1' };
const AZS = ['eu-west-1a', 'eu-west-1b'];

export const CA_PEM = readFileSync(join(__dirname, '..', '..', 'examples', 'workload-ca.pem'), 'utf8');

/** The app of one synthesis; `validation` is passed as aws-cdk-lib's `builtinCloudFormationValidation`. */
export function platformApp(outdir: string, validation: boolean): App {
  return new App({ outdir, builtinCloudFormationValidation: validation } as object);
}

export function platformStack(app: App, name: typeof STACK_NAMES[number]): Stack {
  return new Stack(app, name, { env: ENV });
}

export function platformVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: AZS,
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

export function serviceLoadBalancer(stack: Stack, vpc: ec2.IVpc, index: number): elbv2.NetworkLoadBalancer {
  return new elbv2.NetworkLoadBalancer(stack, `Nlb${index}`, { vpc, internetFacing: false });
}

export function consumerAccount(service: number, principal: number): string {
  return String(100000000000 + service * 1000 + principal);
}

export function approvedEndpointId(service: number, endpoint: number): string {
  return `vpce-${(service * 100000 + endpoint).toString(16).padStart(17, '0')}`;
}

export function partnerServiceName(index: number): string {
  return `com.amazonaws.vpce.eu-west-1.vpce-svc-${index.toString(16).padStart(17, '0')}`;
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
