import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GetTableCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { RunsStore } from '../../../etl/orchestration/RunsStore';
import type { TransformStage } from '../../../etl/transform/createTransformJob';
import type { TransformRun } from '../../../etl/transform/TransformRun';
import { bootstrapResources } from '../../../infra/local/bootstrap';
import type { LocalStackConfig } from '../../../infra/local/config';
import { LOCAL_ETL_CONFIG, wireEtl } from '../../../infra/local/wireEtl';
import { startTestStack, type TestStack } from '../../support/localStack';

/** A local stack with the resources and the ETL wired, plus clients and a hook to hold a run at a stage. */
export interface EtlTestStack {
  readonly test: TestStack;
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly runs: RunsStore;
  /** Holds the next run that reaches `stage` until the returned release is called. */
  holdAt(stage: TransformStage): { reached: Promise<TransformRun>; release: () => void };
  startRun(args?: Record<string, string>): Promise<string>;
  /** Resolves with the run's final state (polling GetJobRun). */
  runEnd(runId: string): Promise<string>;
  dataVersion(dataset: string): Promise<{ version: string | undefined; location: string | undefined }>;
  stop(): Promise<void>;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);

/** A local stack with the ETL wired; `overrides` choose e.g. the Glue engine (`glueEngine: 'spark'`). */
export async function startEtlStack(overrides: Partial<LocalStackConfig> = {}): Promise<EtlTestStack> {
  const test = await startTestStack({ glueMinuteMs: 5_000, ...overrides });
  await bootstrapResources(test.clientConfig, { dataDir: test.dataDir });
  const holds = new Map<TransformStage, { reached: (run: TransformRun) => void; gate: Promise<void> }>();
  const unwire = wireEtl(test.stack, {
    batchWindowMs: 500,
    onStage: async (stage, run) => {
      const hold = holds.get(stage);
      if (!hold) return;
      holds.delete(stage);
      hold.reached(run);
      await hold.gate;
    },
  });
  const s3 = new S3Client({ ...test.clientConfig, forcePathStyle: true });
  const glue = new GlueClient(test.clientConfig);
  const dynamodb = new DynamoDBClient(test.clientConfig);
  const config = LOCAL_ETL_CONFIG;
  return {
    test,
    s3,
    glue,
    runs: new RunsStore(dynamodb, config.runsTable),
    holdAt(stage) {
      let release!: () => void;
      let reached!: (run: TransformRun) => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const reachedPromise = new Promise<TransformRun>((r) => {
        reached = r;
      });
      holds.set(stage, { reached, gate });
      return { reached: reachedPromise, release };
    },
    async startRun(args = {}) {
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: config.transformJob, Arguments: args }));
      return JobRunId!;
    },
    async runEnd(runId) {
      for (;;) {
        const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: config.transformJob, RunId: runId }));
        if (FINAL.has(JobRun?.JobRunState ?? '')) {
          await test.stack.events.drain();
          return JobRun!.JobRunState!;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async dataVersion(dataset) {
      const { Table } = await glue.send(new GetTableCommand({ DatabaseName: config.glueDatabase, Name: dataset }));
      return { version: Table?.Parameters?.['examlake.data_version'], location: Table?.StorageDescriptor?.Location };
    },
    async stop() {
      unwire();
      await test.stack.events.drain();
      for (const c of [s3, glue, dynamodb]) c.destroy();
      await test.stop();
    },
  };
}
