import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RunsStore } from '../../../etl/orchestration/RunsStore';
import { waitForRuns } from '../../../etl/orchestration/waitForRuns';
import { LOCAL_ETL_CONFIG } from '../../../infra/local/wireEtl';
import { examResultsCsv, examRow } from '../../etl/support/examResultsCsv';
import type { TestStack } from '../../support/localStack';

/** A group of identical first attempts: `count` students of one school and subject who passed or not. */
export interface AttemptGroup {
  readonly region: string;
  readonly district: string;
  readonly school: string;
  readonly subject: string;
  readonly passed: boolean;
  readonly count: number;
}

/** Uploads an exam_results export made of these groups and waits until the ETL has made it curated data. */
export async function loadExamResults(stack: TestStack, groups: readonly AttemptGroup[]): Promise<void> {
  const rows = groups.flatMap((g) =>
    Array.from({ length: g.count }, () =>
      examRow({
        region: g.region,
        district_id: g.district,
        school_id: g.school,
        class_id: `${g.school}-05A`,
        subject: g.subject,
        exam_id: `${g.subject.slice(0, 3).toUpperCase()}-G05-2025`,
        passed: String(g.passed),
        score: g.passed ? '31.00' : '11.00',
      }),
    ),
  );
  const config = LOCAL_ETL_CONFIG;
  const s3 = new S3Client({ ...stack.clientConfig, forcePathStyle: true });
  const glue = new GlueClient(stack.clientConfig);
  const dynamodb = new DynamoDBClient(stack.clientConfig);
  try {
    const since = new Date();
    const key = 'exam_results/access-test.csv';
    const { ETag } = await s3.send(
      new PutObjectCommand({ Bucket: config.rawBucket, Key: key, Body: examResultsCsv(rows) }),
    );
    const outcome = await waitForRuns({
      runs: new RunsStore(dynamodb, config.runsTable),
      glue,
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
      objects: [{ key, etag: ETag!.replace(/"/g, '') }],
      since,
      timeoutMs: 60_000,
      pollMs: 50,
    });
    if (!outcome.ok) throw new Error(outcome.message);
  } finally {
    for (const client of [s3, glue, dynamodb]) client.destroy();
  }
}
