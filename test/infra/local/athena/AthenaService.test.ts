import { createHash } from 'node:crypto';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  InvalidRequestException,
  ListQueryExecutionsCommand,
  ListWorkGroupsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { CUTOFF_REASON, STACK_STOPPED_REASON, STOPPED_REASON } from '../../../../infra/local/athena/QueryExecutions';
import type { EmittedS3ObjectCreatedDetail } from '../../../../infra/local/s3/S3EventPublisher';
import { startTestStack, type TestStack } from '../../../support/localStack';
import { partitionedTable } from './directoryFixtures';

let testStack: TestStack;
let athena: AthenaClient;
let s3: S3Client;
let glue: GlueClient;
const RESULTS = 's3://athena-results/queries/';

/** Parquet bytes made by DuckDB from a SELECT (through a temp file: DuckDB writes Parquet to files). */
async function parquet(select: string): Promise<Buffer> {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-parquet-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = path.join(dir, 'part.parquet');
    await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
    return await readFile(file);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  testStack = await startTestStack({ athenaConcurrentQueries: 1 });
  athena = new AthenaClient(testStack.clientConfig);
  s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  glue = new GlueClient(testStack.clientConfig);
  for (const bucket of ['lake', 'athena-results', 'elsewhere'])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
  const columns: [string, string][] = [
    ['result_id', 'string'],
    ['school_id', 'string'],
    ['score', 'decimal(7,2)'],
    ['passed', 'boolean'],
    ['submitted_at', 'timestamp'],
  ];
  await glue.send(
    new CreateTableCommand({
      DatabaseName: 'lake',
      TableInput: partitionedTable('results', 's3://lake/results/', columns),
    }),
  );
  await glue.send(
    new CreateTableCommand({
      DatabaseName: 'lake',
      TableInput: partitionedTable('big', 's3://lake/big/', [['pad', 'string']]),
    }),
  );
  for (const month of [1, 2]) {
    const body = await parquet(
      `SELECT 'R${month}-' || range AS result_id, 'S' || (range % 2) AS school_id, (range * 10.5)::DECIMAL(7,2) AS score, ` +
        `range % 2 = 0 AS passed, TIMESTAMP '2025-0${month}-01 09:00:00' + to_minutes(range) AS submitted_at FROM range(4)`,
    );
    await s3.send(
      new PutObjectCommand({ Bucket: 'lake', Key: `results/year=2025/month=0${month}/part-0.parquet`, Body: body }),
    );
  }
  // 12 MB of incompressible text: over the smallest cutoff Athena allows (10 MB).
  const big = await parquet(
    'SELECT md5(range::VARCHAR) || md5((range * 7)::VARCHAR) || md5((range * 13)::VARCHAR) AS pad FROM range(130000)',
  );
  await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'big/year=2025/month=01/part-0.parquet', Body: big }));
});

afterAll(async () => {
  for (const client of [athena, s3, glue]) client.destroy();
  await testStack.stop();
});

async function finished(id: string): Promise<QueryExecution> {
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution?.Status?.State;
    if (state !== 'QUEUED' && state !== 'RUNNING') return QueryExecution as QueryExecution;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function start(sql: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: 'lake' },
      ResultConfiguration: { OutputLocation: RESULTS },
      ...extra,
    }),
  );
  return QueryExecutionId as string;
}

async function invalid(promise: Promise<unknown>): Promise<InvalidRequestException> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidRequestException);
  return err as InvalidRequestException;
}

