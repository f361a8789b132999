import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** A VPC of two Availability Zones without internet access, whose rejected traffic is logged. */
export function isolatedVpc(scope: Construct, subnetName: string): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: subnetName, subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
  });
}
