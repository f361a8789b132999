import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ServiceOwner } from './service-owner';
import { describe, fail, methodName, repeatedValues, validatePrincipalArnPattern, validatePrivateDnsName } from '../validation';

const ENDPOINT_SERVICE_NAME = /^(com|aws)\.amazonaws\.[a-z0-9.-]+$|^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * Deny statements of the AWS PrivateLink guide's identity-based policy examples, for platform
 * teams to put in roles, permission boundaries or service control policies. Each denies the
 * action unless its condition key holds one of the given values; the statements have no
 * principal (add them to an identity policy or a service control policy).
 */
export class PrivateLinkGuardrails {
  /**
   * Denies `ec2:CreateVpcEndpoint` unless the endpoint service is owned by one of `owners`
   * (`ec2:VpceServiceOwner`: `amazon`, `aws-marketplace` or an account ID).
   */
  public static endpointsOnlyToServiceOwners(scope: IConstruct, owners: ServiceOwner[]): iam.PolicyStatement {
    const method = methodName('endpointsOnlyToServiceOwners', 'PrivateLinkGuardrails');
    const values = nonEmpty(scope, method, owners, 'ServiceOwner values').map(owner => {
      if (!(owner instanceof ServiceOwner)) fail(scope, `${method} got ${describe(owner)}: expected ServiceOwner.amazon(), .awsMarketplace() or .account().`);
      return owner._render(scope);
    });
    return deny('CreateEndpointsOnlyToServiceOwners', ['ec2:CreateVpcEndpoint'], 'vpc-endpoint/*', 'StringNotEquals', 'ec2:VpceServiceOwner', values);
  }

  /**
   * Denies `ec2:CreateVpcEndpoint` unless the endpoint service is one of `serviceNames`
   * (`ec2:VpceServiceName`), like `com.amazonaws.eu-west-1.s3` or
   * `com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0`.
   */
  public static endpointsOnlyToServiceNames(scope: IConstruct, serviceNames: string[]): iam.PolicyStatement {
    const method = methodName('endpointsOnlyToServiceNames', 'PrivateLinkGuardrails');
    for (const name of nonEmpty(scope, method, serviceNames, 'endpoint service names')) {
      if (typeof name !== 'string' || (!Token.isUnresolved(name) && !ENDPOINT_SERVICE_NAME.test(name))) {
        fail(scope, `${method} got the service name ${describe(name)}: expected an AWS service name like 'com.amazonaws.eu-west-1.s3' `
          + 'or an endpoint service name like \'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\'.');
      }
    }
    return deny('CreateEndpointsOnlyToServiceNames', ['ec2:CreateVpcEndpoint'], 'vpc-endpoint/*', 'StringNotEquals', 'ec2:VpceServiceName', serviceNames);
  }

  /**
   * Denies `ec2:CreateVpcEndpointServiceConfiguration` and
   * `ec2:ModifyVpcEndpointServiceConfiguration` with a private DNS name that is not one of
   * `privateDnsNames` (`ec2:VpceServicePrivateDnsName`). Services without a private DNS name are
   * not denied: the condition applies only when the request has one.
   */
  public static endpointServicesOnlyWithPrivateDnsNames(scope: IConstruct, privateDnsNames: string[]): iam.PolicyStatement {
    const method = methodName('endpointServicesOnlyWithPrivateDnsNames', 'PrivateLinkGuardrails');
    nonEmpty(scope, method, privateDnsNames, 'private DNS names').forEach(name => validatePrivateDnsName(scope, name));
    const statement = deny('EndpointServicesOnlyWithPrivateDnsNames',
      ['ec2:CreateVpcEndpointServiceConfiguration', 'ec2:ModifyVpcEndpointServiceConfiguration'], 'vpc-endpoint-service/*',
      'StringNotEquals', 'ec2:VpceServicePrivateDnsName', privateDnsNames);
    statement.addCondition('Null', { 'ec2:VpceServicePrivateDnsName': 'false' });
    return statement;
  }

  /**
   * Denies `ec2:AcceptVpcEndpointConnections` to every principal but `principalArns`
   * (`aws:PrincipalArn`, ARN patterns allowed in the path and name), for example the role of the
   * stack's approval handler (`ConnectionApproval.handlerRole`), so that no one accepts a
   * connection by hand.
   */
  public static acceptConnectionsOnlyBy(scope: IConstruct, principalArns: string[]): iam.PolicyStatement {
    const method = methodName('acceptConnectionsOnlyBy', 'PrivateLinkGuardrails');
    nonEmpty(scope, method, principalArns, 'principal ARNs').forEach(arn => validatePrincipalArnPattern(scope, arn));
    return deny('AcceptConnectionsOnlyByApproval', ['ec2:AcceptVpcEndpointConnections'], 'vpc-endpoint-service/*',
      'ArnNotLike', 'aws:PrincipalArn', principalArns);
  }

  private constructor() {}
}

function nonEmpty<T>(scope: IConstruct, method: string, values: T[], what: string): T[] {
  if (!Array.isArray(values) || values.length === 0) fail(scope, `${method} got ${describe(values)}: expected a list of at least one of ${what}.`);
  const repeated = repeatedValues(values.map(v => String(v)));
  if (repeated.length > 0 && values.every(v => typeof v === 'string')) fail(scope, `${method} lists ${repeated.join(', ')} more than once: expected each once.`);
  return values;
}

/** Denies the actions on the resources of the type unless the condition key holds one of the values. */
function deny(sid: string, actions: string[], resource: string, operator: string, key: string, values: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    actions,
    resources: [`arn:${Aws.PARTITION}:ec2:*:*:${resource}`],
    conditions: { [operator]: { [key]: values } },
  });
}
