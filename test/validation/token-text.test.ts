import { App, Aws, CfnParameter, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe as quote } from '../../src/validation';
import { tokenText } from '../../src/validation/token-text';

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
    expect(tokenText(Fn.join('-', ['a', parameter.valueAsString]))).toBe('${token}');
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
