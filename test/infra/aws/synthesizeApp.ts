import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { buildApp, type ExamlakeStacks } from '../../../infra/aws/app';

/** The app as `cdk synth` builds it: cdk.json's context (feature flags) plus the given context values. */
export function synthesizeApp(context: Record<string, unknown> = {}): ExamlakeStacks & { app: App } {
  const app = new App({ context: { ...cdkJson.context, ...context } });
  return { app, ...buildApp(app) };
}

/** The stateful stack's template for the given context. */
export function statefulTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(synthesizeApp(context).stateful);
}
