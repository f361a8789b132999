import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { newNlb, newStack } from './helpers';
import { ConnectionEvent, ConnectionNotification, ConnectionNotificationSource, PrivateEndpointService } from '../src';

function serviceStack() {
  const stack = newStack();
  const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
  return { stack, service };
}

const vpceConditions = (stack: ReturnType<typeof newStack>, service: PrivateEndpointService) => ({
  ArnLike: { 'aws:SourceArn': stack.resolve(service.vpcEndpointServiceArn) },
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
});

describe('ConnectionNotification', () => {
  test('creates an encrypted topic that only this service may publish to, for all events by default', () => {
    const { stack, service } = serviceStack();
    const notification = service.addConnectionNotification('Notify');
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      ServiceId: stack.resolve(service.vpcEndpointServiceId),
      VPCEndpointId: Match.absent(),
      ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
      ConnectionNotificationArn: stack.resolve(notification.topic.topicArn),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'vpce.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: stack.resolve(notification.topic.topicArn),
          Condition: vpceConditions(stack, service),
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'vpce.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Condition: vpceConditions(stack, service),
        })]),
      },
    });
    // The policies exist before EC2 tries the topic.
    const [notificationResource] = Object.values(template.findResources('AWS::EC2::VPCEndpointConnectionNotification'));
    const [policyId] = Object.keys(template.findResources('AWS::SNS::TopicPolicy'));
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(notificationResource.DependsOn).toEqual(expect.arrayContaining([policyId, keyId]));
  });

  test('the topic policy condition names exactly this service', () => {
    const { stack, service } = serviceStack();
    service.addConnectionNotification('Notify');
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'));
    const allow = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Effect === 'Allow');
    expect(allow.Condition.ArnLike['aws:SourceArn']).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
        ':vpc-endpoint-service/', { Ref: stack.getLogicalId(service.node.defaultChild as ec2.CfnVPCEndpointService) }]],
    });
  });

  test('one topic and key shared by two services get one uniquely named statement per service', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Shared', { masterKey: new kms.Key(stack, 'Key') });
    const services = ['A', 'B'].map(id => new PrivateEndpointService(stack, id, { networkLoadBalancers: [newNlb(stack, `${id}Nlb`)] }));
    services.forEach(service => service.addConnectionNotification('Notify', { topic }));
    const template = Template.fromStack(stack);

    const [topicPolicy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const publish = topicPolicy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(publish.map((s: any) => s.Condition.ArnLike['aws:SourceArn']))
      .toEqual(services.map(service => stack.resolve(service.vpcEndpointServiceArn)));
    expect(new Set(publish.map((s: any) => s.Sid)).size).toBe(2);

    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const keySids = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal.Service === 'vpce.amazonaws.com').map((s: any) => s.Sid);
    expect(keySids).toHaveLength(2);
    expect(new Set(keySids).size).toBe(2);
  });

  test('uses a given unencrypted topic and a subset of events', () => {
    const { stack, service } = serviceStack();
    const topic = new sns.Topic(stack, 'Given');
    service.addConnectionNotification('Notify', { topic, events: [ConnectionEvent.CONNECT, ConnectionEvent.CONNECT, ConnectionEvent.REJECT] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      ConnectionEvents: ['Connect', 'Reject'],
      ConnectionNotificationArn: stack.resolve(topic.topicArn),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [stack.resolve(topic.topicArn)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: vpceConditions(stack, service) })]) },
    });
  });

  test('adds the key policy statement to the KMS key of a given encrypted topic', () => {
    const { stack, service } = serviceStack();
    const masterKey = new kms.Key(stack, 'Key');
    service.addConnectionNotification('Notify', { topic: new sns.Topic(stack, 'Given', { masterKey }) });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'vpce.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Condition: vpceConditions(stack, service),
        })]),
      },
    });
  });

  test('warns when an imported topic policy cannot be changed', () => {
    const { stack, service } = serviceStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:123456789012:connections');
    service.addConnectionNotification('Notify', { topic });
    Annotations.fromStack(stack).hasWarning('/Stack/Service/Notify', Match.stringLikeRegexp('allow vpce.amazonaws.com'));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      ConnectionNotificationArn: 'arn:aws:sns:eu-west-1:123456789012:connections',
    });
  });

  test('refuses an empty event list', () => {
    const { service } = serviceStack();
    expect(() => service.addConnectionNotification('Notify', { events: [] }))
      .toThrow('events is empty: expected at least one of ConnectionEvent.CONNECT, ConnectionEvent.ACCEPT, ConnectionEvent.REJECT, ConnectionEvent.DELETE.');
  });

  test('refuses Connect for a VPC endpoint, which has no such event', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const endpoint = vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
    expect(() => new ConnectionNotification(stack, 'Notify', {
      source: ConnectionNotificationSource.fromVpcEndpoint(endpoint),
      events: [ConnectionEvent.CONNECT, ConnectionEvent.ACCEPT],
    })).toThrow('events has ConnectionEvent.CONNECT, which a VPC endpoint does not notify (it is an endpoint service event): expected only ConnectionEvent.ACCEPT, ConnectionEvent.REJECT, ConnectionEvent.DELETE.');
    new ConnectionNotification(stack, 'Defaults', { source: ConnectionNotificationSource.fromVpcEndpoint(endpoint) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      ConnectionEvents: ['Accept', 'Reject', 'Delete'],
    });
  });

  test('works for a VPC endpoint', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const endpoint = vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
    new ConnectionNotification(stack, 'Notify', {
      source: ConnectionNotificationSource.fromVpcEndpoint(endpoint),
      events: [ConnectionEvent.ACCEPT],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
      VPCEndpointId: stack.resolve(endpoint.vpcEndpointId),
      ServiceId: Match.absent(),
      ConnectionEvents: ['Accept'],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Condition: Match.objectLike({
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
                  ':vpc-endpoint/', stack.resolve(endpoint.vpcEndpointId)]],
              },
            },
          }),
        })]),
      },
    });
  });
});
