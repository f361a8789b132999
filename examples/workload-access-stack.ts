import { readFileSync } from 'fs';
import { join } from 'path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CertificateCondition, ExpiryNotification, RolesAnywhereAccess, TrustAnchorSource } from '../src';

/** Settings of the workload that runs outside AWS. */
export interface WorkloadAccessStackProps extends StackProps {
  /** The PEM text of the CA that issues the workload's certificates. */
  readonly caCertificatePem?: string;
}

/**
 * A workload outside AWS (another cloud's runtime, on-premises Kubernetes) that reads reports from an
 * S3 bucket and sends jobs to an SQS queue of this account with short-lived credentials from IAM Roles
 * Anywhere: only certificates of the workload CA with CN=payments-batch and O=Example Corp can assume
 * its role. The stack outputs the ARNs and the credential helper's `credential_process` line.
 */
export class WorkloadAccessStack extends Stack {
  public readonly access: RolesAnywhereAccess;

  constructor(scope: Construct, id: string, props: WorkloadAccessStackProps = {}) {
    super(scope, id, props);

    const reports = new s3.Bucket(this, 'Reports', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const jobs = new sqs.Queue(this, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });

    this.access = new RolesAnywhereAccess(this, 'OnPremises', {
      source: TrustAnchorSource.fromCertificateBundle(props.caCertificatePem ?? readFileSync(join(__dirname, 'workload-ca.pem'), 'utf8')),
      notifications: [ExpiryNotification.caCertificateExpiry(60), ExpiryNotification.endEntityCertificateExpiry(14)],
      sessionDuration: Duration.hours(1),
      createOutputs: true,
    });
    const batch = this.access.addRole('PaymentsBatch', {
      certificateConditions: [
        CertificateCondition.subjectCommonName('payments-batch'),
        CertificateCondition.subjectOrganization('Example Corp'),
      ],
      description: 'The payments batch job outside AWS: reads reports, sends jobs',
    });
    reports.grantRead(batch);
    jobs.grantSendMessages(batch);
  }
}
