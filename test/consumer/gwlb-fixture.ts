import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GatewayLoadBalancerEndpoint, GatewayLoadBalancerEndpointProps, GatewayLoadBalancerService } from '../../src';

export const NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
export const SERVICE = GatewayLoadBalancerService.fromServiceName(NAME);
export const env = { account: '123456789012', region: 'eu-west-1' };

export interface Setup {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
}

/**
 * VPC 10.0.0.0/16, two zones: `endpoint` (public, 10.0.0.0/28 and 10.0.0.16/28: default route to the internet gateway)
 * and `app` (isolated, 10.0.1.0/24 and 10.0.2.0/24: no default route).
 */
export function setup(ipProtocol = ec2.IpProtocol.IPV4_ONLY, region = env.region): Setup {
  const app = new App({ builtinCloudFormationValidation: false } as object);
  const stack = new Stack(app, 'Consumer', { env: { ...env, region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    ipProtocol,
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'endpoint', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28 },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  return { app, stack, vpc };
}

export function inZone(vpc: ec2.IVpc, group: string, zone: number): ec2.SubnetSelection {
  return { subnetGroupName: group, availabilityZones: [vpc.availabilityZones[zone]] };
}

export function endpoint(s: Setup, props: Partial<GatewayLoadBalancerEndpointProps> = {}, id = 'Inspection', zone = 0): GatewayLoadBalancerEndpoint {
  return new GatewayLoadBalancerEndpoint(s.stack, id, { vpc: s.vpc, service: SERVICE, subnets: inZone(s.vpc, 'endpoint', zone), ...props });
}
