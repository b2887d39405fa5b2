import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import type { EtlConfig } from '../../etl/orchestration/etlConfig';
import {
  type EventBridgeEnvelope,
  IngestTrigger,
  type S3ObjectCreatedDetail,
} from '../../etl/orchestration/IngestTrigger';
import { type GlueJobStateChangeDetail, JobStateRecorder } from '../../etl/orchestration/JobStateRecorder';
import { RunsStore } from '../../etl/orchestration/RunsStore';
import { createTransformJob, type TransformJobDeps } from '../../etl/transform/createTransformJob';
import { localStudentKeySecret } from '../../etl/transform/studentKey';
import { LOCAL_RESOURCE_NAMES } from './bootstrap';
import { LOCAL_CREDENTIALS } from './config';
import { localTransformRun } from './glue/localTransformRun';
import { sparkSubmitJob } from './glue/spark/sparkSubmitJob';
import type { LocalStack } from './LocalStack';

export interface WireEtlOptions {
  /**
   * How long the ingest trigger collects S3 events before starting one run for all of them (the local stand-in
   * for the SQS batching window in front of the trigger Lambda on AWS).
   * @default 250
   */
  readonly batchWindowMs?: number;
  /** Observer of the job's stages (see `createTransformJob`). */
  readonly onStage?: TransformJobDeps['onStage'];
  /**
   * Whether uploads to the raw bucket start runs (the ingest trigger). Off, runs start only by StartJobRun (tests
   * that decide exactly which objects one run reads, such as the conformance corpus).
   * @default true
   */
  readonly trigger?: boolean;
}

/** The local resource names as the ETL configuration. */
export const LOCAL_ETL_CONFIG: EtlConfig = Object.freeze({
  rawBucket: LOCAL_RESOURCE_NAMES.rawBucket,
  curatedBucket: LOCAL_RESOURCE_NAMES.curatedBucket,
  runsTable: LOCAL_RESOURCE_NAMES.runsTable,
  glueDatabase: LOCAL_RESOURCE_NAMES.glueDatabase,
  transformJob: LOCAL_RESOURCE_NAMES.transformJob,
});

/**
 * Wires the ETL into a local stack as the CDK app wires it on AWS: registers the transform as the
 * `examlake-transform` job (the DuckDB transform, or with the stack's `glueEngine: 'spark'` the AWS job script
 * under spark-submit; `onStage` observes only the DuckDB transform), and subscribes the ingest-trigger and job-state handlers to the stack's event bus
 * (S3 `Object Created` of the raw bucket, Glue `Glue Job State Change`), as EventBridge rules would.
 * Returns a function that unsubscribes both (the job stays registered).
 */
export function wireEtl(stack: LocalStack, options: WireEtlOptions = {}): () => void {
  const config = LOCAL_ETL_CONFIG;
  const clientConfig = {
    endpoint: stack.endpoint,
    region: stack.config.region,
    credentials: { ...LOCAL_CREDENTIALS },
  };
  const runClients = () => {
    const clients = {
      s3: new S3Client({ ...clientConfig, forcePathStyle: true }),
      glue: new GlueClient(clientConfig),
      dynamodb: new DynamoDBClient(clientConfig),
    };
    return {
      ...clients,
      destroy: () => {
        for (const c of Object.values(clients)) c.destroy();
      },
    };
  };
  const transform = createTransformJob({
    config,
    clients: runClients,
    studentKeySecret: () => localStudentKeySecret(stack.config.dataDir),
    onStage: options.onStage,
  });
  stack.registerJob(
    config.transformJob,
    stack.sparkRuntime
      ? sparkSubmitJob({
          runtime: stack.sparkRuntime,
          job: { ...config, studentKeySecretId: LOCAL_RESOURCE_NAMES.studentKeySecret },
          driverMemory: stack.config.sparkDriverMemory,
          ivyDir: stack.config.sparkIvyDir,
          credentials: LOCAL_CREDENTIALS,
        })
      : (run) => transform(localTransformRun(run)),
  );
  const glue = new GlueClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const runs = new RunsStore(dynamodb, config.runsTable);
  const trigger = new IngestTrigger({ glue, runs, rawBucket: config.rawBucket, jobName: config.transformJob });
  const recorder = new JobStateRecorder({ glue, runs, jobName: config.transformJob });

  const windowMs = options.batchWindowMs ?? 250;
  let batch: { events: EventBridgeEnvelope<S3ObjectCreatedDetail>[]; done: Promise<unknown> } | undefined;
  const onObjectCreated = (event: EventBridgeEnvelope<S3ObjectCreatedDetail>) => {
    if (!batch) {
      const events: EventBridgeEnvelope<S3ObjectCreatedDetail>[] = [];
      const done = new Promise((resolve) => setTimeout(resolve, windowMs)).then(() => {
        batch = undefined;
        return trigger.handle(events);
      });
      batch = { events, done };
    }
    batch.events.push(event);
    // The delivery settles with the batch, so the bus's drain() (and the stack's close) waits for the run start.
    return batch.done.then(() => undefined);
  };
  const unsubscribes = [
    ...(options.trigger === false
      ? []
      : [
          stack.events.subscribe<S3ObjectCreatedDetail>({ source: ['aws.s3'], detailType: ['Object Created'] }, (e) =>
            onObjectCreated(e),
          ),
        ]),
    stack.events.subscribe<GlueJobStateChangeDetail>(
      { source: ['aws.glue'], detailType: ['Glue Job State Change'] },
      async (e) => {
        await recorder.handle(e);
      },
    ),
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
