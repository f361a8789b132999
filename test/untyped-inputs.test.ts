import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { gwlbArn, newNlb, newStack, validationErrorOf } from './helpers';
import {
  AllowedPrincipal, ConnectionApproval, ConnectionNotification, ConnectionNotificationSource, GatewayEndpoint, InterfaceEndpoint,
  PrivateEndpointService,
} from '../src';

// Values a caller without types can pass (JavaScript, or a Python dict): each must be refused at synth,
// naming the prop, the value and what is expected.
const anything = (value: unknown) => value as any;
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const env = { account: '111111111111', region: 'eu-west-1' };

function service(stack: Stack, props: Record<string, unknown>): PrivateEndpointService {
  return new PrivateEndpointService(stack, 'Service', { gatewayLoadBalancerArns: [gwlbArn()], ...props });
}

function consumerVpc(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'Consumer', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

describe('enum-like values from callers without types', () => {
  test.each([
    ['supportedIpAddressTypes', ['ipv7'], "supportedIpAddressTypes has 'ipv7': expected one of IpAddressType.IPV4 ('ipv4'), IpAddressType.IPV6 ('ipv6')."],
    ['payerResponsibility', 'Consumer', "payerResponsibility has 'Consumer': expected PayerResponsibility.SERVICE_OWNER ('ServiceOwner')."],
    ['acceptanceRequired', 'false', "acceptanceRequired is 'false': expected true or false."],
    ['contributorInsights', 1, 'contributorInsights is 1: expected true or false.'],
  ])('PrivateEndpointService %s: %p', (prop, value, message) => {
    const error = validationErrorOf(() => service(newStack(), { [prop]: anything(value) }));
    expect(error.message).toContain(message);
    expect(error.message).toContain('[at Stack/Service]');
  });

  test('allowedPrincipals that are not AllowedPrincipal values', () => {
    const error = validationErrorOf(() => service(newStack(), { allowedPrincipals: ['arn:aws:iam::123456789012:root'] }));
    expect(error.message).toMatch(/allowPrincipals\(\) or allowedPrincipals got 'arn:aws:iam::123456789012:root': expected an AllowedPrincipal, made with AllowedPrincipal.account\(\)/);
  });

  test.each([
    ['onRemoval', 'delete', "onRemoval has 'delete': expected one of EndpointRemoval.LEAVE ('leave'), EndpointRemoval.REJECT ('reject')."],
    ['rejectUnlisted', 'yes', "rejectUnlisted is 'yes': expected true or false."],
    ['missingEndpoints', 'wait', "missingEndpoints is 'wait': expected MissingEndpoints.fail(), MissingEndpoints.waitFor() or MissingEndpoints.acceptOnArrival()."],
  ])('ConnectionApproval %s: %p', (prop, value, message) => {
    const stack = newStack({ env });
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    const error = validationErrorOf(() => new ConnectionApproval(stack, 'Approval', { service: imported, [prop]: anything(value) }));
    expect(error.message).toContain(message);
  });

  test('endpoint IDs that are not strings', () => {
    const stack = newStack({ env });
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    expect(validationErrorOf(() => new ConnectionApproval(stack, 'Approval', { service: imported, endpointIds: [anything(12345678)] })).message)
      .toContain("Invalid VPC endpoint ID 12345678: expected a string like 'vpce-0123456789abcdef0'.");
  });

  test('a notification event that does not exist, for an endpoint service', () => {
    const stack = newStack();
    const nlbService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    const error = validationErrorOf(() => nlbService.addConnectionNotification('Events', { events: [anything('Bogus')] }));
    expect(error.message).toContain("events has 'Bogus': expected one of ConnectionEvent.CONNECT ('Connect'), ConnectionEvent.ACCEPT ('Accept'), "
      + "ConnectionEvent.REJECT ('Reject'), ConnectionEvent.DELETE ('Delete').");
    expect(error.message).not.toContain('VPC endpoint');
  });

  test('a notification event list that is not a list', () => {
    const stack = newStack({ env });
    const source = ConnectionNotificationSource.fromEndpointService(PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID));
    expect(validationErrorOf(() => new ConnectionNotification(stack, 'N', { source, events: anything('Connect') })).message)
      .toContain("events is 'Connect': expected a list of ConnectionEvent values.");
  });

  test.each([
    ['ipAddressType', 'ipv5', "ipAddressType has 'ipv5': expected one of VpcEndpointIpAddressType.IPV4 ('ipv4'), VpcEndpointIpAddressType.IPV6 ('ipv6'), VpcEndpointIpAddressType.DUALSTACK ('dualstack')."],
    ['dnsRecordIpType', 'both', "dnsRecordIpType has 'both': expected one of VpcEndpointDnsRecordIpType.IPV4 ('ipv4')"],
    ['privateDnsEnabled', 'true', "privateDnsEnabled is 'true': expected true or false."],
    ['ports', ['443'], "Invalid port '443' in ports: expected a whole number from 1 to 65535."],
    ['interfaceEndpointsQuota', '60', "interfaceEndpointsQuota '60' is invalid: expected a whole number of 1 or more."],
  ])('InterfaceEndpoint %s: %p', (prop, value, message) => {
    const { stack, vpc } = consumerVpc();
    const error = validationErrorOf(() => new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, [prop]: anything(value) }));
    expect(error.message).toContain(message);
    expect(error.message).toContain('[at Consumer/Sts]');
  });
});

