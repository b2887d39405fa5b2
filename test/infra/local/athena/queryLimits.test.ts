import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { timeoutReason } from '../../../../infra/local/athena/QueryExecutions';
import { startTestStack, type TestStack } from '../../../support/localStack';

/**
 * The local Athena's wall clock: the attack run's two cross joins held both engine slots until they ended, and
 * another caller's query waited 51 s. With a run-time limit they are CANCELLED as Athena cancels a query (state and
 * StateChangeReason), and the queued query is served.
 */
const LIMIT_MS = 1500;
let testStack: TestStack;
let athena: AthenaClient;

beforeAll(async () => {
  testStack = await startTestStack({ athenaConcurrentQueries: 2, athenaQueryTimeoutMs: LIMIT_MS });
  athena = new AthenaClient(testStack.clientConfig);
  const s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'athena-results' }));
  s3.destroy();
});
afterAll(async () => {
  athena?.destroy();
  await testStack?.stop();
});

const start = async (sql: string) =>
  (
    await athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        ResultConfiguration: { OutputLocation: 's3://athena-results/limits/' },
      }),
    )
  ).QueryExecutionId!;

async function finished(id: string): Promise<QueryExecution> {
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    if (!['QUEUED', 'RUNNING'].includes(QueryExecution?.Status?.State ?? '')) return QueryExecution!;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local Athena query limits', () => {
  it('cancels cross joins at the run-time limit and then serves another caller’s queued query', async () => {
    const crossJoin = 'SELECT sum(a.range * b.range) AS s FROM range(2000000) a, range(2000000) b';
    const started = Date.now();
    const hogs = [await start(crossJoin), await start(crossJoin)];
    const other = await start('SELECT 42 AS answer');
    const served = await finished(other);
    expect([served.Status?.State, served.Status?.StateChangeReason]).toEqual(['SUCCEEDED', undefined]);
    // Served after the hogs' limit, long before they would have ended (hours at this size).
    expect(Date.now() - started).toBeLessThan(LIMIT_MS + 10_000);
    for (const id of hogs) {
      const execution = await finished(id);
      expect(execution.Status?.State).toBe('CANCELLED');
      expect(execution.Status?.StateChangeReason).toBe(timeoutReason(LIMIT_MS));
      expect(execution.Status?.StateChangeReason).toContain('EXAMLAKE_ATHENA_QUERY_TIMEOUT_MS');
      expect(execution.Status?.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false });
    }
  }, 30_000);
});
