import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ConnectionApproval, MissingEndpoints, PrivateEndpointService } from '../../src';
import { newNlb, newStack } from '../helpers';

const ID_A = 'vpce-0123456789abcdef0';

function lateArrivalApproval(stack: Stack): ConnectionApproval {
  const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
  return new ConnectionApproval(stack, 'Approval', { service, endpointIds: [ID_A], missingEndpoints: MissingEndpoints.acceptOnArrival() });
}

function onlyQueue(template: Template): [string, Record<string, any>] {
  const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
  expect(queues).toHaveLength(1);
  return queues[0];
}

describe('ConnectionApproval: dead-letter queue of the late-arrival invocations', () => {
  test('an encrypted queue, kept 14 days, that the handler sends its failed asynchronous invocations to', () => {
    const stack = newStack();
    const approval = lateArrivalApproval(stack);
    const template = Template.fromStack(stack);
    const [queueId, queue] = onlyQueue(template);
    expect(queue.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: Duration.days(14).toSeconds() });
    expect(stack.resolve(approval.deadLetterQueue.queueArn)).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^cdk-privatelink'),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  test('the queue refuses requests without TLS', () => {
    const stack = newStack();
    lateArrivalApproval(stack);
    const template = Template.fromStack(stack);
    const [queueId] = onlyQueue(template);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('can be alarmed on', () => {
    const stack = newStack();
    const approval = lateArrivalApproval(stack);
    approval.deadLetterQueue.metricApproximateNumberOfMessagesVisible().createAlarm(stack, 'Failed', {
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const template = Template.fromStack(stack);
    const [queueId] = onlyQueue(template);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
  });
});