describe('other values that must be refused', () => {
  test('allowed owners given more than once are refused, naming them', () => {
    const stack = newStack({ env });
    const imported = PrivateEndpointService.fromEndpointServiceId(stack, 'Imported', SERVICE_ID);
    const error = validationErrorOf(() => new ConnectionApproval(stack, 'Approval', {
      service: imported, allowedOwners: ['222222222222', '333333333333', '222222222222'],
    }));
    expect(error.message).toContain("allowedOwners lists '222222222222' more than once: expected each account once.");
  });

  test.each(['rtb-1', 'rtb-0123456789ABCDEF0', 'rtb-0123456789abcdef', 'vpc-01234567', ' rtb-01234567'])('route table ID %p is refused', id => {
    const { stack, vpc } = consumerVpc();
    const error = validationErrorOf(() => new GatewayEndpoint(stack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, routeTableIds: [id] }));
    expect(error.message).toContain(`Invalid route table ID '${id}' in routeTableIds: expected 'rtb-' followed by 8 or 17 lowercase hexadecimal characters`);
  });

  test('route table IDs of 8 or 17 hex characters, and tokens, are accepted', () => {
    const { stack, vpc } = consumerVpc();
    const endpoint = new GatewayEndpoint(stack, 'S3', {
      vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      routeTableIds: ['rtb-01234567', 'rtb-0123456789abcdef0', vpc.isolatedSubnets[0].routeTable.routeTableId],
    });
    expect(endpoint.routeTableIds).toHaveLength(3);
  });

  test('an interface endpoint quota given as a token must be a literal', () => {
    const { stack, vpc } = consumerVpc();
    const quota = new CfnParameter(stack, 'Quota', { type: 'Number' }).valueAsNumber;
    const error = validationErrorOf(() => new InterfaceEndpoint(stack, 'Sts', { vpc, service: ec2.InterfaceVpcEndpointAwsService.STS, interfaceEndpointsQuota: quota }));
    expect(error.message).toContain('interfaceEndpointsQuota is a token');
    expect(error.message).toContain('expected a literal whole number of 1 or more');
    expect(error.message).not.toMatch(/-1\.8881545897087\d*e\+289/);
  });
});

describe('messages in the caller language', () => {
  afterEach(() => { delete process.env.JSII_AGENT; });

  test.each([
    ['Python/3.12.1', "supported_ip_address_types has 'ipv7': expected one of IpAddressType.IPV4 ('ipv4')"],
    ['DotNet/8.0.1', "SupportedIpAddressTypes has 'ipv7': expected one of IpAddressType.IPV4 ('ipv4')"],
    ['go1.22.1/linux/amd64', "SupportedIpAddressTypes has 'ipv7': expected one of IpAddressType_IPV4 ('ipv4')"],
  ])('JSII_AGENT %s', (agent, message) => {
    process.env.JSII_AGENT = agent;
    expect(validationErrorOf(() => service(newStack(), { supportedIpAddressTypes: ['ipv7'] })).message).toContain(message);
  });

  test('a Python caller reads the opt-out of acceptance in snake_case', () => {
    process.env.JSII_AGENT = 'Python/3.12.1';
    const stack = newStack();
    const error = validationErrorOf(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)], acceptanceRequired: false, allowedPrincipals: [AllowedPrincipal.everyone()],
    }));
    expect(error.message).toContain('AllowedPrincipal.everyone() with acceptance_required: false is refused');
  });
});
