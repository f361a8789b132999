/** The app, stack and VPC that the consumer tests build endpoints in. */
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export const env = { account: '111111111111', region: 'eu-west-1' };

/** An app without aws-cdk-lib's CloudFormation schema validation (where it has it), which these tests do not need. */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ builtinCloudFormationValidation: false, context } as object);
}

/** A stack of `app`, or of `scope` (a stage of it). */
export function newStack(app = newApp(), id = 'Consumer', scope: App | Stage = app): Stack {
  return new Stack(scope, id, { env });
}

/** A VPC with the block 10.0.0.0/16 and isolated subnets in two Availability Zones, unless `props` say otherwise. */
export function newVpc(scope: Construct, id = 'Vpc', props: Partial<ec2.VpcProps> = {}): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    ...props,
  });
}
