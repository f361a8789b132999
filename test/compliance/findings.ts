import * as fs from 'fs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { constructAtPath, isLibraryResource, resourceByLogicalId } from './library-resources';

/** One finding: the rule and the construct path of the resource. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
}

/** The unacknowledged findings of a cdk-nag pack on the library's resources of `stacks`. */
export function nagFindingsOnLibraryResources(pack: NagPack, stacks: Stack[]): Finding[] {
  return stacks.flatMap(stack => pack.validateScope(stack).violations.flatMap(violation => violation.violatingResources
    .filter(resource => isLibraryResource(constructAtPath(stack, resource.constructPath!)))
    .map(resource => ({ rule: violation.ruleName, path: resource.constructPath! }))));
}

/**
 * The findings of the cfn-guard Control Tower rules on the library's resources of `stacks`, without those
 * acknowledged in the resource's `Metadata.guard.SuppressedRules`. The validator runs on the synthesized
 * templates directly (not registered on the App). It also reports, per failing rule, an entry without a
 * resource and with empty locations: a quirk of its result parsing, which names nothing to filter.
 */
export function guardFindingsOnLibraryResources(app: App, stacks: Stack[]): Finding[] {
  const assembly = app.synth();
  return stacks.flatMap(stack => {
    const templatePath = assembly.getStackByName(stack.stackName).templateFullPath;
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    const report = new CfnGuardValidator().validate({ templatePaths: [templatePath] });
    return report.violations.flatMap(violation => violation.violatingResources.flatMap(resource => {
      if (resource.resourceLogicalId === undefined) {
        expect(resource.locations.every(location => location === '')).toBe(true);
        return [];
      }
      const suppressed: string[] = template.Resources[resource.resourceLogicalId]?.Metadata?.guard?.SuppressedRules ?? [];
      const cfn = resourceByLogicalId(stack, resource.resourceLogicalId);
      if (!cfn) throw new Error(`no resource ${resource.resourceLogicalId} in ${stack.stackName}`);
      if (!isLibraryResource(cfn) || suppressed.includes(violation.ruleName)) return [];
      return [{ rule: violation.ruleName, path: cfn.node.path }];
    }));
  });
}
