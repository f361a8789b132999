import { Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { gwlbArn, newNlb, newStack } from './helpers';
import { PayerResponsibility, PrivateEndpointService } from '../src';

describe('PrivateEndpointService', () => {
  test('requires acceptance and supports IPv4 only by default', () => {
    const stack = newStack();
    const nlb = newNlb(stack);
    new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [nlb] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: [stack.resolve(nlb.loadBalancerArn)],
      SupportedIpAddressTypes: ['ipv4'],
      GatewayLoadBalancerArns: Match.absent(),
      SupportedRegions: Match.absent(),
      ContributorInsightsEnabled: Match.absent(),
      PayerResponsibility: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 0);
    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
  });

  test('takes several Network Load Balancers, each once', () => {
    const stack = newStack();
    const a = newNlb(stack, 'A');
    const b = newNlb(stack, 'B');
    new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [a, b, a] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', {
      NetworkLoadBalancerArns: [stack.resolve(a.loadBalancerArn), stack.resolve(b.loadBalancerArn)],
    });
  });

  test('runs on Gateway Load Balancers', () => {
    const stack = newStack();
    new PrivateEndpointService(stack, 'Service', { gatewayLoadBalancerArns: [gwlbArn('a'), gwlbArn('b')] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', {
      GatewayLoadBalancerArns: [gwlbArn('a'), gwlbArn('b')],
      NetworkLoadBalancerArns: Match.absent(),
      AcceptanceRequired: true,
    });
  });

  test('refuses Network and Gateway Load Balancers together', () => {
    const stack = newStack();
    expect(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)],
      gatewayLoadBalancerArns: [gwlbArn()],
    })).toThrow(/Both networkLoadBalancers \(1\) and gatewayLoadBalancerArns \(1\).*not both/);
  });

  test('refuses a service without load balancers', () => {
    expect(() => new PrivateEndpointService(newStack(), 'Service', {}))
      .toThrow(/No load balancer given: expected at least one in networkLoadBalancers or gatewayLoadBalancerArns/);
    expect(() => new PrivateEndpointService(newStack(), 'Service', { networkLoadBalancers: [], gatewayLoadBalancerArns: [] }))
      .toThrow(/No load balancer given/);
  });

  test.each([
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123456789abcdef',
    'arn:aws:elasticloadbalancing:eu-west-1:12345678901:loadbalancer/gwy/gw/0123456789abcdef',
    'gwy/inspection',
  ])('refuses the Gateway Load Balancer ARN %s', (arn) => {
    expect(() => new PrivateEndpointService(newStack(), 'Service', { gatewayLoadBalancerArns: [arn] }))
      .toThrow(`Invalid Gateway Load Balancer ARN '${arn}': expected 'arn:<partition>:elasticloadbalancing:`);
  });

  test('refuses an imported Network Load Balancer whose ARN is not one', () => {
    const stack = newStack();
    const nlb = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/alb/0123456789abcdef',
    });
    expect(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [nlb] }))
      .toThrow(/Invalid Network Load Balancer ARN 'arn:aws:elasticloadbalancing:.*loadbalancer\/app\/alb\/0123456789abcdef'/);
  });

  test('refuses IPv6 when a Network Load Balancer is not dualstack', () => {
    const stack = newStack();
    const nlb = newNlb(stack, 'Ipv4Nlb');
    expect(() => new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [nlb],
      supportedIpAddressTypes: [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6],
    })).toThrow(/includes IPv6, but Network Load Balancer 'Stack\/Ipv4Nlb' has IP address type 'ipv4': expected every load balancer to be dualstack/);
  });

  test('supports IPv6 and dualstack on dualstack load balancers, and on imported ones of unknown type', () => {
    const stack = newStack();
    const dualstack = newNlb(stack, 'Dualstack', elbv2.IpAddressType.DUAL_STACK);
    const imported = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Imported', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123456789abcdef',
    });
    new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [dualstack, imported],
      supportedIpAddressTypes: [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6, ec2.IpAddressType.IPV4],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', {
      SupportedIpAddressTypes: ['ipv4', 'ipv6'],
    });
  });

  test('refuses an empty list of IP address types', () => {
    const stack = newStack();
    expect(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], supportedIpAddressTypes: [] }))
      .toThrow(/supportedIpAddressTypes is empty: expected IpAddressType.IPV4, IpAddressType.IPV6 or both/);
  });

  test('sets allowed Regions, Contributor Insights and payer responsibility', () => {
    const stack = newStack();
    new PrivateEndpointService(stack, 'Service', {
      networkLoadBalancers: [newNlb(stack)],
      allowedRegions: ['us-east-1', 'eu-central-2', 'us-east-1'],
      contributorInsights: true,
      payerResponsibility: PayerResponsibility.SERVICE_OWNER,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', {
      SupportedRegions: ['us-east-1', 'eu-central-2'],
      ContributorInsightsEnabled: true,
      PayerResponsibility: 'ServiceOwner',
    });
  });

  test.each(['US-EAST-1', 'useast1', 'eu-west', ''])('refuses the allowed Region %p', (region) => {
    const stack = newStack();
    expect(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], allowedRegions: [region] }))
      .toThrow(`Invalid allowedRegions entry '${region}': it is not an AWS Region`);
  });

  test('takes Regions of every partition layout, such as the European Sovereign Cloud', () => {
    const stack = newStack({ env: { region: 'eusc-de-east-1' } });
    new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], allowedRegions: ['eusc-de-east-1'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedRegions: ['eusc-de-east-1'] });
  });

  test('refuses an allowed Region of another partition than the stack', () => {
    const stack = newStack({ env: { region: 'eu-west-1' } });
    expect(() => new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], allowedRegions: ['cn-north-1'] }))
      .toThrow("Invalid allowedRegions entry 'cn-north-1': it is in partition 'aws-cn', expected a Region of the stack's partition 'aws': ");
  });

  test.each([
    ['arn:aws-xx:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/gw/0123456789abcdef', /Invalid partition 'aws-xx' .*expected one of aws, aws-cn/],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/gwy/gw/0123456789abcdef', /it is in Region 'us-east-1', expected the endpoint service's Region 'eu-west-1'/],
    ['arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/gwy/gw/0123456789abcdef', /it is in account '999999999999', expected the endpoint service's account '123456789012'/],
  ])('refuses the load balancer ARN %s outside the stack', (arn, message) => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '123456789012' } });
    expect(() => new PrivateEndpointService(stack, 'Service', { gatewayLoadBalancerArns: [arn] })).toThrow(message);
  });

  test('can turn acceptance off explicitly', () => {
    const stack = newStack();
    const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], acceptanceRequired: false });
    expect(service.acceptanceRequired).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: false });
  });

  test('carries tags', () => {
    const stack = newStack();
    const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    Tags.of(service).add('team', 'payments');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpointService', {
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
  });

  test('exposes service ID, name and ARN, and optional outputs', () => {
    const stack = newStack();
    const service = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)], createOutputs: true });
    const logicalId = stack.getLogicalId(service.node.defaultChild as ec2.CfnVPCEndpointService);

    expect(stack.resolve(service.vpcEndpointServiceId)).toEqual({ Ref: logicalId });
    expect(stack.resolve(service.vpcEndpointServiceRef.serviceId)).toEqual({ Ref: logicalId });
    expect(stack.resolve(service.vpcEndpointServiceName)).toEqual({
      'Fn::Join': ['', ['com.amazonaws.vpce.', { Ref: 'AWS::Region' }, '.', { Ref: logicalId }]],
    });
    expect(JSON.stringify(stack.resolve(service.vpcEndpointServiceArn))).toContain(':vpc-endpoint-service/');

    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.values(outputs).map(output => output.Value)).toEqual([
      { Ref: logicalId },
      stack.resolve(service.vpcEndpointServiceName),
    ]);
  });

  test('works where aws-cdk-lib expects an IVpcEndpointService', () => {
    const stack = newStack();
    const service: ec2.IVpcEndpointService = new PrivateEndpointService(stack, 'Service', { networkLoadBalancers: [newNlb(stack)] });
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
    vpc.addInterfaceEndpoint('Consumer', { service: new ec2.InterfaceVpcEndpointService(service.vpcEndpointServiceName, 443) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: stack.resolve(service.vpcEndpointServiceName),
    });
  });
});
