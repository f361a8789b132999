import { Resource, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { fail, isEndpointServiceId } from '../validation';

/** An endpoint service of this account and Region, known by its ID only. */
export class ImportedEndpointService extends Resource implements ec2.IVpcEndpointService {
  public readonly vpcEndpointServiceId: string;
  public readonly vpcEndpointServiceName: string;

  constructor(scope: Construct, id: string, serviceId: string) {
    super(scope, id);
    if (!Token.isUnresolved(serviceId) && !isEndpointServiceId(serviceId)) {
      fail(this, `Invalid endpoint service ID '${serviceId}': expected 'vpce-svc-' followed by 8 or 17 lowercase `
        + "hexadecimal characters, like 'vpce-svc-0123456789abcdef0'.");
    }
    this.vpcEndpointServiceId = serviceId;
    this.vpcEndpointServiceName = `${ec2.VpcEndpointService.DEFAULT_PREFIX}.${this.stack.region}.${serviceId}`;
  }

  public get vpcEndpointServiceRef(): ec2.VPCEndpointServiceReference {
    return { serviceId: this.vpcEndpointServiceId };
  }
}
