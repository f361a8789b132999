import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ec2Arn } from '../ec2-arn';
import { acknowledgeRule, fail, validatePrivateDnsName, withoutWildcard } from '../validation';

/** Properties of an {@link EndpointServicePrivateDnsName}. */
export interface EndpointServicePrivateDnsNameProps {
  /** The endpoint service that gets the name. */
  readonly endpointService: ec2.IVpcEndpointService;

  /**
   * The private DNS name, such as `api.example.com` or `*.example.com`: lowercase, labels
   * up to 63 characters, at most 255 characters, a wildcard only as the first label; not a
   * public suffix of the Public Suffix List, and no wildcard directly under one.
   */
  readonly privateDnsName: string;

  /**
   * The Route 53 public hosted zone that holds `privateDnsName` (the zone of the name or
   * of a parent domain). With it, the verification TXT record is created in the zone and
   * verification is started; without it, the record's name and value are stack outputs.
   * @default - the verification record is given as outputs
   */
  readonly publicHostedZone?: route53.IPublicHostedZone;
}

/**
 * Sets a private DNS name on an endpoint service and gets its domain ownership verified:
 * with a public hosted zone the TXT record is created and verification started, otherwise
 * the record's name and value are stack outputs.
 *
 * CloudFormation has no property for this, so it is done with `AwsCustomResource` calls
 * (`ModifyVpcEndpointServiceConfiguration`, `DescribeVpcEndpointServiceConfigurations`,
 * `StartVpcEndpointServicePrivateDnsVerification`) scoped to this service.
 */
export class EndpointServicePrivateDnsName extends Construct {
  /** The private DNS name. */
  public readonly privateDnsName: string;
  /** The name of the TXT record that proves domain ownership (a label like `_abc123`). */
  public readonly verificationRecordName: string;
  /** The value of the TXT record that proves domain ownership. */
  public readonly verificationRecordValue: string;

  constructor(scope: Construct, id: string, props: EndpointServicePrivateDnsNameProps) {
    super(scope, id);
    validatePrivateDnsName(this, props.privateDnsName);
    const zone = props.publicHostedZone;
    const zoneName = zone && knownZoneName(zone);
    if (zoneName) checkNameInZone(this, props.privateDnsName, zoneName);
    this.privateDnsName = props.privateDnsName;

    const serviceId = props.endpointService.vpcEndpointServiceId;
    const serviceArn = ec2Arn(this, 'vpc-endpoint-service', serviceId);

    const setName = this.sdkCall('SetName', {
      onUpdate: {
        service: 'EC2',
        action: 'modifyVpcEndpointServiceConfiguration',
        parameters: { ServiceId: serviceId, PrivateDnsName: props.privateDnsName },
        physicalResourceId: cr.PhysicalResourceId.of(`${serviceId}-private-dns-name`),
      },
      onDelete: {
        service: 'EC2',
        action: 'modifyVpcEndpointServiceConfiguration',
        parameters: { ServiceId: serviceId, RemovePrivateDnsName: true },
        ignoreErrorCodesMatching: 'InvalidVpcEndpointServiceId\\.NotFound',
      },
    }, [new iam.PolicyStatement({ actions: ['ec2:ModifyVpcEndpointServiceConfiguration'], resources: [serviceArn] })]);

    const recordPath = 'ServiceConfigurations.0.PrivateDnsNameConfiguration';
    const readRecord = this.sdkCall('ReadVerificationRecord', {
      onUpdate: {
        service: 'EC2',
        action: 'describeVpcEndpointServiceConfigurations',
        parameters: { ServiceIds: [serviceId] },
        // A new name gives a new physical ID, so the new record is read.
        physicalResourceId: cr.PhysicalResourceId.of(`${serviceId}-${props.privateDnsName}`),
        outputPaths: [`${recordPath}.Name`, `${recordPath}.Value`],
      },
    }, [new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointServiceConfigurations'], resources: ['*'] })]);
    readRecord.node.addDependency(setName);
    acknowledgeRule(readRecord, 'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeVpcEndpointServiceConfigurations supports no resource-level permissions; it only reads.');

    this.verificationRecordName = readRecord.getResponseField(`${recordPath}.Name`);
    this.verificationRecordValue = readRecord.getResponseField(`${recordPath}.Value`);

    if (!zone) {
      new CfnOutput(this, 'VerificationRecordName', {
        value: `${this.verificationRecordName}.${withoutWildcard(props.privateDnsName)}`,
        description: `Name of the TXT record that verifies ownership of ${props.privateDnsName}`,
      });
      new CfnOutput(this, 'VerificationRecordValue', {
        value: this.verificationRecordValue,
        description: `Value of the TXT record that verifies ownership of ${props.privateDnsName}`,
      });
      return;
    }

    const record = new route53.TxtRecord(this, 'VerificationRecord', {
      zone,
      // Fully qualified, so that a zone imported by ID alone works too.
      recordName: `${this.verificationRecordName}.${withoutWildcard(props.privateDnsName)}.`,
      values: [this.verificationRecordValue],
    });
    const verify = this.sdkCall('StartVerification', {
      onUpdate: {
        service: 'EC2',
        action: 'startVpcEndpointServicePrivateDnsVerification',
        parameters: { ServiceId: serviceId },
        physicalResourceId: cr.PhysicalResourceId.of(`${serviceId}-${props.privateDnsName}-verification`),
      },
    }, [new iam.PolicyStatement({ actions: ['ec2:StartVpcEndpointServicePrivateDnsVerification'], resources: [serviceArn] })]);
    verify.node.addDependency(record);
  }

  private sdkCall(id: string, calls: Pick<cr.AwsCustomResourceProps, 'onUpdate' | 'onDelete'>, statements: iam.PolicyStatement[]): cr.AwsCustomResource {
    const call = new cr.AwsCustomResource(this, id, {
      onCreate: calls.onUpdate,
      ...calls,
      policy: cr.AwsCustomResourcePolicy.fromStatements(statements),
      installLatestAwsSdk: false,
    });
    acknowledgeProviderFindings(Stack.of(this));
    return call;
  }
}

/** The zone's name, or undefined for a zone imported by ID alone (whose getter throws). */
function knownZoneName(zone: route53.IPublicHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

function checkNameInZone(scope: Construct, name: string, zoneName: string): void {
  if (Token.isUnresolved(name) || Token.isUnresolved(zoneName)) return;
  const zone = zoneName.replace(/\.$/, '');
  const domain = withoutWildcard(name);
  if (domain !== zone && !domain.endsWith(`.${zone}`)) {
    fail(scope, `Private DNS name '${name}' is not in the public hosted zone '${zone}': `
      + `expected '${zone}' or a name that ends with '.${zone}'.`);
  }
}

/** The id aws-cdk-lib gives the one function behind every `AwsCustomResource` in a stack. */
const AWS_CUSTOM_RESOURCE_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

function acknowledgeProviderFindings(stack: Stack): void {
  const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID);
  if (!provider) return;
  acknowledgeRule(provider,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'aws-cdk-lib\'s AwsCustomResource function: the managed policy only lets it write its own logs.');
  acknowledgeRule(provider, 'AwsSolutions-L1',
    'aws-cdk-lib\'s AwsCustomResource function: aws-cdk-lib pins its runtime for each release.');
}
