import { App, Tags, Validations } from 'aws-cdk-lib';
import { resolveStageConfig, STAGE_CONTEXT_KEYS, type StageConfig, type StageContext } from './config';
import { ExamlakeNagChecks } from './ExamlakeNagChecks';
import { StatefulStack } from './stacks/StatefulStack';
import { StatelessStack } from './stacks/StatelessStack';

/** The stacks of one stage, as {@link buildApp} composes them. */
export interface ExamlakeStacks {
  readonly config: StageConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
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
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    config,
    stateful,
    ...(env ? { env } : {}),
    description: `examlake ${config.stage}: functions, Glue job, event rules, workgroup, REST API, docs, monitoring`,
  });
  stateless.addStackDependency(stateful);
  Tags.of(app).add('project', 'examlake');
  Tags.of(app).add('examlake:stage', config.stage);
  Validations.of(app).addPlugins(new ExamlakeNagChecks());
  return { config, stateful, stateless };
}

if (require.main === module) {
  const app = new App();
  buildApp(app);
  app.synth();
}
