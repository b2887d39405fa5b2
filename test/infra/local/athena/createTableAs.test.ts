import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetPartitionsCommand,
  GetTableCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { startTestStack, type TestStack } from '../../../support/localStack';
import { partitionedTable } from './directoryFixtures';

let testStack: TestStack;
let athena: AthenaClient;
let s3: S3Client;
let glue: GlueClient;
let scratch: string;
const RESULTS = 's3://athena-results/queries/';

async function run(sql: string, parameters?: string[]): Promise<QueryExecution> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: 'lake' },
      ResultConfiguration: { OutputLocation: RESULTS },
      ...(parameters ? { ExecutionParameters: parameters } : {}),
    }),
  );
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = QueryExecution?.Status?.State;
    if (state !== 'QUEUED' && state !== 'RUNNING') return QueryExecution!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rows(sql: string): Promise<(string | undefined)[][]> {
  const execution = await run(sql);
  expect(execution.Status?.StateChangeReason).toBeUndefined();
  const out = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
  return (out.ResultSet?.Rows ?? []).slice(1).map((r) => (r.Data ?? []).map((d) => d.VarCharValue));
}

async function objectText(url: string): Promise<string> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(url)!;
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

beforeAll(async () => {
  testStack = await startTestStack({});
  athena = new AthenaClient(testStack.clientConfig);
  s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  glue = new GlueClient(testStack.clientConfig);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'examlake-ctas-'));
  for (const bucket of ['lake', 'athena-results']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
  await glue.send(
    new CreateTableCommand({
      DatabaseName: 'lake',
      TableInput: partitionedTable('results', 's3://lake/results/', [
        ['result_id', 'string'],
        ['school_id', 'string'],
        ['score', 'decimal(7,2)'],
        ['passed', 'boolean'],
        ['submitted_at', 'timestamp'],
      ]),
    }),
  );
  const file = path.join(scratch, 'part.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT 'R' || range AS result_id, 'S' || (range % 2) AS school_id, (range * 10.5)::DECIMAL(7,2) AS score, ` +
      `range % 2 = 0 AS passed, TIMESTAMP '2025-01-01 09:00:00' + to_minutes(range) AS submitted_at ` +
      `FROM range(5)) TO '${file}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  await s3.send(
    new PutObjectCommand({
      Bucket: 'lake',
      Key: 'results/year=2025/month=01/part-0.parquet',
      Body: await readFile(file),
    }),
  );
});

afterAll(async () => {
  for (const client of [athena, s3, glue]) client.destroy();
  await testStack?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('CREATE TABLE AS on the local Athena', () => {
  it('writes typed Parquet per partition, registers the table and its partitions in Glue, and answers as DDL with a manifest', async () => {
    const execution = await run(
      "CREATE TABLE lake.by_school WITH (external_location = 's3://lake/ctas/by_school/', format = 'PARQUET', " +
        "write_compression = 'SNAPPY', partitioned_by = ARRAY['school_id']) AS " +
        'SELECT result_id, score, passed, submitted_at, school_id FROM results WHERE score >= ?',
      ['10'],
    );
    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect([execution.StatementType, execution.SubstatementType]).toEqual(['DDL', 'CREATE_TABLE_AS_SELECT']);
    const manifest = execution.Statistics?.DataManifestLocation;
    expect(manifest).toBe(`${RESULTS}${execution.QueryExecutionId}-manifest.csv`);
    const files = (await objectText(manifest!)).split('\n').filter(Boolean).sort();
    // One file per partition folder, named <query id>_<n> (n in the order the partitions were met).
    expect(files.map((f) => f.replace(/_\d+$/, '_n'))).toEqual([
      `s3://lake/ctas/by_school/school_id=S0/${execution.QueryExecutionId}_n`,
      `s3://lake/ctas/by_school/school_id=S1/${execution.QueryExecutionId}_n`,
    ]);
    const results = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId }));
    expect(results.UpdateCount).toBe(4);

    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'lake', Name: 'by_school' }));
    expect(Table?.StorageDescriptor?.Columns).toEqual([
      { Name: 'result_id', Type: 'string' },
      { Name: 'score', Type: 'decimal(7,2)' },
      { Name: 'passed', Type: 'boolean' },
      { Name: 'submitted_at', Type: 'timestamp' },
    ]);
    expect(Table?.PartitionKeys).toEqual([{ Name: 'school_id', Type: 'string' }]);
    expect(Table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    const { Partitions } = await glue.send(new GetPartitionsCommand({ DatabaseName: 'lake', TableName: 'by_school' }));
    expect(Partitions?.map((p) => [p.Values, p.StorageDescriptor?.Location])).toEqual([
      [['S0'], 's3://lake/ctas/by_school/school_id=S0'],
      [['S1'], 's3://lake/ctas/by_school/school_id=S1'],
    ]);

    // SHOW PARTITIONS lists them as Athena's text result: one line per partition, no header row.
    const shown = await run('SHOW PARTITIONS lake.by_school');
    expect([shown.StatementType, shown.SubstatementType]).toEqual(['UTILITY', 'SHOW_PARTITIONS']);
    expect(shown.ResultConfiguration?.OutputLocation).toBe(`${RESULTS}${shown.QueryExecutionId}.txt`);
    const listed = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: shown.QueryExecutionId }));
    expect(listed.ResultSet?.Rows?.map((r) => r.Data?.map((d) => d.VarCharValue))).toEqual([
      ['school_id=S0'],
      ['school_id=S1'],
    ]);
    expect(await objectText(shown.ResultConfiguration!.OutputLocation!)).toBe('school_id=S0\nschool_id=S1\n');

    // SHOW CREATE TABLE answers the registered table as Hive DDL, one line per row.
    const ddl = await run('SHOW CREATE TABLE lake.by_school');
    const ddlRows = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: ddl.QueryExecutionId }));
    expect(ddlRows.ResultSet?.Rows?.map((r) => r.Data?.[0]?.VarCharValue)).toEqual([
      'CREATE EXTERNAL TABLE `lake.by_school`(',
      '  `result_id` string, ',
      '  `score` decimal(7,2), ',
      '  `passed` boolean, ',
      '  `submitted_at` timestamp)',
      'PARTITIONED BY ( ',
      '  `school_id` string)',
      'ROW FORMAT SERDE ',
      "  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' ",
      'STORED AS INPUTFORMAT ',
      "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' ",
      'OUTPUTFORMAT ',
      "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'",
      'LOCATION',
      "  's3://lake/ctas/by_school'",
      'TBLPROPERTIES (',
      "  'has_encrypted_data'='false', ",
      "  'parquet.compression'='SNAPPY')",
    ]);

    // The new table reads back with the values and types the query had.
    expect(
      await rows('SELECT result_id, score, passed, submitted_at, school_id FROM by_school ORDER BY result_id'),
    ).toEqual([
      ['R1', '10.50', 'false', '2025-01-01 09:01:00.000', 'S1'],
      ['R2', '21.00', 'true', '2025-01-01 09:02:00.000', 'S0'],
      ['R3', '31.50', 'false', '2025-01-01 09:03:00.000', 'S1'],
      ['R4', '42.00', 'true', '2025-01-01 09:04:00.000', 'S0'],
    ]);
  });

  it("writes under the result location's tables/<query id>/ without external_location, and WITH NO DATA writes no file", async () => {
    const execution = await run('CREATE TABLE lake.copy AS SELECT result_id FROM results');
    expect(execution.Status?.State).toBe('SUCCEEDED');
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'lake', Name: 'copy' }));
    expect(Table?.StorageDescriptor?.Location).toBe(`${RESULTS}tables/${execution.QueryExecutionId}`);
    expect(await rows('SELECT count(*) FROM copy')).toEqual([['5']]);

    const empty = await run(
      "CREATE TABLE lake.shape WITH (format = 'PARQUET') AS SELECT result_id, score FROM results WITH NO DATA",
    );
    expect(empty.Status?.State).toBe('SUCCEEDED');
    expect(await objectText(empty.Statistics!.DataManifestLocation!)).toBe('');
    expect(await rows('SELECT count(*) FROM shape')).toEqual([['0']]);
  });

  it('fails before writing anything for an existing table, a location with objects, an unnamed or repeated column', async () => {
    await run("CREATE TABLE lake.taken WITH (external_location = 's3://lake/taken/') AS SELECT 1 AS x");
    const again = await run(
      "CREATE TABLE lake.taken WITH (external_location = 's3://lake/elsewhere/') AS SELECT 1 AS x",
    );
    expect(again.Status?.StateChangeReason).toBe(
      "TABLE_ALREADY_EXISTS: line 1:1: Table 'awsdatacatalog.lake.taken' already exists",
    );
    expect(again.Status?.AthenaError?.ErrorCategory).toBe(2);
    expect((await run('CREATE TABLE IF NOT EXISTS lake.taken AS SELECT 2 AS x')).Status?.State).toBe('SUCCEEDED');
    expect(await rows('SELECT x FROM taken')).toEqual([['1']]);

    const occupied = await run(
      "CREATE TABLE lake.other WITH (external_location = 's3://lake/taken/') AS SELECT 1 AS x",
    );
    expect(occupied.Status?.StateChangeReason).toMatch(
      /^HIVE_PATH_ALREADY_EXISTS: Target directory for table 'lake.other' already exists: s3:\/\/lake\/taken\//,
    );
    const unnamed = await run('CREATE TABLE lake.other AS SELECT count(*) FROM results');
    expect(unnamed.Status?.StateChangeReason).toBe('NOT_SUPPORTED: Column name not specified at position 1');
    const repeated = await run('CREATE TABLE lake.other AS SELECT result_id, result_id FROM results');
    expect(repeated.Status?.StateChangeReason).toBe(
      "DUPLICATE_COLUMN_NAME: Column name 'result_id' specified more than once",
    );
    const keysNotLast = await run(
      "CREATE TABLE lake.other WITH (partitioned_by = ARRAY['school_id']) AS SELECT school_id, result_id FROM results",
    );
    expect(keysNotLast.Status?.StateChangeReason).toMatch(
      /^INVALID_TABLE_PROPERTY: Partition keys must be the last columns/,
    );
    for (const failed of [occupied, unnamed, repeated, keysNotLast]) {
      expect(failed.Statistics?.DataManifestLocation).toBeUndefined();
    }
    await expect(glue.send(new GetTableCommand({ DatabaseName: 'lake', Name: 'other' }))).rejects.toBeInstanceOf(
      EntityNotFoundException,
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'athena-results', Prefix: 'queries/tables/' }));
    const copyTable = (await glue.send(new GetTableCommand({ DatabaseName: 'lake', Name: 'copy' }))).Table;
    // Only the earlier successful CTAS without a location wrote under tables/.
    expect(new Set((listed.Contents ?? []).map((o) => o.Key!.split('/')[2]))).toEqual(
      new Set([copyTable!.StorageDescriptor!.Location!.split('/').pop()]),
    );
  });

  it('refuses formats, properties and table types it cannot honour, naming them', async () => {
    const reasons = await Promise.all(
      [
        "CREATE TABLE lake.f WITH (format = 'ORC') AS SELECT 1 AS x",
        "CREATE TABLE lake.f WITH (bucketed_by = ARRAY['x'], bucket_count = 2) AS SELECT 1 AS x",
        "CREATE TABLE lake.f WITH (table_type = 'ICEBERG') AS SELECT 1 AS x",
        "CREATE TABLE lake.f WITH (write_compression = 'LZ4') AS SELECT 1 AS x",
        "CREATE TABLE lake.f WITH (external_location = '/tmp/x') AS SELECT 1 AS x",
        'CREATE TABLE lake.f (x int)',
      ].map(async (sql) => (await run(sql)).Status?.StateChangeReason),
    );
    expect(reasons).toEqual([
      'CREATE TABLE format ORC is not supported by the local Athena (PARQUET is).',
      expect.stringMatching(/^CREATE TABLE property bucketed_by is not supported by the local Athena/),
      'CREATE TABLE table_type ICEBERG is not supported by the local Athena (HIVE is).',
      'CREATE TABLE write_compression LZ4 is not supported for PARQUET (GZIP, SNAPPY, ZSTD, NONE).',
      "CREATE TABLE external_location must be an S3 location (s3://bucket/prefix/), got '/tmp/x'.",
      expect.stringMatching(/^CREATE TABLE without AS SELECT is not supported by the local Athena/),
    ]);
  });
});

