import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { ContractValidator } from '../support/contractValidator';
import { buildCuratedFixture } from '../support/curatedFixture';
import { request, type TestResponse } from '../support/httpClient';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';
import { ANALYST_CORPUS } from './analystCorpus';

/*
 * Ad-hoc SQL through the API (local gateway, handler, validator, cache, local Athena) over the sample data: the
 * analyst corpus runs on the first try, the attack run's escapes are refused before Athena is called, and engine
 * errors come back as problems that name the column or function.
 */
let t: ApiTestStack;
let fixtureRoot: string;
let analyst: Record<string, string>;
const contract = new ContractValidator();

beforeAll(async () => {
  t = await startApiTestStack({ settings: { pollIntervalMs: 20, queryWaitMs: 30_000 } });
  fixtureRoot = await mkdtemp(path.join(os.tmpdir(), 'examlake-adhoc-fixture-'));
  const fixture = await buildCuratedFixture(fixtureRoot, {
    seed: 'adhoc',
    schools: 2,
    classesPerGrade: 1,
    studentsPerClass: 8,
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
  analyst = { authorization: `Bearer ${await issuer.mint({ role: 'analyst' })}` };
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (fixtureRoot) await rm(fixtureRoot, { recursive: true, force: true });
});

const adhoc = (sql: string, maxRows?: number): Promise<TestResponse> =>
  request(`${t.url}/v1/queries`, {
    method: 'POST',
    headers: { ...analyst, 'content-type': 'application/json' },
    body: JSON.stringify(maxRows === undefined ? { sql } : { sql, maxRows }),
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

describe('ad-hoc SQL through the API', () => {
  it('runs at least 100 ordinary analyst queries on the first try, columns named as Athena names them', async () => {
    expect(ANALYST_CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ANALYST_CORPUS.map(([category]) => category))).toEqual(
      new Set(['aggregate', 'date', 'string', 'window', 'cte', 'join', 'set', 'limit', 'subquery', 'scalar']),
    );
    const failures: unknown[] = [];
    for (const [category, sql] of ANALYST_CORPUS) {
      const res = await adhoc(sql);
      const names = ((res.json?.columns ?? []) as { name: string }[]).map((c) => c.name);
      const rows = (res.json?.rows ?? []) as unknown[];
      if (res.status !== 200 || rows.length === 0 || names.some((n) => !/^[a-z_][a-z0-9_]*$/.test(n))) {
        failures.push({ category, sql, status: res.status, detail: res.json?.detail, names, rows: rows.length });
      } else {
        contract.check('runAdhocQuery', 200, res.headers.get('content-type')!, res.json);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('names unaliased columns _col0, _col1, … and reads every spelling of the row limit', async () => {
    const unaliased = await adhoc(
      'SELECT count(*), sum(score), subject FROM examlake.exam_results GROUP BY subject LIMIT 5',
    );
    expect((unaliased.json.columns as { name: string }[]).map((c) => c.name)).toEqual(['_col0', '_col1', 'subject']);
    for (const sql of [
      'SELECT result_id FROM examlake.exam_results ORDER BY result_id LIMIT 10 OFFSET 5',
      'SELECT result_id FROM examlake.exam_results ORDER BY result_id OFFSET 5 LIMIT 10',
      'SELECT result_id FROM examlake.exam_results ORDER BY result_id OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY',
    ]) {
      const res = await adhoc(sql);
      expect({ sql, status: res.status, rows: res.json.rows.length, truncated: res.json.truncated }).toEqual({
        sql,
        status: 200,
        rows: 10,
        truncated: false,
      });
    }
  });

  it('enforces the LIMIT on a whole UNION ALL', async () => {
    const union = await adhoc(
      'SELECT result_id FROM examlake.exam_results UNION ALL SELECT result_id FROM examlake.exam_results LIMIT 3',
    );
    expect([union.status, union.json.rows.length, union.json.truncated]).toEqual([200, 3, false]);
    // The attack run's form: "LIMIT 1" on the first branch only, the second unbounded.
    const before = await executions();
    const bypass = await adhoc(
      '(SELECT * FROM examlake.exam_results LIMIT 1) UNION ALL (SELECT * FROM examlake.exam_results e, examlake.item_responses i)',
    );
    expect([bypass.status, bypass.json.code]).toEqual([400, 'SQL_NOT_ALLOWED']);
    expect(await executions()).toBe(before);
  });

  it.each([
    [
      'a CTE name used outside its subquery',
      'SELECT * FROM (WITH x AS (SELECT 1 AS a) SELECT a FROM x) AS s, x LIMIT 1',
      'Table x is not readable',
    ],
    [
      'a CTE named like a spill file',
      'WITH "/tmp/spill/profile-0.json" AS (SELECT * FROM examlake.exam_results) SELECT * FROM "/tmp/spill/profile-0.json" LIMIT 1',
      'plain identifier',
    ],
    [
      'a qualified function',
      "SELECT main.getenv('HOME') AS h FROM examlake.exam_results LIMIT 1",
      'main.getenv is not allowed',
    ],
    ['getenv', "SELECT getenv('HOME') AS h FROM examlake.exam_results LIMIT 1", 'getenv is not allowed'],
    ['read_csv', "SELECT * FROM read_csv('/etc/passwd') LIMIT 1", 'Table function read_csv'],
    ['glob', "SELECT * FROM glob('/tmp/*') LIMIT 1", 'Table function glob'],
    [
      'read_parquet in a subquery',
      "SELECT count(*) AS n FROM examlake.exam_results WHERE result_id IN (SELECT * FROM read_parquet('x')) LIMIT 1",
      'read_parquet',
    ],
  ])('refuses %s with a 400 problem before Athena runs anything', async (_, sql, detail) => {
    const before = await executions();
    const res = await adhoc(sql);
    expect([res.status, res.json.code]).toEqual([400, 'SQL_NOT_ALLOWED']);
    expect(res.json.detail).toContain(detail);
    contract.check('runAdhocQuery', 400, 'application/problem+json', res.json);
    expect(await executions()).toBe(before);
  });

  it('answers an engine error with a problem naming the column or function, without engine internals', async () => {
    const column = await adhoc('SELECT nosuch_column FROM examlake.exam_results LIMIT 1');
    expect([column.status, column.json.code]).toEqual([422, 'QUERY_FAILED']);
    expect(column.json.detail).toMatch(/column nosuch_column does not exist .*GET \/v1\/datasets/);
    // A Trino function the local engine does not have (docs/local-stack.md lists them).
    const fn = await adhoc('SELECT wilson_interval_lower(3, 10, 1.96) AS w FROM examlake.exam_results LIMIT 1');
    expect([fn.status, fn.json.code]).toEqual([422, 'QUERY_FAILED']);
    expect(fn.json.detail).toMatch(/function wilson_interval_lower does not exist/);
    for (const res of [column, fn]) {
      expect(res.json.detail).not.toMatch(/Binder|Catalog Error|DuckDB|LINE \d/);
      contract.check('runAdhocQuery', 422, 'application/problem+json', res.json);
    }
  });
});
