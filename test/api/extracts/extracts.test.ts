import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DuckDBInstance } from '@duckdb/node-api';
import { partnerKeyHex, partnerStudentKey } from '../../../api/core/partnerStudentKey';
import { downloadExtract } from '../../../infra/cli/extractDownload';
import { LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { loadExamResults } from '../access/loadExamResults';
import { ContractValidator } from '../support/contractValidator';
import { request } from '../support/httpClient';

let t: AccessTestApi;
let scratch: string;
const contract = new ContractValidator();
const headers: Record<string, Record<string, string>> = {};
const URL_TTL_SECONDS = 2;
/** P1 and P2 extract 11 rows each in the first test; a third partner, Q, runs into this. */
const DAILY_ROWS = 25;
const COLUMNS = ['school_id', 'subject', 'score', 'student_key'];

async function readParquet(bytes: Buffer, columns: string): Promise<string[][]> {
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}.parquet`);
  await writeFile(file, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT ${columns} FROM '${file}' ORDER BY ALL`);
    return reader.getRows().map((r) => r.map((v) => String(v)));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function grant(partner: string, body: Record<string, unknown>): Promise<void> {
  const res = await request(`${t.url}/v1/partners/${partner}/grant`, {
    method: 'PUT',
    headers: { ...headers['steward'], 'content-type': 'application/json' },
    body: JSON.stringify({ datasets: ['exam_results'], columns: COLUMNS, minimumCellSize: 10, ...body }),
  });
  expect(res.status).toBe(200);
}

