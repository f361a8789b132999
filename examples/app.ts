import { App } from 'aws-cdk-lib';
import { ConsumerStack } from './consumer-stack';
import { CONSUMERS, PROVIDER_ENV, SERVICE_NAME } from './handover';
import { ProviderStack } from './provider-stack';
import { WorkloadAccessStack } from './workload-access-stack';

// Each stack has its account and Region. Their Availability Zones are in cdk.context.json, so that
// `cdk synth` needs no AWS credentials; `cdk deploy` checks them against the accounts.
const app = new App();
new ProviderStack(app, 'PrivateLinkProvider', {
  env: PROVIDER_ENV,
  consumerAccountIds: CONSUMERS.map(consumer => consumer.accountId),
  consumerRoleArn: 'arn:aws:iam::333333333333:role/payments-consumer',
  privateDnsName: 'payments.internal.example.com',
  // Handed over by the consumers, read from the reviewed hand-over file only.
  approvedEndpointIds: CONSUMERS.flatMap(consumer => consumer.endpointIds),
});
// The first consumer's stack; the second consumer account deploys the same from its own repository.
new ConsumerStack(app, 'PrivateLinkConsumer', {
  env: { account: CONSUMERS[0].accountId, region: PROVIDER_ENV.region },
  partnerServiceName: SERVICE_NAME,
  organizationId: 'o-a1b2c3d4e5',
});
// A workload outside AWS with short-lived credentials from IAM Roles Anywhere. examples/workload-ca.pem
// is a public CA certificate made for this example, its key discarded; use your own CA's. It was made with
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
//     -out examples/workload-ca.pem -subj "/O=Example Corp/CN=Example Workload CA" -days 7300 \
//     -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
new WorkloadAccessStack(app, 'WorkloadAccess', { env: PROVIDER_ENV });
app.synth();