describe('DROP TABLE on the local Athena', () => {
  it('removes the table and its partitions from the catalog and leaves its files', async () => {
    await run(
      "CREATE TABLE lake.dropme WITH (external_location = 's3://lake/dropme/', partitioned_by = ARRAY['school_id']) AS SELECT result_id, school_id FROM results",
    );
    const dropped = await run('DROP TABLE dropme');
    expect([dropped.Status?.State, dropped.StatementType, dropped.SubstatementType]).toEqual([
      'SUCCEEDED',
      'DDL',
      'DROP_TABLE',
    ]);
    await expect(glue.send(new GetTableCommand({ DatabaseName: 'lake', Name: 'dropme' }))).rejects.toBeInstanceOf(
      EntityNotFoundException,
    );
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'dropme/' }))).KeyCount).toBe(2);
    expect((await run('DROP TABLE IF EXISTS lake.dropme')).Status?.State).toBe('SUCCEEDED');
    expect((await run('DROP TABLE lake.dropme')).Status?.StateChangeReason).toBe(
      "TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.lake.dropme' does not exist",
    );
    // The same name can be created again over a new location.
    expect(
      (await run("CREATE TABLE lake.dropme WITH (external_location = 's3://lake/dropme2/') AS SELECT 1 AS x")).Status
        ?.State,
    ).toBe('SUCCEEDED');
  });
});
