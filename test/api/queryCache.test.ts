import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseS3Url } from '../../api/adapters/s3/S3ResultStore';
import { type LocalApi, startLocalApi } from '../../infra/local/gateway/startLocalApi';
import { LocalIssuer } from '../../infra/local/identity/LocalIssuer';
import { setDataVersion } from '../support/setDataVersion';
import { ContractValidator } from './support/contractValidator';
import { buildCuratedFixture, type CuratedFixture } from './support/curatedFixture';
import { request, type TestResponse } from './support/httpClient';
import { type ApiTestStack, quietTelemetry, startApiTestStack } from './support/startApiTestStack';

/*
 * The query path end to end over HTTP: the local gateway, the handler, DynamoDB cache, Athena (local engine),
 * results read back from S3. Curated data is the Parquet fixture uploaded through S3 into the curated tables'
 * location (see docs/api.md, "Test data").
 */
let t: ApiTestStack;
let fixtureRoot: string;
let fixture: CuratedFixture;
const contract = new ContractValidator();
let analyst: string;
let admin: string;
let otherAdmin: string;
let school: string;

beforeAll(async () => {
  t = await startApiTestStack({ settings: { dataVersionTtlMs: 0, pollIntervalMs: 20, queryWaitMs: 20_000 } });
  fixtureRoot = await mkdtemp(path.join(os.tmpdir(), 'examlake-api-fixture-'));
  fixture = await buildCuratedFixture(fixtureRoot, {
    seed: 'api',
    schools: 2,
    classesPerGrade: 1,
    studentsPerClass: 12,
  });
  for (const key of fixture.keys) {
    await t.api.clients.s3.send(
      new PutObjectCommand({
        Bucket: 'examlake-curated',
        Key: key,
        Body: await readFile(path.join(fixture.root, fixture.bucket, key)),
      }),
    );
  }
  const issuer = await LocalIssuer.open(t.stack.dataDir);
  school = 'SCH-0001';
  analyst = await issuer.mint({ role: 'analyst' });
  admin = await issuer.mint({ role: 'school_admin', schoolIds: [school] });
  otherAdmin = await issuer.mint({ role: 'school_admin', schoolIds: ['SCH-0002'] });
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (fixtureRoot) await rm(fixtureRoot, { recursive: true, force: true });
});

