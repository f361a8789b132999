import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowGrantsOnlyForAwsServices } from './grants-for-aws-services-only';

/**
 * A topic for connection notifications (`Topic`), encrypted with a new customer managed key (`TopicKey`)
 * on which only AWS services may create grants, SSL enforced.
 */
export function encryptedNotificationTopic(scope: Construct, description: string): sns.Topic {
  const masterKey = new kms.Key(scope, 'TopicKey', { description, enableKeyRotation: true });
  allowGrantsOnlyForAwsServices(masterKey);
  return new sns.Topic(scope, 'Topic', { masterKey, enforceSSL: true });
}
