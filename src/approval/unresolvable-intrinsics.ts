import { PHYSICAL_ID_ATTRIBUTES, RESOLVABLE_INTRINSICS, RESOLVABLE_PSEUDO_PARAMETERS, getAttParts, isIntrinsicName } from './handler-contract';
import { TemplateFacts } from './template-facts';

/** An intrinsic function in a resolved value that the approval handler cannot resolve. */
export interface UnresolvableIntrinsic {
  /** Where it is, such as `EndpointIds[1]`. */
  readonly path: string;
  /** The intrinsic, as it is rendered into the template. */
  readonly intrinsic: Record<string, unknown>;
  /** Why the handler cannot resolve it. */
  readonly reason: string;
}

const RESOLVABLE: ReadonlySet<string> = new Set(RESOLVABLE_INTRINSICS);
const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set(RESOLVABLE_PSEUDO_PARAMETERS);

/**
 * The intrinsic functions in `value` (a resolved CloudFormation value found at `path`) that the
 * approval handler cannot resolve from its stack's template, the way its resolver works:
 * `RESOLVABLE_INTRINSICS` only; `Ref` to a resolvable pseudo parameter, a parameter or a
 * resource of the template; `Fn::GetAtt` only of an attribute in `PHYSICAL_ID_ATTRIBUTES`;
 * `Fn::Sub` references under the same rules.
 */
export function unresolvableIntrinsics(value: unknown, path: string, facts: TemplateFacts): UnresolvableIntrinsic[] {
  return walk(value, path, facts, true);
}

/** `atValue`: whether `path` follows `value` down; inside an intrinsic's arguments it stays at the intrinsic. */
function walk(value: unknown, path: string, facts: TemplateFacts, atValue: boolean): UnresolvableIntrinsic[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => walk(item, atValue ? `${path}[${index}]` : path, facts, atValue));
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && isIntrinsicName(entries[0][0])) {
    const [name, argument] = entries[0];
    const reason = whyUnresolvable(name, argument, facts);
    if (reason) return [{ path, intrinsic: { [name]: argument }, reason }];
    const inner = name === 'Fn::Sub' ? subVariables(argument) : [argument];
    return inner.flatMap(item => walk(item, path, facts, false));
  }
  return entries.flatMap(([key, item]) => walk(item, atValue ? `${path}.${key}` : path, facts, atValue));
}

/** Why the handler cannot resolve this intrinsic itself (its arguments aside); none when it can. */
function whyUnresolvable(name: string, argument: unknown, facts: TemplateFacts): string | undefined {
  if (!RESOLVABLE.has(name)) return `${name} is not a function the handler resolves`;
  if (name === 'Ref') return whyRefUnresolvable(argument, facts);
  if (name === 'Fn::GetAtt') return whyGetAttUnresolvable(argument, facts);
  if (name === 'Fn::Sub') return whySubUnresolvable(argument, facts);
  return undefined;
}

function whyRefUnresolvable(argument: unknown, facts: TemplateFacts): string | undefined {
  if (typeof argument !== 'string') return 'Ref takes the literal name of a parameter or resource';
  if (argument.startsWith('AWS::')) {
    return PSEUDO_PARAMETERS.has(argument) ? undefined : `${argument} is not a pseudo parameter the handler resolves`;
  }
  if (facts.hasParameter(argument) || facts.resourceType(argument) !== undefined) return undefined;
  return `${argument} is no parameter or resource of this stack`;
}

function whyGetAttUnresolvable(argument: unknown, facts: TemplateFacts): string | undefined {
  const parts = getAttParts(argument);
  if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string') {
    return 'Fn::GetAtt takes a literal logical ID and attribute name';
  }
  const [logicalId, attribute] = parts;
  const type = facts.resourceType(logicalId);
  if (type === undefined) return `${logicalId} is no resource of this stack`;
  if (!(PHYSICAL_ID_ATTRIBUTES[type] ?? []).includes(attribute)) return `${type} attribute ${attribute} is not one the handler resolves`;
  return undefined;
}

function whySubUnresolvable(argument: unknown, facts: TemplateFacts): string | undefined {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    return 'Fn::Sub takes a literal string, or a literal string and a map of variables';
  }
  const references = text.match(/\$\{[^}]*\}/g) ?? [];
  if (text.replace(/\$\{[^}]*\}/g, '').includes('${')) return 'a ${ of the Fn::Sub string is not closed';
  for (const reference of references) {
    const name = reference.slice(2, -1);
    if (name.startsWith('!') || Object.prototype.hasOwnProperty.call(variables, name)) continue;
    const why = name.includes('.') ? whyGetAttUnresolvable(name, facts) : whyRefUnresolvable(name, facts);
    if (why) return `${reference}: ${why}`;
  }
  return undefined;
}

/** The values of an `Fn::Sub`'s variables, which may hold intrinsics of their own. */
function subVariables(argument: unknown): unknown[] {
  return Array.isArray(argument) && argument[1] !== null && typeof argument[1] === 'object' ? Object.values(argument[1]) : [];
}
