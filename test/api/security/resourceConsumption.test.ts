import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  ListQueryExecutionsCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { ATHENA_RESULTS_PREFIX, BUCKETS } from '../../../infra/resources';
import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { loadExamResults } from '../access/loadExamResults';
import { ContractValidator } from '../support/contractValidator';
import { request, type TestResponse } from '../support/httpClient';

/**
 * Resource consumption through the local gateway with local-issuer tokens: requests over the caps are refused
 * with a 400 problem before any query reaches Athena; a query over the workgroup's bytes-scanned cutoff is a
 * 4xx problem saying what to do, and is not cached as a result. The API runs in its own workgroup with the
 * smallest cutoff Athena accepts (10 MB; the local Athena has no UpdateWorkGroup), and the curated data gets one
 * 12 MB Parquet file of incompressible padding, so every scan of exam_results crosses it.
 */
const MAX_RESULT_ROWS = 50;
const WORKGROUP = 'examlake-tiny-cutoff';
let t: AccessTestApi;
let athena: AthenaClient;
let analyst: Record<string, string>;
const contract = new ContractValidator();

beforeAll(async () => {
  t = await startAccessTestApi(
    { maxResultRows: MAX_RESULT_ROWS, workGroup: WORKGROUP, queryWaitMs: 20_000 },
    { etl: true },
  );
  athena = new AthenaClient(t.stack.clientConfig);
  await athena.send(
    new CreateWorkGroupCommand({
      Name: WORKGROUP,
      Configuration: {
        ResultConfiguration: { OutputLocation: `s3://${BUCKETS.results.localName}/${ATHENA_RESULTS_PREFIX}` },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10_000_000,
      },
    }),
  );
  analyst = await t.bearer({ role: 'analyst' });
}, 120_000);
afterAll(async () => {
  athena?.destroy();
  await t?.stop();
});

/** Queries the API has started in its workgroup. */
const executionIds = async () =>
  (await athena.send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
const executions = async () => (await executionIds()).length;

function expectProblem(res: TestResponse, operationId: string, status: number, code: string): void {
  expect([res.status, res.json?.code]).toEqual([status, code]);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  contract.check(operationId, res.status, res.headers.get('content-type')!, res.json);
}

const adhoc = (sql: string, query = '') =>
  request(`${t.url}/v1/queries${query}`, {
    method: 'POST',
    headers: { ...analyst, 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });

describe('resource consumption', () => {
  it('refuses a pageSize over the cap with a 400 problem naming pageSize', async () => {
    const before = await executions();
    const report = await request(`${t.url}/v1/reports/subject-trends?pageSize=1001`, { headers: analyst });
    expectProblem(report, 'runReport', 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(report.json)).toContain('pageSize');
    const query = await adhoc('SELECT subject FROM examlake.exam_results LIMIT 5', '?pageSize=5000');
    expectProblem(query, 'runAdhocQuery', 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(query.json)).toContain('pageSize');
    expect(await executions()).toBe(before);
  });

  it('refuses ad-hoc SQL without a LIMIT or with one over the cap, naming the cap, without calling Athena', async () => {
    const before = await executions();
    const missing = await adhoc('SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject');
    expectProblem(missing, 'runAdhocQuery', 400, 'SQL_NOT_ALLOWED');
    expect(missing.json.detail).toContain(`add LIMIT n with n ≤ ${MAX_RESULT_ROWS}`);
    expect(missing.json.errors[0]).toMatchObject({ in: 'body', name: '/sql' });
    const over = await adhoc(`SELECT * FROM examlake.exam_results LIMIT ${MAX_RESULT_ROWS + 1}`);
    expectProblem(over, 'runAdhocQuery', 400, 'SQL_NOT_ALLOWED');
    expect(over.json.detail).toContain(`LIMIT ${MAX_RESULT_ROWS + 1} is over the cap`);
    expect(over.json.detail).toContain(`n ≤ ${MAX_RESULT_ROWS}`);
    expect(await executions()).toBe(before);
  });

  it('answers a report over the bytes-scanned cutoff with a 4xx problem saying what to do, and caches no result', async () => {
    await loadExamResults(t.stack, [
      { region: 'North', district: 'DIS-01', school: 'SCH-0001', subject: 'mathematics', passed: true, count: 3 },
    ]);
    await addPadding();
    const before = await executions();
    const url = `${t.url}/v1/reports/subject-trends`;
    const first = await request(url, { headers: analyst });
    expectProblem(first, 'runReport', 422, 'SCAN_LIMIT_EXCEEDED');
    expect(first.json.detail).toMatch(/bytes-scanned cutoff: narrow it/);
    expect(first.json.rows).toBeUndefined();
    const ids = await executionIds();
    expect(ids.length).toBe(before + 1);
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }));
    expect(QueryExecution?.Status?.State).toBe('CANCELLED');
    expect(QueryExecution?.Statistics?.DataScannedInBytes).toBeGreaterThan(10_000_000);
    const second = await request(url, { headers: analyst });
    expectProblem(second, 'runReport', 422, 'SCAN_LIMIT_EXCEEDED');
    expect(second.json.rows).toBeUndefined();
  }, 60_000);
});

/** Puts a 12 MB Parquet file (one curated row, 130 000 times, with incompressible padding) beside the curated data. */
async function addPadding(): Promise<void> {
  const s3 = new S3Client({ ...t.stack.clientConfig, forcePathStyle: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-padding-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const bucket = BUCKETS.curated.localName;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'exam_results/' }));
    const key = listed.Contents?.map((o) => o.Key!).find((k) => k.endsWith('.parquet'));
    if (!key) throw new Error('no curated exam_results Parquet');
    const small = path.join(dir, 'small.parquet');
    const big = path.join(dir, 'big.parquet');
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    await writeFile(small, await object.Body!.transformToByteArray());
    await connection.run(
      `COPY (SELECT f.*, md5(range::VARCHAR) || md5((range * 7)::VARCHAR) || md5((range * 13)::VARCHAR) AS pad ` +
        `FROM (SELECT * FROM read_parquet('${small}') LIMIT 1) f, range(130000)) TO '${big}' (FORMAT parquet)`,
    );
    const body = await readFile(big);
    expect(body.length).toBeGreaterThan(10_000_000);
    const padKey = `${path.posix.dirname(key)}/padding.parquet`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: padKey, Body: body }));
  } finally {
    connection.closeSync();
    instance.closeSync();
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
