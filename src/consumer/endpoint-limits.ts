import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { describe, fail, propName } from '../validation';

/** The default quota of interface endpoints per VPC; it can be raised with AWS. */
export const INTERFACE_ENDPOINTS_PER_VPC = 50;
/** The quota of gateway endpoints per VPC. */
export const GATEWAY_ENDPOINTS_PER_VPC = 255;
/** Context key that raises the interface endpoint bound for every VPC of the app. */
export const INTERFACE_QUOTA_CONTEXT = 'cdk-privatelink:interfaceEndpointsPerVpc';

const ID = 'CdkPrivateLinkEndpointLimits';

/**
 * Checks, when the stack is synthesized, the endpoint quotas of every VPC the stack adds
 * endpoints to: interface and Gateway Load Balancer endpoints (50 unless raised), gateway
 * endpoints (255), and one gateway endpoint per service on a route table. It counts every
 * `AWS::EC2::VPCEndpoint` of the stack, also those made with aws-cdk-lib directly; endpoints
 * of the same VPC in other stacks, or made outside CloudFormation, are not seen.
 */
export class EndpointLimits extends Construct {
  /** The stack's checker, created on first use. */
  public static of(scope: IConstruct): EndpointLimits {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as EndpointLimits | undefined) ?? new EndpointLimits(stack, ID);
  }

  private readonly raisedQuotas = new Map<string, number>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.check() });
  }

  /** Raises the interface endpoint bound for one VPC (a quota increase granted by AWS). */
  public raiseInterfaceQuota(vpc: ec2.IVpc, quota: number): void {
    validateInterfaceQuota(this, quota);
    const key = this.key(vpc.vpcId);
    this.raisedQuotas.set(key, Math.max(quota, this.raisedQuotas.get(key) ?? 0));
  }

  private check(): string[] {
    const stack = Stack.of(this);
    const contextValue = this.node.tryGetContext(INTERFACE_QUOTA_CONTEXT) ?? INTERFACE_ENDPOINTS_PER_VPC;
    const contextQuota = Number(contextValue);
    if (!isQuota(contextQuota)) {
      return [`Context '${INTERFACE_QUOTA_CONTEXT}' is ${JSON.stringify(contextValue)}: expected a whole number of 1 or more.`];
    }
    const byVpc = new Map<string, { interfaces: number; gateways: number; routes: Map<string, string[]> }>();
    for (const endpoint of stack.node.findAll().filter((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint)) {
      const vpc = this.key(endpoint.vpcId);
      const counts = byVpc.get(vpc) ?? { interfaces: 0, gateways: 0, routes: new Map() };
      byVpc.set(vpc, counts);
      const type = stack.resolve(endpoint.vpcEndpointType) ?? ec2.VpcEndpointType.GATEWAY;
      // One quota covers interface and Gateway Load Balancer endpoints.
      if (type === ec2.VpcEndpointType.INTERFACE || type === ec2.VpcEndpointType.GATEWAYLOADBALANCER) counts.interfaces++;
      if (type !== ec2.VpcEndpointType.GATEWAY) continue;
      counts.gateways++;
      const service = serviceShortName(JSON.stringify(stack.resolve(endpoint.serviceName ?? '')));
      const routeTables: unknown = stack.resolve(endpoint.routeTableIds) ?? [];
      for (const routeTable of Array.isArray(routeTables) ? routeTables : []) {
        const route = `${service} on route table ${JSON.stringify(routeTable)}`;
        counts.routes.set(route, [...counts.routes.get(route) ?? [], endpoint.node.path]);
      }
    }

    const errors: string[] = [];
    for (const [vpc, counts] of byVpc) {
      const quota = Math.max(contextQuota, this.raisedQuotas.get(vpc) ?? 0);
      if (counts.interfaces > quota) {
        errors.push(`VPC ${vpc} gets ${counts.interfaces} interface and Gateway Load Balancer endpoints in this stack: `
          + `expected at most ${quota}, the quota per VPC. `
          + `After AWS raised it, set the context '${INTERFACE_QUOTA_CONTEXT}' or the interfaceEndpointsQuota prop.`);
      }
      if (counts.gateways > GATEWAY_ENDPOINTS_PER_VPC) {
        errors.push(`VPC ${vpc} gets ${counts.gateways} gateway endpoints in this stack: expected at most ${GATEWAY_ENDPOINTS_PER_VPC}.`);
      }
      for (const [route, paths] of counts.routes) {
        if (paths.length > 1) {
          errors.push(`Two gateway endpoints of ${route}: ${paths.join(', ')}. Expected one gateway endpoint per service `
            + 'and route table; give the endpoints different subnets or route tables.');
        }
      }
    }
    return errors;
  }

  private key(value: string): string {
    return Token.isUnresolved(value) ? JSON.stringify(Stack.of(this).resolve(value)) : value;
  }
}

/** Fails unless `quota` is a literal whole number of 1 or more. */
export function validateInterfaceQuota(scope: IConstruct, quota: unknown): void {
  const prop = propName('interfaceEndpointsQuota');
  if (typeof quota === 'number' && Token.isUnresolved(quota)) {
    fail(scope, `${prop} is a token (such as a CfnParameter's value): expected a literal whole number of 1 or more, `
      + 'because the quota is checked when the app is synthesized.');
  }
  if (typeof quota !== 'number' || !isQuota(quota)) fail(scope, `${prop} ${describe(quota)} is invalid: expected a whole number of 1 or more.`);
}

function isQuota(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}

/** `s3` of `com.amazonaws.<region>.s3`, whether the name is literal or a join with the Region. */
export function serviceShortName(resolved: string): string {
  return /([a-z0-9-]+)"(?:\]\]\})?$/.exec(resolved)?.[1] ?? resolved;
}
