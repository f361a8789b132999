import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct, IValidation } from 'constructs';
import { PHYSICAL_ID_ATTRIBUTES, RESOLVABLE_INTRINSICS, RESOLVABLE_PSEUDO_PARAMETERS } from './handler-contract';
import { stackTemplateFacts } from './template-facts';
import { UnresolvableIntrinsic, unresolvableIntrinsics } from './unresolvable-intrinsics';

const MAX_SHOWN = 160;

const EXPECTED = 'expected literal values, Ref to a resource or parameter of this stack or to '
  + `${RESOLVABLE_PSEUDO_PARAMETERS.join(', ')}, Fn::ImportValue, or Fn::GetAtt `
  + `${Object.entries(PHYSICAL_ID_ATTRIBUTES).flatMap(([type, attributes]) => attributes.map(a => `${type}.${a}`)).join(' or ')}, `
  + `combined with ${RESOLVABLE_INTRINSICS.filter(name => !['Ref', 'Fn::GetAtt', 'Fn::ImportValue'].includes(name)).join(', ')}`;

interface CheckedApproval {
  /** What the resource is, for the message: `Connection approval`, `Private DNS name`. */
  readonly label: string;
  readonly approval: IConstruct;
  readonly resource: CfnResource;
  readonly properties: Record<string, unknown>;
}

/**
 * Checks at synthesis, after cross-stack references are rendered, that the approval handler
 * can resolve the properties of each approval of one stack from the stack's template, as
 * CloudFormation will hold them. The handler fails closed on anything else, so this only
 * moves the failure from the deployment to `cdk synth`. One check per stack, so the stack's
 * template is indexed once, and only when an approval refers into it.
 */
export class ResolvablePropertiesCheck implements IValidation {
  private readonly approvals: CheckedApproval[] = [];

  constructor(private readonly stack: Stack) {}

  /** Checks the `properties` that `approval` (or another construct of the handler, named by `label`) renders into its custom resource `resource`. */
  public add(approval: IConstruct, resource: CfnResource, properties: Record<string, unknown>, label = 'Connection approval'): void {
    this.approvals.push({ label, approval, resource, properties });
  }

  public validate(): string[] {
    const facts = stackTemplateFacts(this.stack);
    return this.approvals.flatMap(({ label, approval, resource, properties }) => {
      const prefix = `${label} ${approval.node.path}:`;
      const condition = resource.cfnOptions.condition;
      const conditionErrors = condition ? [`${prefix} its custom resource has the Condition ${this.stack.resolve(condition.logicalId)}, `
        + 'which the approval handler does not evaluate: expected no Condition; leave the approval out of the app instead.'] : [];
      const intrinsicErrors = Object.entries(properties)
        .flatMap(([name, value]) => unresolvableIntrinsics(this.stack.resolve(value), name, facts))
        .map(found => `${prefix} ${describe(found)}, which the approval handler cannot resolve from the stack's template; ${EXPECTED}.`);
      return [...conditionErrors, ...intrinsicErrors];
    });
  }
}

function describe(found: UnresolvableIntrinsic): string {
  const json = JSON.stringify(found.intrinsic);
  const shown = json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}…` : json;
  return `${found.path} uses ${shown} (${found.reason})`;
}
