import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { loadEtlConfig } from './etlConfig';
import { eventsOf, IngestTrigger, type TriggerOutcome } from './IngestTrigger';
import { PendingRunMarker } from './PendingRunMarker';

let trigger: IngestTrigger | undefined;

/** Built once per cold start: configuration from the environment, SDK clients from the default chain. */
function instance(): IngestTrigger {
  if (!trigger) {
    const config = loadEtlConfig(process.env);
    trigger = new IngestTrigger({
      glue: new GlueClient({}),
      runs: new PendingRunMarker(new DynamoDBClient({}), config.runsTable),
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
    });
  }
  return trigger;
}

/**
 * Lambda entry for S3 `Object Created` events of the raw bucket, delivered by EventBridge (one event) or through
 * an SQS queue with a batching window (many events, one invocation): starts one transform run per invocation.
 */
export async function handler(event: unknown): Promise<TriggerOutcome> {
  const outcome = await instance().handle(eventsOf(event));
  console.log(JSON.stringify({ message: 'ingest trigger', ...outcome }));
  return outcome;
}