const get = (url: string, token: string, headers: Record<string, string> = {}) =>
  request(url.startsWith('http') ? url : `${t.url}${url}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });

async function executions(): Promise<number> {
  let count = 0;
  let NextToken: string | undefined;
  do {
    const out = await t.api.clients.athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'examlake', NextToken }));
    count += out.QueryExecutionIds?.length ?? 0;
    NextToken = out.NextToken;
  } while (NextToken);
  return count;
}

function checkResult(res: TestResponse, operationId = 'runReport') {
  contract.check(operationId, res.status, res.headers.get('content-type')!, res.json ?? res.text);
}

async function bumpDataVersion(table: string, version: string): Promise<void> {
  await setDataVersion(t.api.clients.glue, table, version);
}

describe('the query path over HTTP', () => {
  it('runs Athena on the first request, then answers the identical request from the cache without Athena', async () => {
    const url = `/v1/reports/school-summary?schoolId=${school}`;
    const before = await executions();
    const first = await get(url, admin);
    expect(first.status).toBe(200);
    checkResult(first);
    expect(first.json.query.cache).toBe('miss');
    expect(first.headers.get('x-examlake-cache')).toBe('miss');
    expect(first.json.rows.length).toBeGreaterThan(3);
    expect(first.json.query.bytesScanned).toBeGreaterThan(0);
    expect(first.headers.get('cache-control')).toContain('private');
    expect(await executions()).toBe(before + 1);
    const second = await get(url, admin);
    expect(second.status).toBe(200);
    checkResult(second);
    expect(second.json.query.cache).toBe('hit');
    expect(second.json.rows).toEqual(first.json.rows);
    expect(await executions()).toBe(before + 1);
  });

  it('keeps each scope to its own hits: the same URL for another school is a miss, then that school’s hit', async () => {
    const url = '/v1/reports/subject-trends';
    const mine = await get(url, admin);
    const myHit = await get(url, admin);
    expect(myHit.json.query.cache).toBe('hit');
    const theirs = await get(url, otherAdmin);
    expect(theirs.json.query.cache).toBe('miss');
    const theirHit = await get(url, otherAdmin);
    expect(theirHit.json.query.cache).toBe('hit');
    expect(theirHit.json.rows).toEqual(theirs.json.rows);
    expect(theirHit.json.query.handle).not.toBe(myHit.json.query.handle);
    expect(theirHit.headers.get('etag')).not.toBe(myHit.headers.get('etag'));
    expect(myHit.json.rows).toEqual(mine.json.rows);
  });

  it('answers If-None-Match with the ETag with 304 and no body', async () => {
    const url = `/v1/reports/class-comparison?schoolId=${school}`;
    const first = await get(url, admin);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(url, admin, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('serves the same result as CSV, with paging in headers and an RFC 8288 Link', async () => {
    const url = `/v1/reports/school-summary?schoolId=${school}&pageSize=2`;
    const json = await get(url, admin);
    const csv = await get(`${url}&format=csv`, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(json.json.columns.map((c: { name: string }) => c.name).join(','));
    expect(lines).toHaveLength(3);
    expect(csv.headers.get('x-examlake-row-count')).toBe(String(json.json.page.rowCount));
    expect(csv.headers.get('x-examlake-next-page-token')).toMatch(/\./);
    expect(csv.headers.get('link')).toMatch(/^<[^>]*pageToken=[^>]*format=csv|<[^>]*format=csv[^>]*pageToken=/);
    const viaAccept = await get(url, admin, { accept: 'text/csv' });
    expect(viaAccept.text).toBe(csv.text);
  });

  it('pages through a result with signed tokens and refuses tampered or foreign ones', async () => {
    const url = `/v1/reports/school-summary?schoolId=${school}&pageSize=2`;
    const all = (await get(`/v1/reports/school-summary?schoolId=${school}&pageSize=1000`, admin)).json.rows;
    const rows: unknown[] = [];
    let next: string | null = url;
    let pages = 0;
    let lastToken = '';
    while (next) {
      const res = await get(next, admin);
      expect(res.status).toBe(200);
      checkResult(res);
      rows.push(...res.json.rows);
      if (res.json.page.nextPageToken) lastToken = res.json.page.nextPageToken;
      next = res.json.page.next;
      pages++;
    }
    expect(rows).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
    const [body, mac] = lastToken.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), o: 0 })).toString('base64url')}.${mac}`;
    const bad = await get(`${url}&pageToken=${tampered}`, admin);
    expect([bad.status, bad.json.code]).toEqual([400, 'VALIDATION_FAILED']);
    checkResult(bad);
    const foreign = await get(
      `/v1/reports/school-summary?schoolId=${school}&pageSize=2&pageToken=${lastToken}`,
      otherAdmin,
    );
    // Naming a school outside their token is refused before the token is even opened.
    expect([foreign.status, foreign.json.code]).toEqual([403, 'FORBIDDEN']);
    const foreignToken = await get(
      `/v1/reports/school-summary?schoolId=SCH-0002&pageSize=2&pageToken=${lastToken}`,
      otherAdmin,
    );
    expect([foreignToken.status, foreignToken.json.code]).toEqual([404, 'NOT_FOUND']);
    const otherQuery = await get(
      `/v1/reports/class-comparison?schoolId=${school}&pageSize=2&pageToken=${lastToken}`,
      admin,
    );
    expect([otherQuery.status, otherQuery.json.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('joins 20 concurrent identical cold requests to one Athena execution', async () => {
    const before = await executions();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => get(`/v1/reports/subject-trends?schoolId=${school}`, admin)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await executions()).toBe(before + 1);
    const outcomes = responses.map((r) => r.json.query.cache).sort();
    expect(outcomes.filter((o: string) => o === 'miss')).toHaveLength(1);
    expect(new Set(responses.map((r) => JSON.stringify(r.json.rows))).size).toBe(1);
  });

  it('misses once after a new data version of a table the report reads, then hits', async () => {
    const url = `/v1/reports/score-distribution?examId=${await firstExam()}`;
    const first = await get(url, analyst);
    expect(first.json.query.cache).toMatch(/miss|hit/);
    await bumpDataVersion('exam_results', 'run-test-2');
    const after = await get(url, analyst);
    expect(after.json.query.cache).toBe('miss');
    expect(after.json.query.dataVersion).toEqual({ exam_results: 'run-test-2' });
    expect((await get(url, analyst)).json.query.cache).toBe('hit');
  });

  it('recomputes a result whose object was deleted from S3', async () => {
    const url = `/v1/reports/student-progress?studentId=STU-000001`;
    const first = await get(url, analyst);
    expect(first.status).toBe(200);
    const entry = await t.api.api.service.lookup(keyOf(first));
    if (entry?.status !== 'SUCCEEDED') throw new Error('no cached result');
    await t.api.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: parseS3Url(entry.outputLocation).bucket,
        Key: parseS3Url(entry.outputLocation).key,
      }),
    );
    // Another page size: not in this instance's LRU of hot pages, so the result object is read and found gone.
    const again = await get(`${url}&pageSize=99`, analyst);
    expect(again.status).toBe(200);
    expect(again.json.query.cache).toBe('miss');
    expect(again.json.rows).toEqual(first.json.rows);
  });

  it('caches no result for a failing query: 422, and a back-off answers it again without Athena', async () => {
    const body = JSON.stringify({ sql: 'SELECT no_such_column FROM examlake.exam_results LIMIT 10' });
    const post = () =>
      request(`${t.url}/v1/queries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
        body,
      });
    const first = await post();
    expect([first.status, first.json.code]).toEqual([422, 'QUERY_FAILED']);
    checkResult(first, 'runAdhocQuery');
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    const before = await executions();
    const second = await post();
    expect(second.status).toBe(422);
    expect(await executions()).toBe(before);
  });

  it('runs ad-hoc SQL for analysts with rows over maxRows cut and says when it truncated', async () => {
    const res = await request(`${t.url}/v1/queries?pageSize=5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: 'SELECT result_id FROM examlake.exam_results ORDER BY result_id LIMIT 100',
        maxRows: 7,
      }),
    });
    expect(res.status).toBe(200);
    checkResult(res, 'runAdhocQuery');
    expect(res.json.page.rowCount).toBe(7);
    expect(res.json.truncated).toBe(true);
    expect(res.json.rows).toHaveLength(5);
  });
});

