import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { InterfaceEndpoint, InterfaceEndpointOptions } from './interface-endpoint';
import { InterfaceEndpointAlarmsOptions } from '../observability';
import { vpcOnlySecurityGroup } from './vpc-only-security-group';
import { describe, fail, propName, validateList } from '../validation';

/** Properties of {@link AwsServiceEndpoints}. */
export interface AwsServiceEndpointsProps extends InterfaceEndpointOptions {
  /** The VPC of the endpoints. */
  readonly vpc: ec2.IVpc;

  /** The AWS services to create interface endpoints for; each once. */
  readonly services: ec2.InterfaceVpcEndpointAwsService[];
}

/**
 * Interface endpoints to several AWS services in one VPC, sharing one security group that
 * admits only the VPC's CIDR blocks (unless `securityGroups` is given). For example
 * `AwsServiceEndpoints.sessionManager()` lists what SSM Session Manager needs.
 */
export class AwsServiceEndpoints extends Construct {
  /** The services SSM Session Manager needs without internet access: ssm, ssmmessages and ec2messages. */
  public static sessionManager(): ec2.InterfaceVpcEndpointAwsService[] {
    return [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES];
  }

  /** The endpoints, in the order of `services`. */
  public readonly endpoints: InterfaceEndpoint[];
  /** The security group they share, unless `securityGroups` was given. */
  public readonly securityGroup?: ec2.ISecurityGroup;

  private readonly byService = new Map<string, InterfaceEndpoint>();

  constructor(scope: Construct, id: string, props: AwsServiceEndpointsProps) {
    super(scope, id);
    validateList(this, 'services', props.services ?? null, 'ec2.InterfaceVpcEndpointAwsService values');
    const wrong = props.services.find(service => !(service instanceof ec2.InterfaceVpcEndpointAwsService));
    if (wrong !== undefined) {
      fail(this, `${propName('services')} has ${describe(wrong)}: expected AWS services (ec2.InterfaceVpcEndpointAwsService); `
        + 'create an InterfaceEndpoint for a partner or private service.');
    }
    const names = props.services.map(service => service.shortName);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    if (props.services.length === 0) fail(this, `${propName('services')} is empty: expected at least one AWS service.`);
    if (repeated.length > 0) fail(this, `${propName('services')} lists ${[...new Set(repeated)].join(', ')} more than once: expected each service once.`);

    const others = names.filter(name => !['s3', 'dynamodb'].includes(name));
    if (props.privateDnsOnlyForInboundResolverEndpoint !== undefined && others.length > 0) {
      fail(this, `${propName('privateDnsOnlyForInboundResolverEndpoint')} applies to every endpoint here, but ${[...new Set(others)].join(', ')} `
        + `${others.length === 1 ? 'has' : 'have'} no gateway endpoints: expected it only for S3 and DynamoDB; give those their own InterfaceEndpoint.`);
    }

    const ports = props.ports ?? [...new Set(props.services.map(service => service.port))];
    if (!props.securityGroups) {
      this.securityGroup = vpcOnlySecurityGroup(this, 'SecurityGroup', props.vpc, ports, props.ipAddressType, props.allowedPeers);
    }
    this.endpoints = props.services.map((service, index) => new InterfaceEndpoint(this, endpointId(service), {
      ...props,
      service,
      ports,
      securityGroups: props.securityGroups ?? [this.securityGroup!],
      // The groups are shared: the first endpoint admits the extra peers for all.
      allowedPeers: index === 0 ? props.allowedPeers : undefined,
    }));
    props.services.forEach((service, index) => this.byService.set(service.shortName, this.endpoints[index]));
  }

  /**
   * Adds the recommended alarms of `InterfaceEndpoint.addAlarms()` to every endpoint, with the
   * same options. Returns all of them, endpoint by endpoint in the order of `services`; each
   * endpoint's `alarms` lists its own.
   */
  public addAlarms(options: InterfaceEndpointAlarmsOptions): cloudwatch.Alarm[] {
    return this.endpoints.flatMap(endpoint => endpoint.addAlarms(options));
  }

  /** The endpoint of one of the services. */
  public endpointFor(service: ec2.InterfaceVpcEndpointAwsService): InterfaceEndpoint {
    const endpoint = this.byService.get(service.shortName);
    if (!endpoint) fail(this, `No endpoint to ${service.shortName} here: expected one of ${[...this.byService.keys()].join(', ')}.`);
    return endpoint;
  }
}

function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return service.shortName.split(/[^a-zA-Z0-9]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
