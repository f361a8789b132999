import { Annotations, IAspect, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { serviceShortName } from './endpoint-limits';
import { enumMemberName, propName } from '../validation';

/**
 * With private DNS only for the inbound Resolver endpoint, AWS creates the interface endpoint only
 * if the VPC has a gateway endpoint to the service. Before synthesis, this finds the gateway
 * endpoints to the service in the same VPC: one in the same stack is deployed first; without any
 * in the app, a warning says the VPC must have one already.
 */
export class GatewayEndpointFirst implements IAspect {
  constructor(private readonly endpoint: IConstruct, private readonly shortName: string) {}

  public visit(node: IConstruct): void {
    if (node !== this.endpoint) return;
    const stack = Stack.of(node);
    const cfn = node.node.findChild('Resource').node.defaultChild as ec2.CfnVPCEndpoint;
    const vpcId = cfn.vpcId;
    const gateways = node.node.root.node.findAll().filter((c): c is ec2.CfnVPCEndpoint =>
      c instanceof ec2.CfnVPCEndpoint && c.vpcEndpointType === ec2.VpcEndpointType.GATEWAY && this.sameService(c)
      && (c.vpcId === vpcId || (Stack.of(c) === stack && JSON.stringify(stack.resolve(c.vpcId)) === JSON.stringify(stack.resolve(vpcId)))));
    const local = gateways.filter(gateway => Stack.of(gateway) === stack);
    local.forEach(gateway => cfn.addDependency(gateway));
    if (gateways.length === 0) {
      Annotations.of(node).addWarningV2('cdk-privatelink:inboundResolverNeedsGatewayEndpoint',
        `${propName('privateDnsOnlyForInboundResolverEndpoint')} ${enumMemberName('VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint', 'ONLY_INBOUND_RESOLVER')} sends the VPC's own traffic to the VPC's gateway endpoint `
        + `to '${this.shortName}', and AWS refuses the interface endpoint without one, but this app has no gateway endpoint to '${this.shortName}' `
        + 'in this VPC. Add a GatewayEndpoint to the service, or acknowledge this warning if the VPC has one already.');
    }
  }

  private sameService(gateway: ec2.CfnVPCEndpoint): boolean {
    return serviceShortName(JSON.stringify(Stack.of(gateway).resolve(gateway.serviceName) ?? '')) === this.shortName;
  }
}