/** Starts an extract and polls it until it is done; the final GET's answer. */
async function extract(who: string, body: Record<string, unknown>) {
  const started = await request(`${t.url}/v1/extracts`, {
    method: 'POST',
    headers: { ...headers[who], 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect([started.status, started.json?.detail]).toEqual([202, undefined]);
  contract.check('createExtract', 202, 'application/json', started.json);
  for (;;) {
    const res = await request(`${t.url}/v1/extracts/${started.json.id}`, { headers: headers[who] });
    expect(res.status).toBe(200);
    if (!['QUEUED', 'RUNNING'].includes(res.json.state)) {
      contract.check('getExtract', 200, 'application/json', res.json);
      return res.json;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  t = await startAccessTestApi(
    {
      grantCacheTtlSeconds: 0,
      queryWaitMs: 20_000,
      extractUrlTtlSeconds: URL_TTL_SECONDS,
      extractDailyRows: DAILY_ROWS,
    },
    { etl: true },
  );
  scratch = await mkdtemp(path.join(os.tmpdir(), 'examlake-extracts-'));
  await loadExamResults(t.stack, [
    { region: 'North', district: 'DIS-01', school: 'SCH-0001', subject: 'mathematics', passed: true, count: 12 },
    { region: 'South', district: 'DIS-02', school: 'SCH-0003', subject: 'science', passed: true, count: 7 },
    { region: 'South', district: 'DIS-02', school: 'SCH-0003', subject: 'science', passed: false, count: 4 },
  ]);
  headers['analyst'] = await t.bearer({ role: 'analyst' });
  headers['steward'] = await t.bearer({ role: 'steward' });
  for (const partner of ['P1', 'P2', 'AGG', 'Q'])
    headers[partner] = await t.bearer({ role: 'partner', partnerId: partner });
  const rowAccess = { expiresAt: new Date(Date.now() + 86_400_000).toISOString(), maxRowsPerExtract: 1000 };
  await grant('P1', { rowFilters: { regions: ['South'] }, level: 'rows', rowAccess });
  await grant('P2', { rowFilters: { regions: ['South'] }, level: 'rows', rowAccess });
  await grant('AGG', { rowFilters: { regions: ['South'] } });
  await grant('Q', { rowFilters: { regions: ['South'] }, level: 'rows', rowAccess });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('partner extracts through Athena UNLOAD', () => {
  it('holds exactly the granted rows and columns, with per-partner student keys that differ between partners', async () => {
    const p1 = await extract('P1', { dataset: 'exam_results', format: 'parquet' });
    // Every granted column, in the dataset's order.
    expect(p1).toMatchObject({
      state: 'SUCCEEDED',
      rows: 11,
      columns: ['subject', 'school_id', 'score', 'student_key'],
    });
    expect(p1.files).toHaveLength(1);
    expect(p1.bytes).toBe(p1.files[0].bytes);
    const p1Rows = await readParquet(await download(p1.files[0].url), 'school_id, subject, score, student_key');
    const analyst = await extract('analyst', {
      dataset: 'exam_results',
      format: 'parquet',
      region: 'South',
      columns: [...COLUMNS, 'student_id'],
    });
    const analystRows = await readParquet(
      await download(analyst.files[0].url),
      'school_id, subject, score, student_key',
    );
    expect(analystRows).toHaveLength(11);
    const secrets = new SecretsManagerClient(t.stack.clientConfig);
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: LOCAL_RESOURCE_NAMES.studentKeySecret }));
    secrets.destroy();
    const keyOf = (partner: string) => partnerKeyHex(secret.SecretBinary!, partner);
    const expected = (partner: string) =>
      analystRows.map(([school, subject, score, key]) => [
        school,
        subject,
        score,
        partnerStudentKey(key!, keyOf(partner)),
      ]);
    const sorted = (rows: (string | undefined)[][]) => rows.map((r) => r.join('|')).sort();
    expect(sorted(p1Rows)).toEqual(sorted(expected('P1')));
    const p2 = await extract('P2', { dataset: 'exam_results', format: 'parquet' });
    const p2Rows = await readParquet(await download(p2.files[0].url), 'school_id, subject, score, student_key');
    expect(sorted(p2Rows)).toEqual(sorted(expected('P2')));
    const p1Keys = new Set(p1Rows.map((r) => r[3]));
    expect(p2Rows.some((r) => p1Keys.has(r[3]))).toBe(false);
    expect(JSON.stringify(p1Rows)).not.toMatch(/STU-/);
    expect(t.audit).toContainEqual(
      expect.objectContaining({ operationId: 'createExtract', principal: expect.anything() }),
    );
    expect(t.audit.filter((r) => String(r['reason']).startsWith('extract-urls-issued')).length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('refuses an aggregates-only partner, student ids and another partner’s handle', async () => {
    const agg = await request(`${t.url}/v1/extracts`, {
      method: 'POST',
      headers: { ...headers['AGG'], 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'exam_results', format: 'parquet' }),
    });
    expect([agg.status, agg.json.code]).toEqual([403, 'FORBIDDEN']);
    expect(agg.json.detail).toContain('aggregates only');
    contract.check('createExtract', 403, 'application/problem+json', agg.json);
    const pii = await request(`${t.url}/v1/extracts`, {
      method: 'POST',
      headers: { ...headers['P1'], 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'exam_results', format: 'parquet', columns: ['student_id'] }),
    });
    expect(pii.status).toBe(403);
    const mine = await extract('P1', { dataset: 'exam_results', format: 'csv', columns: ['school_id', 'score'] });
    expect((await request(`${t.url}/v1/extracts/${mine.id}`, { headers: headers['P2'] })).status).toBe(404);
    const listed = await request(`${t.url}/v1/extracts`, { headers: headers['P1'] });
    expect(listed.json.extracts.map((e: { id: string }) => e.id)).toContain(mine.id);
    expect((await request(`${t.url}/v1/extracts`, { headers: headers['P2'] })).json.extracts).not.toContainEqual(
      expect.objectContaining({ id: mine.id }),
    );
  });

  it('writes CSV as RFC 4180 lines and serves it until the download URL expires', async () => {
    const csv = await extract('analyst', {
      dataset: 'exam_results',
      format: 'csv',
      columns: ['school_id', 'subject', 'score'],
      schoolId: 'SCH-0001',
    });
    expect(csv).toMatchObject({ state: 'SUCCEEDED', rows: 12 });
    const text = (await download(csv.files[0].url)).toString('utf8');
    expect(text.trimEnd().split('\n')).toEqual(Array(12).fill('"SCH-0001","mathematics","31.00"'));
    await new Promise((resolve) => setTimeout(resolve, (URL_TTL_SECONDS + 1) * 1000));
    const late = await fetch(csv.files[0].url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
  });

  it('answers 429 with the reset time once a partner’s extracts of the day would pass the row quota', async () => {
    await extract('Q', { dataset: 'exam_results', format: 'parquet' });
    await extract('Q', { dataset: 'exam_results', format: 'parquet' });
    const third = await request(`${t.url}/v1/extracts`, {
      method: 'POST',
      headers: { ...headers['Q'], 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'exam_results', format: 'parquet' }),
    });
    expect([third.status, third.json.code]).toEqual([429, 'THROTTLED']);
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(third.json.detail).toContain(`daily quota of ${DAILY_ROWS} rows (22 used today`);
    expect(third.json.detail).toContain(`resets at ${midnight.toISOString()}`);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    contract.check('createExtract', 429, 'application/problem+json', third.json);
    // Another partner's quota is its own.
    expect((await extract('P2', { dataset: 'exam_results', format: 'csv', columns: ['score'] })).state).toBe(
      'SUCCEEDED',
    );
  });

  it('downloads an extract with the CLI’s downloader, reporting progress', async () => {
    const lines: string[] = [];
    const files = await downloadExtract({
      apiUrl: t.url,
      token: headers['analyst']!['authorization']!.replace('Bearer ', ''),
      body: { dataset: 'exam_results', format: 'parquet', region: 'South' },
      outDir: path.join(scratch, 'cli'),
      pollMs: 50,
      progress: (line) => lines.push(line),
    });
    expect(files).toHaveLength(1);
    const { readFile } = await import('node:fs/promises');
    expect(await readParquet(await readFile(files[0]!), 'count(*)')).toEqual([['11']]);
    expect(lines[0]).toMatch(/^extract .*: 11 rows, QUEUED$/);
    expect(lines.at(-1)).toContain('downloaded');
  });

  it('deletes an extract with its files', async () => {
    const done = await extract('analyst', { dataset: 'exam_results', format: 'parquet', columns: ['school_id'] });
    const deleted = await request(`${t.url}/v1/extracts/${done.id}`, { method: 'DELETE', headers: headers['analyst'] });
    expect(deleted.status).toBe(204);
    expect((await request(`${t.url}/v1/extracts/${done.id}`, { headers: headers['analyst'] })).status).toBe(404);
    expect((await fetch(done.files[0].url)).status).toBe(404);
  });
});
