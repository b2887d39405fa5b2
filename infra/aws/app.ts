import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveStageConfig, STAGE_CONTEXT_KEYS, type StageConfig, type StageContext } from './config';
import { StatefulStack } from './stacks/StatefulStack';

/** The stacks of one stage, as {@link buildApp} composes them. */
export interface ExamlakeStacks {
  readonly config: StageConfig;
  readonly stateful: StatefulStack;
}

/**
 * Composes examlake's stacks in `app`, configured from its context: the only place that reads context.
 * The AWS Solutions rule pack runs at synthesis, so `cdk synth` fails on any unacknowledged finding.
 */
export function buildApp(app: App): ExamlakeStacks {
  const context: StageContext = Object.fromEntries(STAGE_CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));
  const config = resolveStageConfig(context);
  const prefix = `examlake-${config.stage}`;
  const env = config.env;
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    config,
    ...(env ? { env } : {}),
    description: `examlake ${config.stage}: buckets, tables, Glue catalog and user pool (retained data)`,
    terminationProtection: config.deletionProtection,
  });
  Tags.of(app).add('project', 'examlake');
  Tags.of(app).add('examlake:stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful };
}

if (require.main === module) {
  const app = new App();
  buildApp(app);
  app.synth();
}
