import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { describe, enumMemberName, fail, methodName, propName } from '../validation';
import { validateRegion } from '../validation/region';

/**
 * `com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 hex>`: an endpoint service, named by its Region and ID;
 * in the China Regions `cn.com.amazonaws.vpce.<region>.vpce-svc-...`.
 */
const SERVICE_NAME = /^(cn\.)?com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * The endpoint service a `GatewayLoadBalancerEndpoint` connects to: a service on Gateway Load
 * Balancers, by name or as a construct of the app.
 */
export class GatewayLoadBalancerService {
  /**
   * A service by the name its provider hands over, `com.amazonaws.vpce.<region>.vpce-svc-...`
   * (`cn.com.amazonaws.vpce.<region>.vpce-svc-...` in the China Regions). The name is checked when
   * an endpoint uses it; a token is taken as it is.
   */
  public static fromServiceName(serviceName: string): GatewayLoadBalancerService {
    return new GatewayLoadBalancerService(serviceName, undefined, false);
  }

  /**
   * A service of this app, such as a `PrivateEndpointService` with `gatewayLoadBalancerArns`.
   * A service on Network Load Balancers (aws-cdk-lib's `VpcEndpointService`, or a
   * `PrivateEndpointService` with `networkLoadBalancers`) is refused when an endpoint uses it.
   */
  public static fromEndpointService(endpointService: ec2.IVpcEndpointService): GatewayLoadBalancerService {
    const name = (endpointService as Partial<ec2.IVpcEndpointService> | undefined)?.vpcEndpointServiceName;
    return new GatewayLoadBalancerService(name, endpointService, true);
  }

  /** The service name, `com.amazonaws.vpce.<region>.vpce-svc-...` (a token for a service of the app). */
  public readonly serviceName: string;
  private readonly endpointService?: ec2.IVpcEndpointService;
  private readonly fromService: boolean;

  private constructor(serviceName: string | undefined, endpointService: ec2.IVpcEndpointService | undefined, fromService: boolean) {
    this.serviceName = serviceName as string;
    this.endpointService = endpointService;
    this.fromService = fromService;
  }

  /**
   * Fails when an endpoint at `scope`, of `ipAddressType`, cannot connect to this service.
   * @internal
   */
  public _validate(scope: IConstruct, ipAddressType: ec2.VpcEndpointIpAddressType): void {
    if (this.fromService) {
      this.validateEndpointService(scope, ipAddressType);
      return;
    }
    const name: unknown = this.serviceName;
    if (typeof name !== 'string') {
      fail(scope, `Invalid service name ${describe(name)}: expected a string like 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0'.`);
    }
    if (Token.isUnresolved(name)) return;
    const match = SERVICE_NAME.exec(name);
    if (!match) {
      fail(scope, `Invalid service name '${name}': expected the name of a Gateway Load Balancer endpoint service, `
        + "'com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 lowercase hex>' ('cn.com.amazonaws.vpce.<region>.vpce-svc-...' in the China Regions).");
    }
    const [, china, serviceRegion] = match;
    const region = Stack.of(scope).region;
    if (!Token.isUnresolved(region) && serviceRegion !== region) {
      fail(scope, `Service '${name}' is in ${serviceRegion}, not in the stack's Region ${region}: expected a service of ${region}, `
        + 'as a Gateway Load Balancer endpoint must be in an Availability Zone of its Gateway Load Balancer.');
    }
    validateRegion(scope, serviceRegion, `Region of service name '${name}'`);
    if ((china !== undefined) !== serviceRegion.startsWith('cn-')) {
      fail(scope, `Invalid service name '${name}': expected ${china ? 'no' : 'the'} 'cn.' prefix for a service in ${serviceRegion}, `
        + 'as endpoint services are named \'cn.com.amazonaws.vpce.<region>.vpce-svc-...\' in the China Regions and \'com.amazonaws.vpce.<region>.vpce-svc-...\' elsewhere.');
    }
  }

  private validateEndpointService(scope: IConstruct, ipAddressType: ec2.VpcEndpointIpAddressType): void {
    const service = this.endpointService;
    if (typeof this.serviceName !== 'string' || !service?.node) {
      fail(scope, `${methodName('fromEndpointService', 'GatewayLoadBalancerService')} got ${describe(service)}: expected an `
        + 'ec2.IVpcEndpointService, such as a PrivateEndpointService with gatewayLoadBalancerArns.');
    }
    const resource = serviceResource(service);
    if (!resource) return;
    const stack = Stack.of(resource);
    const nlbs: unknown = stack.resolve(resource.networkLoadBalancerArns);
    if (nlbs !== undefined && !(Array.isArray(nlbs) && nlbs.length === 0)) {
      fail(scope, `Endpoint service ${service.node.path} is on Network Load Balancers: expected a service on Gateway Load Balancers `
        + `(a PrivateEndpointService with ${propName('gatewayLoadBalancerArns')}). Reach a service on Network Load Balancers with an InterfaceEndpoint.`);
    }
    if (ipAddressType !== ec2.VpcEndpointIpAddressType.DUALSTACK) return;
    const types: unknown = stack.resolve(resource.supportedIpAddressTypes) ?? [ec2.IpAddressType.IPV4];
    if (Array.isArray(types) && types.every(type => typeof type === 'string') && !types.includes(ec2.IpAddressType.IPV6)) {
      fail(scope, `${propName('ipAddressType')} dualstack needs a service that supports IPv6, but endpoint service ${service.node.path} supports `
        + `${types.join(', ') || 'no IP address type'}: expected ${enumMemberName('IpAddressType', 'IPV6')} in its ${propName('supportedIpAddressTypes')}, `
        + `or ${propName('ipAddressType')} ${enumMemberName('VpcEndpointIpAddressType', 'IPV4')}.`);
    }
  }
}

/** The `AWS::EC2::VPCEndpointService` of a service made in the app: aws-cdk-lib's L2 names it after the construct, not `Resource`. */
function serviceResource(service: ec2.IVpcEndpointService): ec2.CfnVPCEndpointService | undefined {
  const child = service.node.defaultChild;
  if (child instanceof ec2.CfnVPCEndpointService) return child;
  return service.node.children.find((c): c is ec2.CfnVPCEndpointService => c instanceof ec2.CfnVPCEndpointService);
}
