import { StackReader, parseStackArn } from './stack';
import { PHYSICAL_ID_ATTRIBUTES, getAttParts, isIntrinsicName } from '../../src/approval/handler-contract';

/** Stands for `AWS::NoValue`: the value is left out. */
const NO_VALUE = Symbol('AWS::NoValue');

/** A value in a template that cannot be resolved from what CloudFormation holds: nothing is decided from it. */
export class UnresolvableError extends Error {}

/** A reference to a resource that has no physical ID yet (CloudFormation has not created it). */
export class NotCreatedYetError extends UnresolvableError {}

const URL_SUFFIXES: Record<string, string> = {
  'aws': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
};

/**
 * Resolves the intrinsic functions that the AWS CDK writes into a custom resource's
 * properties, the way CloudFormation did when it sent them: `Ref` to pseudo parameters,
 * parameters (SSM parameter types as their resolved value) and resources (their physical ID),
 * `Fn::GetAtt` for attributes that equal the physical ID, `Fn::ImportValue`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split` and `Fn::Sub`. Anything else fails closed, naming it.
 */
export class TemplateResolver {
  constructor(private readonly stack: StackReader) {}

  async resolve(value: unknown): Promise<unknown> {
    const resolved = await this.value(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private async value(value: unknown): Promise<unknown> {
    if (Array.isArray(value)) {
      const items = [];
      for (const item of value) {
        const resolved = await this.value(item);
        if (resolved !== NO_VALUE) items.push(resolved);
      }
      return items;
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && isIntrinsicName(entries[0][0])) return this.intrinsic(entries[0][0], entries[0][1]);
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = await this.value(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private async intrinsic(name: string, argument: unknown): Promise<unknown> {
    switch (name) {
      case 'Ref': return this.ref(argument);
      case 'Fn::GetAtt': return this.getAtt(argument);
      case 'Fn::ImportValue': return this.importValue(argument);
      case 'Fn::Join': return this.join(argument);
      case 'Fn::Select': return this.select(argument);
      case 'Fn::Split': return this.split(argument);
      case 'Fn::Sub': return this.sub(argument);
      default: throw unresolvable(name, argument, 'this function is not one the approval handler resolves');
    }
  }

  private async ref(argument: unknown): Promise<unknown> {
    if (typeof argument !== 'string') throw unresolvable('Ref', argument, 'expected the name of a parameter or resource');
    if (argument.startsWith('AWS::')) return this.pseudo(argument);
    const template = await this.stack.getTemplate();
    const parameter = template.Parameters?.[argument];
    if (parameter) return this.parameter(argument, parameter.Type ?? 'String');
    if (template.Resources?.[argument]) return this.physicalId(argument, 'Ref');
    throw unresolvable('Ref', argument, 'the template has no parameter or resource of that name');
  }

  private async pseudo(name: string): Promise<unknown> {
    const arn = parseStackArn(this.stack.stackId);
    if (!arn) throw unresolvable('Ref', name, `the stack ID ${this.stack.stackId} is not a stack ARN`);
    switch (name) {
      case 'AWS::AccountId': return arn.account;
      case 'AWS::Region': return arn.region;
      case 'AWS::Partition': return arn.partition;
      case 'AWS::StackId': return this.stack.stackId;
      case 'AWS::StackName': return arn.name;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::URLSuffix': {
        const suffix = URL_SUFFIXES[arn.partition];
        if (!suffix) throw unresolvable('Ref', name, `no URL suffix is known for the partition ${arn.partition}`);
        return suffix;
      }
      default: throw unresolvable('Ref', name, 'this pseudo parameter is not one the approval handler resolves');
    }
  }

  private async parameter(name: string, type: string): Promise<unknown> {
    const stack = await this.stack.describe();
    const parameter = stack.Parameters?.find(p => p.ParameterKey === name);
    const fromSsm = type.startsWith('AWS::SSM::Parameter::');
    const value = fromSsm ? parameter?.ResolvedValue : parameter?.ParameterValue;
    if (value === undefined) {
      throw unresolvable('Ref', name, `DescribeStacks reports no ${fromSsm ? 'ResolvedValue for this Systems Manager parameter' : 'value for this parameter'}`);
    }
    const isList = /^List<.*>$/.test(type) || type === 'CommaDelimitedList' || /^AWS::SSM::Parameter::Value<List<.*>>$/.test(type);
    return isList ? value.split(',').map(item => item.trim()) : value;
  }

  private async physicalId(logicalId: string, how: string): Promise<string> {
    const physicalId = (await this.stack.getPhysicalIds()).get(logicalId);
    if (!physicalId) throw unresolvable(how, logicalId, 'ListStackResources reports no physical ID for this resource', NotCreatedYetError);
    return physicalId;
  }

  private async getAtt(argument: unknown): Promise<unknown> {
    const parts = getAttParts(argument);
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string') {
      throw unresolvable('Fn::GetAtt', argument, 'expected [logicalId, attribute]');
    }
    const [logicalId, attributeArg] = parts;
    const attribute = await this.value(attributeArg);
    const type = (await this.stack.getTemplate()).Resources?.[logicalId]?.Type ?? '(no such resource)';
    if (typeof attribute !== 'string' || !(PHYSICAL_ID_ATTRIBUTES[type] ?? []).includes(attribute)) {
      throw unresolvable('Fn::GetAtt', argument, `the attribute of a ${type} is not one the approval handler resolves`);
    }
    return this.physicalId(logicalId, 'Fn::GetAtt');
  }

  private async importValue(argument: unknown): Promise<unknown> {
    const name = await this.value(argument);
    if (typeof name !== 'string') throw unresolvable('Fn::ImportValue', argument, 'expected an export name');
    const value = (await this.stack.getExports()).get(name);
    if (value === undefined) throw unresolvable('Fn::ImportValue', name, 'ListExports reports no export of that name');
    return value;
  }

  private async join(argument: unknown): Promise<unknown> {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
      throw unresolvable('Fn::Join', argument, 'expected [delimiter, list]');
    }
    const items = await this.value(argument[1]);
    if (!Array.isArray(items) || !items.every(isScalar)) throw unresolvable('Fn::Join', argument, 'expected a list of strings');
    return items.map(String).join(argument[0]);
  }

  private async select(argument: unknown): Promise<unknown> {
    if (!Array.isArray(argument) || argument.length !== 2) throw unresolvable('Fn::Select', argument, 'expected [index, list]');
    const index = Number(await this.value(argument[0]));
    const items = await this.value(argument[1]);
    if (!Array.isArray(items) || !Number.isInteger(index) || index < 0 || index >= items.length) {
      throw unresolvable('Fn::Select', argument, 'the index is not within the list');
    }
    return items[index];
  }

  private async split(argument: unknown): Promise<unknown> {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string' || argument[0] === '') {
      throw unresolvable('Fn::Split', argument, 'expected [delimiter, string]');
    }
    const text = await this.value(argument[1]);
    if (typeof text !== 'string') throw unresolvable('Fn::Split', argument, 'expected a string to split');
    return text.split(argument[0]);
  }

