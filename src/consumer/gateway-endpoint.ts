import { Aws, Lazy, Resource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EndpointLimits } from './endpoint-limits';
import { EndpointPolicyDefault, defaultWithStatements, startPerimeter } from './endpoint-policy-default';
import { validateIpAddressTypes } from './ip-address-types';
import { enumMemberName, methodName, propName } from '../validation/caller-names';
import { validateEndpointIds } from '../validation/endpoint-id';
import { validateEndpointPolicyAtSynth, validateEndpointPolicyStatement } from '../validation/endpoint-policy';
import { EnumType, describe, validateEnumValue, validateList } from '../validation/enum-value';
import { fail } from '../validation/errors';
import { literalShape } from '../validation/literal-shape';
import { partitionOf } from '../validation/partition';
import { principalArnPatternProblem, validatePrincipalArnPattern } from '../validation/principal-arn';
import { validateRouteTableId } from '../validation/route-table-id';

const IP_ADDRESS_TYPE: EnumType<ec2.VpcEndpointIpAddressType> = { name: 'VpcEndpointIpAddressType', members: { ...ec2.VpcEndpointIpAddressType } };
const DNS_RECORD_IP_TYPE: EnumType<ec2.VpcEndpointDnsRecordIpType> = {
  name: 'VpcEndpointDnsRecordIpType', members: { ...ec2.VpcEndpointDnsRecordIpType },
};

/** The gateway endpoint services, by the last part of their name, with the members that name them. */
const GATEWAY_SERVICES: Record<string, string> = { s3: 'S3', dynamodb: 'DYNAMODB', s3express: 'S3_EXPRESS' };

/** Properties of a {@link GatewayEndpoint}. */
export interface GatewayEndpointProps {
  /** The VPC of the endpoint. */
  readonly vpc: ec2.IVpc;

  /**
   * The service: `GatewayVpcEndpointAwsService.S3`, `GatewayVpcEndpointAwsService.DYNAMODB` or
   * `GatewayVpcEndpointAwsService.S3_EXPRESS` (S3 Express One Zone directory buckets, whose
   * Regional and Zonal endpoints are reached only through a gateway endpoint).
   */
  readonly service: ec2.GatewayVpcEndpointAwsService;

  /**
   * The subnets whose route tables get a route to the service. Give these or
   * `routeTableIds`, not both.
   * @default - the route tables of all private, public and isolated subnets of the VPC
   */
  readonly subnets?: ec2.SubnetSelection[];

  /**
   * The route tables that get a route to the service. Give these or `subnets`, not both.
   * @default - the route tables of `subnets`
   */
  readonly routeTableIds?: string[];

  /**
   * The endpoint policy, added to the statements of `defaultPolicy`. Every statement must have
   * Principal `*`; narrow it with conditions, for example with `GatewayEndpointPolicy`. More can
   * be added with `addToPolicy()`.
   * @default - none
   */
  readonly policyStatements?: iam.PolicyStatement[];

  /**
   * The statements the endpoint policy starts with, such as a data perimeter:
   * `EndpointPolicyDefault.sameOrganization('o-a1b2c3d4e5')` allows only principals of the
   * organization to reach resources of the organization (and AWS service principals). With a
   * resource perimeter, an S3 endpoint no longer reaches AWS-owned buckets (Amazon Linux
   * repositories, the ECR layer bucket): allow those with statements of your own.
   * @default EndpointPolicyDefault.awsDefault() - no statements: without `policyStatements` the
   * endpoint has no policy, which AWS treats as full access
   */
  readonly defaultPolicy?: EndpointPolicyDefault;

  /**
   * The IP addresses the endpoint routes: `IPV4`, or `DUALSTACK` for IPv4 and IPv6 traffic to the
   * service (the route tables get the service's IPv6 prefix list too). The service must support
   * IPv6 through gateway endpoints in the Region.
   * @default - not set: AWS's default, IPv4
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * The DNS records the service's names resolve to through the endpoint. IPv4 needs an IPv4 or
   * dualstack endpoint, IPv6 an IPv6 or dualstack one, dualstack and service-defined a dualstack one.
   * @default - not set: AWS's default for the IP address type
   */
  readonly dnsRecordIpType?: ec2.VpcEndpointDnsRecordIpType;
}

