import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The acknowledgment of every finding of a rule on one scope: `AwsSolutions-IAM5[*]`.
 *
 * cdk-nag reports a finding per wildcard (`AwsSolutions-IAM5[Resource::<resolved ARN>/athena/*]`) and matches
 * acknowledgments by exact id. Across stacks those ids embed the synthesized cross-stack reference, which no
 * one should type or maintain. So a policy whose every statement is a deliberate wildcard (object prefixes, a
 * CDK-managed function's grants) is acknowledged once, on that policy alone, and a test pins what it contains.
 */
export function everyFinding(ruleId: string): string {
  return `${ruleId}[*]`;
}

/**
 * The AWS Solutions rule pack, plus {@link everyFinding} acknowledgments. Everything else (rules, exact
 * acknowledgments through `Validations.of(scope).acknowledge`) is cdk-nag's own.
 */
export class ExamlakeNagChecks implements IPolicyValidationPlugin {
  readonly name = 'AwsSolutions (examlake)';
  private readonly pack = new AwsSolutionsChecks();

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as { appConstruct?: IConstruct }).appConstruct;
    if (!app) throw new Error('The CDK validation context has no construct tree (appConstruct)');
    return this.validateScope(app);
  }

  /** Validates a construct tree directly (tests). */
  validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const report = this.pack.validateScope(scope);
    const byPath = new Map(scope.node.findAll().map((construct) => [construct.node.path, construct]));
    const violations = report.violations
      .map((violation) => ({
        ...violation,
        violatingResources: violation.violatingResources.filter((resource) => {
          const construct = resource.constructPath ? byPath.get(resource.constructPath) : undefined;
          return !(construct && acknowledgesEveryFinding(construct, violation.ruleName));
        }),
      }))
      .filter((violation) => violation.violatingResources.length > 0);
    return { success: violations.length === 0, violations };
  }
}

/** Whether `construct` or a scope above it acknowledges every finding of the rule `findingId` belongs to. */
function acknowledgesEveryFinding(construct: IConstruct, findingId: string): boolean {
  const bracket = findingId.indexOf('[');
  if (bracket < 0) return false;
  const wanted = everyFinding(findingId.slice(0, bracket));
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      const ids = Object.keys(entry.data as Record<string, string>).map((id) => id.replace(/^annotation::/i, ''));
      if (ids.includes(wanted)) return true;
    }
  }
  return false;
}
