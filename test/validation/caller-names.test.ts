import { CallerLanguage, callerLanguage, enumMemberName, methodName, propName } from '../../src/validation';

describe('names as the caller spells them', () => {
  test.each([
    [undefined, CallerLanguage.TYPESCRIPT],
    ['Python/3.12.1', CallerLanguage.PYTHON],
    ['Java/21.0.2', CallerLanguage.JAVA],
    ['DotNet/8.0.1/.NETCoreApp,Version=v8.0/1.0.0.0', CallerLanguage.DOTNET],
    ['go1.22.1/linux/amd64', CallerLanguage.GO],
    ['something-else/1', CallerLanguage.TYPESCRIPT],
  ])('JSII_AGENT %p is %p', (agent, language) => {
    expect(callerLanguage(agent)).toBe(language);
  });

  test.each([
    [CallerLanguage.TYPESCRIPT, 'acceptanceRequired', 'approveEndpoints()', 'AllowedPrincipal.everyone()', 'EndpointRemoval.REJECT'],
    [CallerLanguage.JAVA, 'acceptanceRequired', 'approveEndpoints()', 'AllowedPrincipal.everyone()', 'EndpointRemoval.REJECT'],
    [CallerLanguage.PYTHON, 'acceptance_required', 'approve_endpoints()', 'AllowedPrincipal.everyone()', 'EndpointRemoval.REJECT'],
    [CallerLanguage.DOTNET, 'AcceptanceRequired', 'ApproveEndpoints()', 'AllowedPrincipal.Everyone()', 'EndpointRemoval.REJECT'],
    [CallerLanguage.GO, 'AcceptanceRequired', 'ApproveEndpoints()', 'AllowedPrincipal_Everyone()', 'EndpointRemoval_REJECT'],
  ])('%s: %s, %s, %s, %s', (language, prop, method, factory, member) => {
    expect(propName('acceptanceRequired', language)).toBe(prop);
    expect(methodName('approveEndpoints', undefined, language)).toBe(method);
    expect(methodName('everyone', 'AllowedPrincipal', language)).toBe(factory);
    expect(enumMemberName('EndpointRemoval', 'REJECT', language)).toBe(member);
  });

  test('Python snake_case keeps acronyms together', () => {
    expect(propName('vpcEndpointServiceId', CallerLanguage.PYTHON)).toBe('vpc_endpoint_service_id');
    expect(propName('supportedIpAddressTypes', CallerLanguage.PYTHON)).toBe('supported_ip_address_types');
    expect(propName('dnsRecordIpType', CallerLanguage.PYTHON)).toBe('dns_record_ip_type');
  });
});