describe('the local Athena service through the SDK', () => {
  it('runs a parameterised query and writes Athena’s CSV to the output location', async () => {
    const id = await start(
      'SELECT school_id, count(*) AS attempts, sum(score) AS total, bool_and(passed) AS all_passed, max(submitted_at) AS last ' +
        'FROM results WHERE month = ? AND school_id <> ? GROUP BY school_id ORDER BY school_id',
      { ExecutionParameters: ['2', "'nobody'"] },
    );
    const execution = await finished(id);
    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect(execution.ResultConfiguration?.OutputLocation).toBe(`${RESULTS}${id}.csv`);
    expect(execution.WorkGroup).toBe('primary');
    expect(execution.Statistics?.DataScannedInBytes).toBeGreaterThan(0);
    expect(execution.Statistics?.TotalExecutionTimeInMillis).toBeGreaterThanOrEqual(
      execution.Statistics?.EngineExecutionTimeInMillis ?? 0,
    );
    expect(execution.ExecutionParameters).toEqual(['2', "'nobody'"]);

    const csv = await (
      await s3.send(new GetObjectCommand({ Bucket: 'athena-results', Key: `queries/${id}.csv` }))
    ).Body?.transformToString();
    expect(csv).toBe(
      '"school_id","attempts","total","all_passed","last"\n' +
        '"S0","2","21.00","true","2025-02-01 09:02:00.000"\n' +
        '"S1","2","42.00","false","2025-02-01 09:03:00.000"\n',
    );
    const metadata = await s3.send(
      new GetObjectCommand({ Bucket: 'athena-results', Key: `queries/${id}.csv.metadata` }),
    );
    expect(metadata.ContentLength).toBeGreaterThan(0);

    const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(ResultSet?.Rows?.[0]?.Data?.map((d) => d.VarCharValue)).toEqual([
      'school_id',
      'attempts',
      'total',
      'all_passed',
      'last',
    ]);
    expect(ResultSet?.Rows?.[1]?.Data?.map((d) => d.VarCharValue)).toEqual([
      'S0',
      '2',
      '21.00',
      'true',
      '2025-02-01 09:02:00.000',
    ]);
    expect(ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => [c.Name, c.Type, c.Precision, c.Scale])).toEqual([
      ['school_id', 'varchar', 2147483647, 0],
      ['attempts', 'bigint', 19, 0],
      ['total', 'decimal', 38, 2],
      ['all_passed', 'boolean', 0, 0],
      ['last', 'timestamp', 3, 0],
    ]);
  });

  it('writes the result CSV and its .metadata as PutObjects, whole and readable through the SDK once it SUCCEEDED', async () => {
    const created: EmittedS3ObjectCreatedDetail[] = [];
    const unsubscribe = testStack.stack.events.subscribe<EmittedS3ObjectCreatedDetail>(
      { source: ['aws.s3'], detailType: ['Object Created'] },
      (event) => {
        created.push(event.detail);
      },
    );
    try {
      const id = await start('SELECT school_id, count(*) AS n FROM results GROUP BY 1 ORDER BY 1');
      expect((await finished(id)).Status?.State).toBe('SUCCEEDED');
      const objects = [];
      for (const [key, type] of [
        [`queries/${id}.csv`, 'text/csv'],
        [`queries/${id}.csv.metadata`, 'application/json'],
      ] as const) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: 'athena-results', Key: key }));
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: 'athena-results', Key: key }))
        ).Body?.transformToString();
        const md5 = createHash('md5')
          .update(body ?? '')
          .digest('hex');
        expect([head.ContentType, head.ContentLength, head.ETag]).toEqual([
          type,
          Buffer.byteLength(body ?? ''),
          `"${md5}"`,
        ]);
        objects.push({ key, size: head.ContentLength, etag: md5 });
      }
      expect(
        JSON.parse(
          (await (
            await s3.send(new GetObjectCommand({ Bucket: 'athena-results', Key: `queries/${id}.csv.metadata` }))
          ).Body?.transformToString()) ?? '',
        ).RowCount,
      ).toBe(2);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'athena-results', Prefix: `queries/${id}` }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual(objects.map((o) => o.key));
      await testStack.stack.events.drain();
      const ours = created.filter((d) => d.object.key.startsWith(`queries/${id}`));
      expect(
        ours
          .map((d) => ({ key: d.object.key, size: d.object.size, etag: d.object.etag, reason: d.reason }))
          .sort((a, b) => a.key.localeCompare(b.key)),
      ).toEqual(objects.map((o) => ({ ...o, reason: 'PutObject' })));
    } finally {
      unsubscribe();
    }
  });

  it('averages a decimal column as a decimal of its type, the mean rounded half away from zero, as Athena does', async () => {
    // 10.50, 21.00, 31.50 and 31.50: the mean is 23.625 (DuckDB's avg: the double 23.625).
    const id = await start(
      "SELECT avg(score) AS mean, avg(CAST(score AS double)) AS mean_double FROM results WHERE result_id IN ('R1-1', 'R1-2', 'R1-3', 'R2-3')",
    );
    expect((await finished(id)).Status?.State).toBe('SUCCEEDED');
    const results = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    const columns = results.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    expect(columns.map((c) => [c.Name, c.Type, c.Precision, c.Scale])).toEqual([
      ['mean', 'decimal', 7, 2],
      ['mean_double', 'double', 17, 0],
    ]);
    expect(results.ResultSet?.Rows?.[1]?.Data?.map((d) => d.VarCharValue)).toEqual(['23.63', '23.625']);
  });

  it('pages results with MaxResults and NextToken, the header row first', async () => {
    const id = await start(
      'SELECT result_id, CASE WHEN passed THEN NULL ELSE score END AS s FROM results ORDER BY result_id',
    );
    expect((await finished(id)).Status?.State).toBe('SUCCEEDED');
    const seen: (string | undefined)[][] = [];
    let token: string | undefined;
    do {
      const page = await athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 3, NextToken: token }),
      );
      expect(page.ResultSet?.Rows?.length).toBeLessThanOrEqual(3);
      for (const row of page.ResultSet?.Rows ?? []) seen.push(row.Data?.map((d) => d.VarCharValue) ?? []);
      token = page.NextToken;
    } while (token);
    expect(seen).toHaveLength(9);
    expect(seen[0]).toEqual(['result_id', 's']);
    expect(seen[1]).toEqual(['R1-0', undefined]);
    expect(seen[2]).toEqual(['R1-1', '10.50']);

    const tooMany = await invalid(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })));
    expect(tooMany.message).toBe(
      "1 validation error detected: Value 1001 at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    const forged = await invalid(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: 'bm9wZQ' })),
    );
    expect(forged.message).toBe('The NextToken is not valid for this request. Start again without a NextToken.');
  });

  it('fails a query over a missing table with Athena’s error', async () => {
    const id = await start('SELECT * FROM nope');
    const execution = await finished(id);
    expect(execution.Status?.State).toBe('FAILED');
    expect(execution.Status?.StateChangeReason).toBe(
      "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.lake.nope' does not exist",
    );
    expect(execution.Status?.AthenaError).toEqual({
      ErrorCategory: 2,
      ErrorType: 1000,
      Retryable: false,
      ErrorMessage: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.lake.nope' does not exist",
    });
    const err = await invalid(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })));
    expect(err.message).toBe('Query did not finish successfully. Final query state: FAILED');
  });

  it('keeps queries away from files outside the catalog and refuses writes', async () => {
    const read = await finished(await start("SELECT * FROM read_text('/etc/passwd')"));
    expect(read.Status?.State).toBe('FAILED');
    expect(read.Status?.StateChangeReason).toBe(
      "FUNCTION_NOT_FOUND: line 1:15: Table function 'read_text' not registered",
    );
    const scalar = await finished(
      await start("SELECT content FROM (SELECT 1) AS t, LATERAL (SELECT getenv('HOME') AS content)"),
    );
    expect(scalar.Status?.State).toBe('FAILED');
    const copy = await finished(await start("COPY (SELECT 1) TO '/tmp/examlake-pwned.csv'"));
    expect(copy.Status?.StateChangeReason).toMatch(/^Only SELECT queries/);
  });

  it('refuses a query without an output location, and unknown queries and workgroups', async () => {
    const noLocation = await invalid(
      athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary' })),
    );
    expect(noLocation.message).toBe(
      'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
    );
    expect(noLocation.AthenaErrorCode).toBe('INVALID_INPUT');
    const unknown = await invalid(athena.send(new GetQueryExecutionCommand({ QueryExecutionId: 'no-such-query' })));
    expect(unknown.message).toBe('QueryExecution no-such-query was not found');
    const group = await invalid(athena.send(new GetWorkGroupCommand({ WorkGroup: 'nope' })));
    expect(group.message).toBe('WorkGroup nope is not found.');
    const batch = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ['no-such-query'] }));
    expect(batch.UnprocessedQueryExecutionIds).toEqual([
      {
        QueryExecutionId: 'no-such-query',
        ErrorCode: 'INVALID_INPUT',
        ErrorMessage: 'QueryExecution no-such-query was not found',
      },
    ]);
  });

  it('forces an enforced workgroup’s result location and cancels queries over its scan cutoff', async () => {
    await athena.send(
      new CreateWorkGroupCommand({
        Name: 'capped',
        Configuration: {
          ResultConfiguration: { OutputLocation: 's3://athena-results/capped/' },
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: 10_000_000,
        },
      }),
    );
    const { WorkGroups } = await athena.send(new ListWorkGroupsCommand({}));
    expect(WorkGroups?.map((g) => g.Name)).toEqual(['capped', 'primary']);
    const small = await start('SELECT count(*) FROM results', {
      WorkGroup: 'capped',
      ResultConfiguration: { OutputLocation: 's3://elsewhere/' },
    });
    const smallDone = await finished(small);
    expect(smallDone.Status?.State).toBe('SUCCEEDED');
    expect(smallDone.ResultConfiguration?.OutputLocation).toBe(`s3://athena-results/capped/${small}.csv`);

    const big = await finished(await start('SELECT count(DISTINCT pad) FROM big', { WorkGroup: 'capped' }));
    expect(big.Status?.State).toBe('CANCELLED');
    expect(big.Status?.StateChangeReason).toBe(CUTOFF_REASON);
    expect(big.Statistics?.DataScannedInBytes).toBeGreaterThan(10_000_000);
    // The repeat reports the scan measured by the first run (same statement, same files) and is cancelled too.
    const repeat = await finished(await start('SELECT count(DISTINCT pad) FROM big', { WorkGroup: 'capped' }));
    expect([repeat.Status?.State, repeat.Statistics?.DataScannedInBytes]).toEqual([
      'CANCELLED',
      big.Statistics?.DataScannedInBytes,
    ]);
    const listed = await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'capped' }));
    expect(listed.QueryExecutionIds).toEqual([repeat.QueryExecutionId, big.QueryExecutionId, small]);
  });

  it('queues queries over the concurrency limit and cancels queued and running queries', async () => {
    const slow = await start('SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b');
    const queued = await start('SELECT 1');
    expect(
      (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queued }))).QueryExecution?.Status?.State,
    ).toBe('QUEUED');
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queued }));
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: slow }));
    for (const id of [queued, slow]) {
      const execution = await finished(id);
      expect(execution.Status?.State).toBe('CANCELLED');
      expect(execution.Status?.StateChangeReason).toBe(STOPPED_REASON);
    }
  });

  it('reads the files a table has at the time of the query after objects change', async () => {
    const count = async () => {
      const id = await start('SELECT count(*) AS n FROM results');
      expect((await finished(id)).Status?.State).toBe('SUCCEEDED');
      const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
      return ResultSet?.Rows?.[1]?.Data?.[0]?.VarCharValue;
    };
    expect(await count()).toBe('8');
    const key = 'results/year=2025/month=03/part-0.parquet';
    const body = await parquet(
      "SELECT 'R3-' || range AS result_id, 'S9' AS school_id, 1.00::DECIMAL(7,2) AS score, true AS passed, TIMESTAMP '2025-03-02 10:00:00' AS submitted_at FROM range(5)",
    );
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: body }));
    expect(await count()).toBe('13');
    await s3.send(new DeleteObjectCommand({ Bucket: 'lake', Key: key }));
    expect(await count()).toBe('8');
  });

  it('returns the same execution for a repeated ClientRequestToken', async () => {
    const token = 'token-0123456789-0123456789-0123456789';
    const first = await start('SELECT 42 AS answer', { ClientRequestToken: token });
    const second = await start('SELECT 42 AS answer', { ClientRequestToken: token });
    expect(second).toBe(first);
  });

  it('keeps workgroups and query history across a restart', async () => {
    const id = await start('SELECT 7 AS seven');
    expect((await finished(id)).Status?.State).toBe('SUCCEEDED');
    const gone = await start('SELECT 9 AS nine');
    expect((await finished(gone)).Status?.State).toBe('SUCCEEDED');
    const running = await start('SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b');
    const queued = await start('SELECT 8 AS eight');
    athena.destroy();
    testStack = await testStack.restart();
    athena = new AthenaClient(testStack.clientConfig);
    s3.destroy();
    s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
    const again = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    expect(again.QueryExecution?.Status?.State).toBe('SUCCEEDED');
    const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(ResultSet?.Rows?.map((r) => r.Data?.[0]?.VarCharValue)).toEqual(['seven', '7']);
    await s3.send(new DeleteObjectCommand({ Bucket: 'athena-results', Key: `queries/${gone}.csv` }));
    const missing = await invalid(athena.send(new GetQueryResultsCommand({ QueryExecutionId: gone })));
    expect(missing.message).toMatch(/no longer exists/);
    const group = await athena.send(new GetWorkGroupCommand({ WorkGroup: 'capped' }));
    expect(group.WorkGroup?.Configuration?.BytesScannedCutoffPerQuery).toBe(10_000_000);
    const { QueryExecutions } = await athena.send(
      new BatchGetQueryExecutionCommand({ QueryExecutionIds: [running, queued] }),
    );
    expect(QueryExecutions?.map((q) => [q.QueryExecutionId, q.Status?.State, q.Status?.StateChangeReason])).toEqual([
      [running, 'CANCELLED', STACK_STOPPED_REASON],
      [queued, 'FAILED', STACK_STOPPED_REASON],
    ]);
  });
});
