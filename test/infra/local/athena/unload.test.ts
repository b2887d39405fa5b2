import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { runAwsCli } from '../../../support/awsCli';
import { startTestStack, type TestStack } from '../../../support/localStack';
import { partitionedTable } from './directoryFixtures';

let testStack: TestStack;
let athena: AthenaClient;
let s3: S3Client;
let glue: GlueClient;
let scratch: string;
const RESULTS = 's3://athena-results/queries/';

async function duckdbRows(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function objectBytes(url: string): Promise<Buffer> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(url)!;
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

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

/** The files the manifest lists, read through the S3 API. */
async function manifestFiles(execution: QueryExecution): Promise<string[]> {
  const location = execution.Statistics?.DataManifestLocation;
  expect(location).toBe(`${RESULTS}${execution.QueryExecutionId}-manifest.csv`);
  return (await objectBytes(location!)).toString('utf8').split('\n').filter(Boolean);
}

beforeAll(async () => {
  testStack = await startTestStack({});
  athena = new AthenaClient(testStack.clientConfig);
  s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  glue = new GlueClient(testStack.clientConfig);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'examlake-unload-'));
  for (const bucket of ['lake', 'athena-results', 'extracts'])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
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
        ['note', 'string'],
      ]),
    }),
  );
  const file = path.join(scratch, 'part.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT 'R' || range AS result_id, 'S' || (range % 2) AS school_id, (range * 10.5)::DECIMAL(7,2) AS score, ` +
      `range % 2 = 0 AS passed, TIMESTAMP '2025-01-01 09:00:00' + to_minutes(range) AS submitted_at, ` +
      `CASE WHEN range = 1 THEN NULL ELSE 'a,b' END AS note FROM range(5)) TO '${file}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  const { readFile } = await import('node:fs/promises');
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

describe('UNLOAD on the local Athena', () => {
  it('writes typed Parquet under the prefix, lists it in the data manifest and reports the UNLOAD statement type', async () => {
    const execution = await run(
      "UNLOAD (SELECT result_id, score, passed, submitted_at, note FROM results WHERE school_id = ? ORDER BY result_id) TO 's3://extracts/p1/run-1/' WITH (format = 'PARQUET')",
      ["'S0'"],
    );
    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect([execution.StatementType, execution.SubstatementType]).toEqual(['DML', 'UNLOAD']);
    const files = await manifestFiles(execution);
    expect(files).toEqual([`s3://extracts/p1/run-1/${execution.QueryExecutionId}_0`]);
    const local = path.join(scratch, 'p1.parquet');
    await writeFile(local, await objectBytes(files[0]!));
    expect(await duckdbRows(`SELECT name, type FROM parquet_schema('${local}') WHERE name <> 'duckdb_schema'`)).toEqual(
      [
        ['result_id', 'BYTE_ARRAY'],
        ['score', 'INT32'],
        ['passed', 'BOOLEAN'],
        ['submitted_at', 'INT64'],
        ['note', 'BYTE_ARRAY'],
      ],
    );
    expect(await duckdbRows(`SELECT result_id, score, passed, submitted_at, note FROM '${local}' ORDER BY 1`)).toEqual([
      ['R0', '0.00', 'true', '2025-01-01 09:00:00', 'a,b'],
      ['R2', '21.00', 'true', '2025-01-01 09:02:00', 'a,b'],
      ['R4', '42.00', 'true', '2025-01-01 09:04:00', 'a,b'],
    ]);
  });

  it('lets aws s3 cp download the Parquet files and aws s3 presign make URLs the local S3 honours', async () => {
    const execution = await run(
      "UNLOAD (SELECT result_id, score FROM results ORDER BY result_id) TO 's3://extracts/cli/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
    const [file] = await manifestFiles(execution);
    const local = path.join(scratch, 'cli.parquet');
    const [copied, presigned] = await Promise.all([
      runAwsCli(testStack.endpoint, ['s3', 'cp', file!, local]),
      runAwsCli(testStack.endpoint, ['s3', 'presign', file!, '--expires-in', '60']),
    ]);
    expect([copied.code, copied.stderr]).toEqual([0, '']);
    expect(await duckdbRows(`SELECT count(*), sum(score) FROM '${local}'`)).toEqual([['5', '105.00']]);
    expect(presigned.code).toBe(0);
    const res = await fetch(presigned.stdout.trim());
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(await objectBytes(file!))).toBe(true);
  }, 300_000);

  it('writes gzipped Hive text with the field delimiter and \\N for null', async () => {
    const execution = await run(
      "UNLOAD (SELECT result_id, school_id, note FROM results WHERE school_id = 'S1' ORDER BY result_id) TO 's3://extracts/p1/text/' WITH (format = 'TEXTFILE', field_delimiter = '|')",
    );
    expect(execution.Status?.State).toBe('SUCCEEDED');
    const files = await manifestFiles(execution);
    expect(files).toEqual([`s3://extracts/p1/text/${execution.QueryExecutionId}_0.gz`]);
    expect(gunzipSync(await objectBytes(files[0]!)).toString('utf8')).toBe('R1|S1|\\N\nR3|S1|a,b\n');
  });

  it('fails when the target prefix already holds objects, and writes nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'extracts', Key: 'taken/old.txt', Body: 'x' }));
    const execution = await run(
      "UNLOAD (SELECT result_id FROM results) TO 's3://extracts/taken/' WITH (format = 'PARQUET')",
    );
    expect(execution.Status?.State).toBe('FAILED');
    expect(execution.Status?.AthenaError?.ErrorMessage).toMatch(
      /^HIVE_PATH_ALREADY_EXISTS: .*s3:\/\/extracts\/taken\//,
    );
    expect(execution.Statistics?.DataManifestLocation).toBeUndefined();
  });

  it('refuses formats, properties and locations it cannot honour, naming them', async () => {
    const cases: [string, RegExp][] = [
      ["UNLOAD (SELECT 1) TO 's3://extracts/a/' WITH (format = 'ORC')", /format ORC is not supported/],
      ["UNLOAD (SELECT 1) TO 's3://extracts/b/' WITH (compression = 'GZIP')", /needs the format property/],
      ["UNLOAD (SELECT 1) TO 's3://extracts/c/' WITH (format = 'PARQUET', field_delimiter = ',')", /TEXTFILE only/],
      ["UNLOAD (SELECT 1) TO 'file:///tmp/x/' WITH (format = 'PARQUET')", /must be an S3 location/],
      ["UNLOAD (DELETE FROM results) TO 's3://extracts/d/' WITH (format = 'PARQUET')", /wraps a SELECT/],
    ];
    for (const [sql, message] of cases) {
      const execution = await run(sql);
      expect([sql, execution.Status?.State]).toEqual([sql, 'FAILED']);
      expect(execution.Status?.AthenaError?.ErrorMessage).toMatch(message);
    }
  });
});
