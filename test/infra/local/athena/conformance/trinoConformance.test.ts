import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestStack, type TestStack } from '../../../../support/localStack';
import { FAMILY_CORPUS, FAMILY_DUCKDB_ONLY } from './corpus';
import { type CorpusQuery, DUCKDB_ONLY_CORPUS, TRINO_CORPUS } from './trinoCorpus';

const CORPUS: readonly CorpusQuery[] = [...TRINO_CORPUS, ...FAMILY_CORPUS];
const REFUSED = [...DUCKDB_ONLY_CORPUS, ...FAMILY_DUCKDB_ONLY];

let testStack: TestStack;
let athena: AthenaClient;

beforeAll(async () => {
  testStack = await startTestStack();
  athena = new AthenaClient(testStack.clientConfig);
  const s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'corpus-results' }));
  // A table with a date and a timestamp column and no files yet (typed, empty), for the comparisons Athena refuses.
  await s3.send(new CreateBucketCommand({ Bucket: 'corpus-lake' }));
  const glue = new GlueClient(testStack.clientConfig);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'corpus' } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: 'corpus',
      TableInput: {
        Name: 'days',
        Parameters: { classification: 'parquet' },
        StorageDescriptor: {
          Location: 's3://corpus-lake/days/',
          Columns: [
            { Name: 'd', Type: 'date' },
            { Name: 'ts', Type: 'timestamp' },
            { Name: 'label', Type: 'string' },
          ],
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    }),
  );
});

afterAll(async () => {
  await testStack?.stop();
});

/** Runs one query through the Athena API to its final state. */
async function run(sql: string): Promise<QueryExecution> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      ResultConfiguration: { OutputLocation: 's3://corpus-results/' },
    }),
  );
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = QueryExecution?.Status?.State;
    if (state !== 'QUEUED' && state !== 'RUNNING') return QueryExecution as QueryExecution;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The first result row's values as GetQueryResults gives them, or the failure reason. */
async function firstRow(sql: string): Promise<readonly (string | null)[] | string> {
  const execution = await run(sql);
  if (execution.Status?.State !== 'SUCCEEDED')
    return `${execution.Status?.State}: ${execution.Status?.StateChangeReason}`;
  const results = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
  const row = results.ResultSet?.Rows?.[1]?.Data ?? [];
  return row.map((d) => d.VarCharValue ?? null);
}

describe('the Trino conformance corpus', () => {
  it('answers the documentation examples as Athena does, and still differs where the corpus says so', async () => {
    const outcomes: { query: CorpusQuery; actual: readonly (string | null)[] | string; same: boolean }[] = [];
    for (const query of CORPUS) {
      const actual = await firstRow(query.sql);
      outcomes.push({ query, actual, same: JSON.stringify(actual) === JSON.stringify(query.expected) });
    }
    if (process.env.CORPUS_REPORT) {
      for (const o of outcomes)
        if (!o.same) console.log(o.query.sql, '=>', JSON.stringify(o.actual), o.query.differs ?? '');
    }
    const wrong = outcomes
      .filter((o) => !o.query.differs && !o.same)
      .map((o) => ({ sql: o.query.sql, actual: o.actual }));
    const fixed = outcomes.filter((o) => o.query.differs && o.same).map((o) => o.query.sql);
    expect({ wrong, fixed }).toEqual({ wrong: [], fixed: [] });
    const passing = outcomes.filter((o) => o.same).length;
    // docs/local-stack.md states this rate; keep the two in step.
    expect(`${passing}/${outcomes.length}`).toBe('642/653');
  }, 600_000);

  it.each(REFUSED.map((q) => [q.sql, q.error] as const))(
    'refuses DuckDB-only SQL as Athena does: %s',
    async (sql, error) => {
      const execution = await run(sql);
      expect(execution.Status?.State).toBe('FAILED');
      expect(execution.Status?.StateChangeReason).toMatch(error);
    },
  );
});
