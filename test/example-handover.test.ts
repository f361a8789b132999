import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CONSUMERS, PROVIDER_ENV, SERVICE_NAME } from '../examples/handover';
import { ProviderStack } from '../examples/provider-stack';

const context = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.context.json'), 'utf8'));

describe('the example app\'s hand-over file', () => {
  test('the provider stack allows exactly the handed-over accounts and approves exactly their endpoint IDs', () => {
    const app = new App({ context, builtinCloudFormationValidation: false } as object);
    const stack = new ProviderStack(app, 'PrivateLinkProvider', {
      env: PROVIDER_ENV,
      consumerAccountIds: CONSUMERS.map(consumer => consumer.accountId),
      approvedEndpointIds: CONSUMERS.flatMap(consumer => consumer.endpointIds),
    });
    const template = Template.fromStack(stack);
    const approval = Object.values(template.findResources('Custom::VpcEndpointConnectionApproval'))[0].Properties;
    expect(approval.EndpointIds).toEqual(CONSUMERS.flatMap(consumer => consumer.endpointIds));
    expect(approval.AllowedOwners).toEqual(CONSUMERS.map(consumer => consumer.accountId));
    const principals = Object.values(template.findResources('AWS::EC2::VPCEndpointServicePermissions'))
      .flatMap(resource => resource.Properties.AllowedPrincipals);
    expect(principals).toEqual(CONSUMERS.map(consumer => `arn:aws:iam::${consumer.accountId}:root`));
  });

  test('holds literal values only: the service name of the provider\'s Region, endpoint IDs', () => {
    expect(SERVICE_NAME).toMatch(new RegExp(`^com\\.amazonaws\\.vpce\\.${PROVIDER_ENV.region}\\.vpce-svc-[0-9a-f]{17}$`));
    for (const consumer of CONSUMERS) {
      expect(consumer.accountId).toMatch(/^\d{12}$/);
      consumer.endpointIds.forEach(id => expect(id).toMatch(/^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/));
    }
  });

  test('cdk.context.json has the Availability Zones of every account the example deploys to', () => {
    for (const account of [PROVIDER_ENV.account, CONSUMERS[0].accountId]) {
      expect(context[`availability-zones:account=${account}:region=${PROVIDER_ENV.region}`]).toEqual(expect.arrayContaining([`${PROVIDER_ENV.region}a`]));
    }
  });
});