/** Options of {@link GatewayEndpoint.bucketPolicyStatements}. */
export interface GatewayEndpointBucketPolicyOptions {
  /**
   * ARNs of principals (wildcards in the path and name only) that keep access to the bucket from outside the
   * endpoint, such as an administrator or deployment role.
   * @default - none: every request that does not come through the endpoint is denied
   */
  readonly exemptPrincipalArns?: string[];
}

/**
 * A gateway VPC endpoint for Amazon S3, Amazon DynamoDB or S3 Express One Zone, with routes in the chosen route
 * tables and an endpoint policy whose statements are checked to use Principal `*`. AWS
 * PrivateLink publishes no CloudWatch metrics for gateway endpoints, so this class has no metric
 * or alarm methods (interface endpoints have them).
 */
export class GatewayEndpoint extends Resource implements ec2.IGatewayVpcEndpoint {
  /**
   * An existing gateway endpoint, by ID (aws-cdk-lib's `GatewayVpcEndpoint.fromGatewayVpcEndpointId()`,
   * with the ID checked): `vpce-` and 8 or 17 lowercase hexadecimal characters, or a token.
   */
  public static fromGatewayEndpointId(scope: Construct, id: string, gatewayEndpointId: string): ec2.IGatewayVpcEndpoint {
    const imported = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(scope, id, gatewayEndpointId);
    validateEndpointIds(imported, [gatewayEndpointId]);
    return imported;
  }

  /** The ID of the endpoint, like `vpce-0123456789abcdef0`. */
  public readonly vpcEndpointId: string;
  /** The route tables that route to the service through this endpoint, each once. */
  public readonly routeTableIds: string[];

  private readonly serviceName: string;
  private readonly serviceKey: string;
  private readonly policyDocument = new iam.PolicyDocument();
  private addedToPerimeter?: iam.PolicyStatement[];

  constructor(scope: Construct, id: string, props: GatewayEndpointProps) {
    super(scope, id);
    this.serviceName = props.service.name;
    this.serviceKey = this.checkService();
    this.routeTableIds = this.selectRouteTables(props);
    const ipAddressType = props.ipAddressType === undefined ? undefined : validateEnumValue(this, 'ipAddressType', props.ipAddressType, IP_ADDRESS_TYPE);
    const dnsRecordIpType = props.dnsRecordIpType === undefined ? undefined
      : validateEnumValue(this, 'dnsRecordIpType', props.dnsRecordIpType, DNS_RECORD_IP_TYPE);
    // A gateway endpoint has no subnets of its own: only the two types are checked against each other.
    validateIpAddressTypes(this, [], ipAddressType, dnsRecordIpType);

    const endpoint = new ec2.CfnVPCEndpoint(this, 'Resource', {
      vpcEndpointType: ec2.VpcEndpointType.GATEWAY,
      serviceName: this.serviceName,
      vpcId: props.vpc.vpcId,
      routeTableIds: this.routeTableIds,
      policyDocument: Lazy.any({ produce: () => this.policyDocument.isEmpty ? undefined : this.policyDocument }),
      ipAddressType,
      dnsOptions: dnsRecordIpType === undefined ? undefined : { dnsRecordIpType },
    });
    this.vpcEndpointId = endpoint.ref;

    const perimeter = defaultWithStatements(this, props.defaultPolicy);
    if (perimeter) this.addedToPerimeter = startPerimeter(this, perimeter, statement => this.addToPolicy(statement));
    validateList(this, 'policyStatements', props.policyStatements, 'iam.PolicyStatement values');
    for (const statement of props.policyStatements ?? []) this.addToPolicy(statement);
    validateEndpointPolicyAtSynth(this, this.policyDocument, 'gateway');
    EndpointLimits.of(this);
  }

  /** A reference to this endpoint. */
  public get vpcEndpointRef(): ec2.VPCEndpointReference {
    return { vpcEndpointId: this.vpcEndpointId };
  }

  /**
   * Adds a statement to the endpoint policy. It must have Principal `*` (AWS requires it for
   * gateway endpoints); narrow it with conditions, for example with `GatewayEndpointPolicy`.
   */
  public addToPolicy(statement: iam.PolicyStatement): void {
    validateEndpointPolicyStatement(this, statement, 'gateway');
    this.addedToPerimeter?.push(statement);
    this.policyDocument.addStatements(statement);
  }