  private async sub(argument: unknown): Promise<unknown> {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    if (typeof text !== 'string' || variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
      throw unresolvable('Fn::Sub', argument, 'expected a string, or [string, variables]');
    }
    const values = new Map<string, string>();
    for (const [name, variable] of Object.entries(variables as Record<string, unknown>)) {
      const resolved = await this.value(variable);
      if (!isScalar(resolved)) throw unresolvable('Fn::Sub', argument, `the variable ${name} is not a string`);
      values.set(name, String(resolved));
    }
    let result = '';
    let rest = text;
    for (let start = rest.indexOf('${'); start >= 0; start = rest.indexOf('${')) {
      const end = rest.indexOf('}', start);
      if (end < 0) throw unresolvable('Fn::Sub', argument, 'a ${ is not closed');
      const name = rest.slice(start + 2, end);
      result += rest.slice(0, start);
      if (name.startsWith('!')) result += `\${${name.slice(1)}}`;
      else result += values.get(name) ?? String(await this.subVariable(name, argument));
      rest = rest.slice(end + 1);
    }
    return result + rest;
  }

  private async subVariable(name: string, argument: unknown): Promise<unknown> {
    const resolved = name.includes('.') ? await this.getAtt(name) : await this.ref(name);
    if (!isScalar(resolved)) throw unresolvable('Fn::Sub', argument, `\${${name}} is not a string`);
    return resolved;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function unresolvable(name: string, argument: unknown, why: string, kind = UnresolvableError): UnresolvableError {
  const shown = JSON.stringify(argument) ?? String(argument);
  return new kind(`Cannot resolve {"${name}": ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}} `
    + `from what CloudFormation holds for the stack: ${why}. Nothing was decided from it.`);
}
