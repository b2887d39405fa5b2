import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RunsStore } from '../../etl/orchestration/RunsStore';
import { waitForRuns } from '../../etl/orchestration/waitForRuns';
import { LOCAL_ETL_CONFIG } from '../../infra/local/wireEtl';
import type { TestStack } from './localStack';

/**
 * Uploads one raw export to the local stack's raw bucket and waits until the ETL has processed it (the trigger,
 * the Glue run and its summary, as a user's upload goes); throws with the run's message when it did not load.
 */
export async function ingestExport(
  stack: Pick<TestStack, 'clientConfig'>,
  key: string,
  body: string | Uint8Array,
  timeoutMs = 90_000,
): Promise<void> {
  const config = LOCAL_ETL_CONFIG;
  const s3 = new S3Client({ ...stack.clientConfig, forcePathStyle: true });
  const glue = new GlueClient(stack.clientConfig);
  const dynamodb = new DynamoDBClient(stack.clientConfig);
  try {
    const since = new Date();
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: config.rawBucket, Key: key, Body: body }));
    const outcome = await waitForRuns({
      runs: new RunsStore(dynamodb, config.runsTable),
      glue,
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
      objects: [{ key, etag: ETag!.replace(/"/g, '') }],
      since,
      timeoutMs,
      pollMs: 50,
    });
    if (!outcome.ok) throw new Error(outcome.message);
  } finally {
    for (const client of [s3, glue, dynamodb]) client.destroy();
  }
}
