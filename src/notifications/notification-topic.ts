import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** A topic for connection notifications (`Topic`), encrypted with a new customer managed key (`TopicKey`), SSL enforced. */
export function encryptedNotificationTopic(scope: Construct, description: string): sns.Topic {
  const masterKey = new kms.Key(scope, 'TopicKey', { description, enableKeyRotation: true });
  return new sns.Topic(scope, 'Topic', { masterKey, enforceSSL: true });
}