describe('long queries', () => {
  let quick: LocalApi;
  beforeAll(async () => {
    quick = await startLocalApi({
      port: 0,
      stackEndpoint: t.stack.endpoint,
      dataDir: t.stack.dataDir,
      settings: { queryWaitMs: 0, pollIntervalMs: 20, dataVersionTtlMs: 0 },
      telemetry: quietTelemetry([]),
    });
  });
  afterAll(async () => {
    await quick?.close();
  });

  it('answers 202 with a handle and Retry-After, then the status and results through the handle', async () => {
    const url = `${quick.url}/v1/reports/item-analysis?examId=${await firstExam()}&schoolId=${school}`;
    const accepted = await get(url, admin);
    expect(accepted.status).toBe(202);
    checkResult(accepted);
    expect(accepted.headers.get('retry-after')).toMatch(/^\d+$/);
    const { handle } = accepted.json;
    const statusUrl = `${quick.url}/v1/queries/${handle}`;
    let status = await get(statusUrl, admin);
    for (let i = 0; i < 100 && status.json.state === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await get(statusUrl, admin);
    }
    contract.check('getQueryStatus', 200, status.headers.get('content-type')!, status.json);
    expect(status.json.state).toBe('SUCCEEDED');
    const results = await get(`${statusUrl}/results`, admin);
    expect(results.status).toBe(200);
    checkResult(results, 'getQueryResults');
    expect(results.json.rows.length).toBeGreaterThan(5);
    const foreign = await get(statusUrl, otherAdmin);
    expect([foreign.status, foreign.json.code]).toEqual([404, 'NOT_FOUND']);
    const foreignResults = await get(`${statusUrl}/results`, otherAdmin);
    expect(foreignResults.status).toBe(404);
  });
});

async function firstExam(): Promise<string> {
  return [...fixture.itemsByExam.keys()].sort()[0]!;
}

/** The cache key behind a response's handle (the payload is readable; only its signature is secret). */
function keyOf(res: TestResponse): string {
  return JSON.parse(Buffer.from(res.json.query.handle.split('.')[0], 'base64url').toString()).k as string;
}
