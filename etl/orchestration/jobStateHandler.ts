import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { loadEtlConfig } from './etlConfig';
import { FinalStateStore } from './FinalStateStore';
import type { EventBridgeEnvelope } from './IngestTrigger';
import { type GlueJobStateChangeDetail, type JobStateOutcome, JobStateRecorder } from './JobStateRecorder';

let recorder: JobStateRecorder | undefined;

/** Built once per cold start: configuration from the environment, SDK clients from the default chain. */
function instance(): JobStateRecorder {
  if (!recorder) {
    const config = loadEtlConfig(process.env);
    recorder = new JobStateRecorder({
      glue: new GlueClient({}),
      runs: new FinalStateStore(new DynamoDBClient({}), config.runsTable),
      jobName: config.transformJob,
    });
  }
  return recorder;
}

/**
 * Lambda entry for Glue `Glue Job State Change` events of the transform job (EventBridge rule): records the
 * run's end in the `runs` table and starts a run deferred while this one was busy.
 */
export async function handler(event: EventBridgeEnvelope<GlueJobStateChangeDetail>): Promise<JobStateOutcome> {
  const outcome = await instance().handle(event);
  console.log(JSON.stringify({ message: 'job state', runId: event.detail?.jobRunId, ...outcome }));
  return outcome;
}
