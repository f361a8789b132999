import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { renderedProperties } from './rendered-resource';
import { fail, propName } from '../validation';

const { IPV4, IPV6, DUALSTACK } = ec2.VpcEndpointIpAddressType;

/** The IP address types a DNS record IP type allows (AWS PrivateLink guide). */
const DNS_RECORD_RULES: Record<ec2.VpcEndpointDnsRecordIpType, ec2.VpcEndpointIpAddressType[]> = {
  [ec2.VpcEndpointDnsRecordIpType.IPV4]: [IPV4, DUALSTACK],
  [ec2.VpcEndpointDnsRecordIpType.IPV6]: [IPV6, DUALSTACK],
  [ec2.VpcEndpointDnsRecordIpType.DUALSTACK]: [DUALSTACK],
  [ec2.VpcEndpointDnsRecordIpType.SERVICE_DEFINED]: [DUALSTACK],
};

/** What a subnet's addresses are, when the app defines the subnet. */
interface SubnetAddresses {
  readonly path: string;
  readonly ipv4: boolean;
  readonly ipv6: boolean;
}

/**
 * Checks the IP address type against the DNS record IP type and against the subnets, as the
 * AWS PrivateLink guide requires: IPv4 needs subnets with IPv4 ranges, IPv6 needs IPv6-only
 * subnets, dualstack needs subnets with both. Imported subnets are not checked.
 */
export function validateIpAddressTypes(
  scope: IConstruct, subnets: ec2.ISubnet[], ipAddressType?: ec2.VpcEndpointIpAddressType, dnsRecordIpType?: ec2.VpcEndpointDnsRecordIpType,
): void {
  const ipType = ipAddressType ?? IPV4;
  if (dnsRecordIpType && !DNS_RECORD_RULES[dnsRecordIpType].includes(ipType)) {
    fail(scope, `${propName('dnsRecordIpType')} ${dnsRecordIpType} does not work with ${propName('ipAddressType')} ${ipType}: expected ${propName('ipAddressType')} `
      + `${DNS_RECORD_RULES[dnsRecordIpType].join(' or ')}.`);
  }
  const wrong = subnets.map(addressesOf).filter((s): s is SubnetAddresses => s !== undefined).filter(subnet =>
    ipType === IPV4 ? !subnet.ipv4 : ipType === IPV6 ? subnet.ipv4 || !subnet.ipv6 : !(subnet.ipv4 && subnet.ipv6));
  if (wrong.length > 0) {
    const expected = ipType === IPV4 ? 'subnets with IPv4 ranges' : ipType === IPV6 ? 'IPv6-only subnets' : 'subnets with both IPv4 and IPv6 ranges';
    fail(scope, `${propName('ipAddressType')} ${ipType} needs ${expected}, but ${wrong.map(s => s.path).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not: `
      + `expected other subnets or another ${propName('ipAddressType')}.`);
  }
}

function addressesOf(subnet: ec2.ISubnet): SubnetAddresses | undefined {
  const cfn = subnet.node.defaultChild;
  if (!(cfn instanceof ec2.CfnSubnet)) return undefined;
  const props = subnetProperties(cfn);
  if (!props) return undefined;
  const ipv6Native = props.Ipv6Native === true || props.Ipv6Native === 'true';
  const ipv4 = !ipv6Native && (props.CidrBlock !== undefined || props.Ipv4IpamPoolId !== undefined || props.Ipv4NetmaskLength !== undefined);
  const ipv6 = props.Ipv6CidrBlock !== undefined || props.Ipv6IpamPoolId !== undefined || props.Ipv6NetmaskLength !== undefined;
  return { path: subnet.node.path, ipv4, ipv6 };
}

/** The subnet's properties as they will be synthesized, overrides included; undefined when unknown. */
function subnetProperties(cfn: ec2.CfnSubnet): Record<string, unknown> | undefined {
  try {
    const props = renderedProperties(cfn);
    return !Token.isUnresolved(props.Ipv6Native) ? props : undefined;
  } catch {
    return undefined;
  }
}
