import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { buildApp, type ExamlakeStacks } from '../../../infra/aws/app';

export interface SynthesizeOptions {
  /**
   * Bundle the functions with esbuild as `cdk synth` does. Off, assets are not built (the CLI's behaviour for
   * stacks it is not deploying), which keeps assertion tests fast; templates are the same either way.
   * @default false
   */
  readonly bundle?: boolean;
  /** @default - a temporary directory CDK chooses */
  readonly outdir?: string;
}

/** The app as `cdk synth` builds it: cdk.json's context (feature flags) plus the given context values. */
export function synthesizeApp(
  context: Record<string, unknown> = {},
  options: SynthesizeOptions = {},
): ExamlakeStacks & { app: App } {
  const app = new App({
    context: { ...cdkJson.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  return { app, ...buildApp(app) };
}

/** The stateful stack's template for the given context. */
export function statefulTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(synthesizeApp(context).stateful);
}

/** The stateless stack's template for the given context. */
export function statelessTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(synthesizeApp(context).stateless);
}