  /**
   * Statements for the bucket policy of `bucket` that deny every request to the bucket and its
   * objects that does not come through this endpoint (`aws:SourceVpce`). Add them with
   * `bucket.addToResourcePolicy()`. Only for an S3 endpoint.
   *
   * This also locks out the console, administrators and deployment tools unless they go
   * through the endpoint, or their principal ARN is in `exemptPrincipalArns`. Exempt the
   * CloudFormation execution role (with the CDK bootstrap, `arn:aws:iam::<account>:role/cdk-*-cfn-exec-role-*`),
   * or the next deployment cannot change or delete the bucket policy. Service principals
   * (replication, log delivery) have no principal ARN and cannot be exempted this way. A
   * gateway endpoint reaches buckets of its own Region only. The statement allows one
   * endpoint: for a bucket reached through several endpoints, write the condition yourself.
   *
   * Each exempt principal ARN is checked like those of `GatewayEndpointPolicy.forPrincipalArns()`:
   * an IAM role, user or root user, or an STS federated user, in the stack's partition, with all six
   * components and wildcards only in the path and name (the account is 12 digits or a token). A
   * wildcard in the account would exempt principals of every account, so the Deny would not apply.
   */
  public bucketPolicyStatements(bucket: s3.IBucket, options: GatewayEndpointBucketPolicyOptions = {}): iam.PolicyStatement[] {
    if (!this.isS3()) {
      const what = this.serviceKey === 's3express' ? 'an S3 Express One Zone' : 'a DynamoDB';
      fail(this, `${methodName('bucketPolicyStatements')} is called on ${what} gateway endpoint: expected an S3 gateway endpoint `
        + `(${enumMemberName('GatewayVpcEndpointAwsService', 'S3')}), for a general purpose bucket.`);
    }
    const given = options.exemptPrincipalArns ?? [];
    if (!Array.isArray(given)) fail(this, `${propName('exemptPrincipalArns')} is ${describe(given)}: expected a list of principal ARNs.`);
    const exempt = [...new Set(given)];
    const check = { what: 'exempt principal ARN', where: `${propName('exemptPrincipalArns')} of ${methodName('bucketPolicyStatements')}` };
    for (const arn of exempt) validatePrincipalArnPattern(this, arn, check);
    // Again at synthesis, as the template will have them: tokens (Fn.join, Lazy) may hide a wildcard.
    this.node.addValidation({
      validate: () => exempt.flatMap(arn =>
        principalArnPatternProblem(literalShape(this, arn) ?? arn, { ...check, partition: partitionOf(this) }) ?? []),
    });
    return [new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': this.vpcEndpointId },
        ...exempt.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': exempt } } : {},
      },
    })];
  }

  private isS3(): boolean {
    return this.serviceKey === 's3';
  }

  /** The service's key in GATEWAY_SERVICES; any other service is refused. */
  private checkService(): string {
    const key = Object.keys(GATEWAY_SERVICES).find(name => this.serviceName === new ec2.GatewayVpcEndpointAwsService(name).name);
    if (key === undefined) {
      const members = Object.values(GATEWAY_SERVICES).map(member => enumMemberName('GatewayVpcEndpointAwsService', member));
      fail(this, `Unsupported gateway endpoint service '${this.serviceName.split(Aws.REGION).join('<region>')}': `
        + `expected ${members.slice(0, -1).join(', ')} or ${members[members.length - 1]}.`);
    }
    return key;
  }

  private selectRouteTables(props: GatewayEndpointProps): string[] {
    if (props.subnets && props.routeTableIds) {
      fail(this, `Both ${propName('subnets')} and ${propName('routeTableIds')} are given: expected one of them, not both.`);
    }
    validateList(this, 'routeTableIds', props.routeTableIds, "route table IDs like 'rtb-0123456789abcdef0'");
    props.routeTableIds?.forEach(id => validateRouteTableId(this, id));
    let ids = props.routeTableIds;
    if (!ids) {
      const vpc = props.vpc;
      const subnets = props.subnets
        ? props.subnets.flatMap(selection => vpc.selectSubnets(selection).subnets)
        : [...vpc.privateSubnets, ...vpc.publicSubnets, ...vpc.isolatedSubnets];
      ids = subnets.flatMap(subnet => subnet.routeTable?.routeTableId ?? []);
    }
    if (ids.length === 0) {
      fail(this, `No route table found in ${props.routeTableIds ? propName('routeTableIds') : 'the selected subnets'}: `
        + 'expected at least one route table to route to the service.');
    }
    return [...new Set(ids)];
  }
}
