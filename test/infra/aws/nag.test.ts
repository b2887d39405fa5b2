import { type App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ExamlakeNagChecks } from '../../../infra/aws/ExamlakeNagChecks';
import { synthesizeApp } from './synthesizeApp';

/** Stage configurations whose acknowledgments differ: the default, and a strict production stage. */
const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  default: {},
  'prod, MFA required, Essentials plan, data destroyed on removal': {
    stage: 'prod',
    mfa: 'required',
    identityFeaturePlan: 'essentials',
    destroyDataOnRemoval: 'true',
    authDomainPrefix: 'examlake-prod-auth',
  },
};

interface Finding {
  readonly rule: string;
  readonly path: string;
}

interface Acknowledgment {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
  readonly scope: IConstruct;
}

describe.each(Object.entries(CONFIGURATIONS))('cdk-nag AwsSolutions, %s', (_name, context) => {
  let app: App;
  let unacknowledged: Finding[];
  let all: Finding[];
  let acknowledgments: Acknowledgment[];

  beforeAll(() => {
    app = synthesizeApp(context).app;
    // Synthesis applies aspects (tags, auto-delete) so the tree is the one `cdk synth` checks. It also runs the
    // rule pack app.ts registers and throws on findings; the first test lists them.
    try {
      app.synth();
    } catch {}
    unacknowledged = findings(new ExamlakeNagChecks(), app);
    const ignoringAcknowledgments = new AwsSolutionsChecks();
    // The pack's own acknowledgment lookup, switched off to see every finding an acknowledgment hides.
    Object.assign(ignoringAcknowledgments, { isAcknowledged: () => false });
    all = findings(ignoringAcknowledgments, app);
    acknowledgments = acknowledgmentsIn(app);
  });

  it('reports no unacknowledged error or warning', () => {
    expect(unacknowledged).toEqual([]);
  });

  it('acknowledges only findings that exist, so none outlives the reason for it', () => {
    const stale = acknowledgments.filter(
      (ack) => !all.some((f) => covers(ack.rule, f.rule) && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale.map((ack) => `${ack.rule} on ${ack.path}`)).toEqual([]);
  });

  it('gives every acknowledgment a reason and the narrowest scope: a resource, never a stack or the app', () => {
    for (const ack of acknowledgments) {
      expect([ack.rule, ack.reason.length >= 40]).toEqual([ack.rule, true]);
      expect([ack.rule, Stack.isStack(ack.scope) || Stage.isStage(ack.scope)]).toEqual([ack.rule, false]);
    }
  });
});

/** An acknowledgment id covers a finding with that id, or every finding of its rule (`Rule[*]`). */
function covers(acknowledged: string, finding: string): boolean {
  return acknowledged === finding || (acknowledged.endsWith('[*]') && finding.startsWith(acknowledged.slice(0, -2)));
}

function findings(pack: AwsSolutionsChecks | ExamlakeNagChecks, app: App): Finding[] {
  const report = pack.validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      path: resource.constructPath ?? '?',
    })),
  );
}

function acknowledgmentsIn(app: App): Acknowledgment[] {
  return app.node.findAll().flatMap((scope) =>
    scope.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          rule: id.replace(/^annotation::/i, ''),
          path: scope.node.path,
          reason,
          scope,
        })),
      ),
  );
}
