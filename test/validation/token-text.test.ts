import { App, Aws, CfnParameter, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ConnectionApproval, GatewayEndpoint, PrivateEndpointService } from '../../src';
import { describe as quote } from '../../src/validation';
import { tokenText } from '../../src/validation/token-text';
import { validationErrorOf } from '../helpers';

function stack(): Stack {
  return new Stack(new App(), 'Provider');
}

describe('tokens in error messages, as the user wrote them', () => {
  test('a reference is its construct path and attribute; literal parts stay', () => {
    const s = stack();
    const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    expect(tokenText(vpc.ref)).toBe('${Provider/Vpc.Ref}');
    expect(tokenText(`prefix-${vpc.attrCidrBlock}-suffix`)).toBe('prefix-${Provider/Vpc.CidrBlock}-suffix');
    expect(quote(vpc.ref)).toBe("'${Provider/Vpc.Ref}'");
  });

  test('a parameter is its path, a pseudo parameter its name, anything else "token"', () => {
    const s = stack();
    const parameter = new CfnParameter(s, 'ServiceId');
    expect(tokenText(parameter.valueAsString)).toBe('${Provider/ServiceId.Ref}');
    expect(tokenText(`${Aws.REGION}.${s.account}`)).toBe('${AWS::Region}.${AWS::AccountId}');
    expect(tokenText(Lazy.string({ produce: () => 'x' }))).toBe('${token}');
    expect(tokenText(Fn.importValue('Shared'))).toBe('${Fn::ImportValue(Shared)}');
    expect(tokenText(Fn.select(1, Fn.split(',', parameter.valueAsString)))).toMatch(/^\$\{(Fn::Select\(1, .*Provider\/ServiceId\.Ref.*\)|token)\}$/);
  });

  test('never a resolved intrinsic or an encoded token', () => {
    const s = stack();
    const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    for (const value of [vpc.ref, `a${vpc.ref}b`, Token.asNumber(vpc.ref), vpc.attrIpv6CidrBlocks]) {
      const text = quote(value);
      expect(text).not.toMatch(/\{"Ref"|Token\[|\$\{Token/);
    }
    expect(quote(Token.asNumber(vpc.ref))).toBe('a number token');
    expect(quote(vpc.attrIpv6CidrBlocks)).toBe('a list token');
    expect(quote('plain')).toBe("'plain'");
  });
});

describe('construct errors with tokens', () => {
  test('an endpoint policy statement is quoted with its references as written', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const bucket = new s3.Bucket(s, 'Bucket');
    const statement = new iam.PolicyStatement({ notPrincipals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] });
    const message = validationErrorOf(() => new GatewayEndpoint(s, 'S3', {
      vpc, service: ec2.GatewayVpcEndpointAwsService.S3, policyStatements: [statement],
    })).message;
    expect(message).toContain('${Provider/Bucket/Resource.Arn}/*');
    expect(message).not.toMatch(/\{"Ref"|Fn::GetAtt|Token\[/);
  });

  test('a second approval of a service given as a token names the service as written', () => {
    const s = stack();
    const parameter = new CfnParameter(s, 'ServiceId');
    new ConnectionApproval(s, 'First', { service: PrivateEndpointService.fromEndpointServiceId(s, 'Imported', parameter.valueAsString) });
    const message = validationErrorOf(() => new ConnectionApproval(s, 'Second', {
      service: PrivateEndpointService.fromEndpointServiceId(s, 'Again', parameter.valueAsString),
    })).message;
    expect(message).toContain('Endpoint service ${Provider/ServiceId.Ref} already has a connection approval');
  });
});
