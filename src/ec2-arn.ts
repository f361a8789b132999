import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The ARN of an EC2 resource such as `vpc-endpoint-service/<id>` in the stack of `scope`. */
export function ec2Arn(scope: IConstruct, resourceType: 'vpc-endpoint-service' | 'vpc-endpoint', id: string): string {
  return Stack.of(scope).formatArn({
    service: 'ec2',
    resource: resourceType,
    resourceName: id,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
