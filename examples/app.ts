import { App } from 'aws-cdk-lib';
import { ConsumerStack } from './consumer-stack';
import { ProviderStack } from './provider-stack';
import { WorkloadAccessStack } from './workload-access-stack';

const app = new App();
new ProviderStack(app, 'PrivateLinkProvider', {
  consumerAccountIds: ['111111111111', '222222222222'],
  consumerRoleArn: 'arn:aws:iam::333333333333:role/payments-consumer',
  privateDnsName: 'payments.internal.example.com',
  // Handed over by the consumers; replace them with your consumers' endpoint IDs.
  approvedEndpointIds: ['vpce-0a1b2c3d4e5f60718', 'vpce-1a2b3c4d'],
});
new ConsumerStack(app, 'PrivateLinkConsumer', {
  partnerServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
  organizationId: 'o-a1b2c3d4e5',
});
// A workload outside AWS with short-lived credentials from IAM Roles Anywhere. examples/workload-ca.pem
// is a public CA certificate made for this example, its key discarded; use your own CA's. It was made with
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
//     -out examples/workload-ca.pem -subj "/O=Example Corp/CN=Example Workload CA" -days 7300 \
//     -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
new WorkloadAccessStack(app, 'WorkloadAccess');
app.synth();
