import { AthenaClient, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { loadExamResults } from '../access/loadExamResults';
import { ContractValidator } from '../support/contractValidator';
import { request } from '../support/httpClient';

/**
 * Access control end to end: data loaded through the ETL, queried through the API on the local stack (local
 * Athena on the curated Parquet), by every role. The numbers are chosen so each scope sees different totals.
 */
let t: AccessTestApi;
let athena: AthenaClient;
const contract = new ContractValidator();
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await startAccessTestApi({ grantCacheTtlSeconds: 0, queryWaitMs: 20_000 }, { etl: true });
  athena = new AthenaClient(t.stack.clientConfig);
  await loadExamResults(t.stack, [
    { region: 'North', district: 'DIS-01', school: 'SCH-0001', subject: 'mathematics', passed: true, count: 30 },
    { region: 'North', district: 'DIS-01', school: 'SCH-0001', subject: 'mathematics', passed: false, count: 3 },
    { region: 'North', district: 'DIS-01', school: 'SCH-0002', subject: 'mathematics', passed: true, count: 20 },
    { region: 'North', district: 'DIS-01', school: 'SCH-0002', subject: 'mathematics', passed: false, count: 15 },
    { region: 'South', district: 'DIS-02', school: 'SCH-0003', subject: 'science', passed: true, count: 12 },
    { region: 'South', district: 'DIS-02', school: 'SCH-0003', subject: 'science', passed: false, count: 11 },
  ]);
  headers['analyst'] = await t.bearer({ role: 'analyst' });
  headers['admin1'] = await t.bearer({ role: 'school_admin', schoolIds: ['SCH-0001'] });
  headers['district2'] = await t.bearer({ role: 'school_admin', districtIds: ['DIS-02'] });
  headers['acme'] = await t.bearer({ role: 'partner', partnerId: 'acme' });
  headers['steward'] = await t.bearer({ role: 'steward' });
}, 120_000);
afterAll(async () => {
  athena?.destroy();
  await t?.stop();
});

const attempts = async (who: string, query = '') => {
  const res = await request(`${t.url}/v1/reports/subject-trends${query}`, { headers: headers[who] });
  return { res, total: (res.json?.rows ?? []).reduce((s: number, r: { attempts: number }) => s + r.attempts, 0) };
};
const executions = async () => (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds?.length ?? 0;

describe('scoped access on the local stack', () => {
  it('answers each role with the rows of its scope only', async () => {
    expect((await attempts('analyst')).total).toBe(91);
    expect((await attempts('admin1')).total).toBe(33);
    expect((await attempts('district2')).total).toBe(23);
    const none = await attempts('steward');
    expect(none.res.status).toBe(403);
  });

  it('applies a partner grant, its changes at once with a TTL of 0, and its revocation', async () => {
    expect((await attempts('acme')).res.status).toBe(403);
    const steward = { ...headers['steward'], 'content-type': 'application/json' };
    const grant = {
      datasets: ['exam_results'],
      columns: ['subject', 'school_id', 'passed', 'score', 'max_score', 'submitted_at'],
      rowFilters: { regions: ['South'] },
      minimumCellSize: 10,
    };
    const put = await request(`${t.url}/v1/partners/acme/grant`, {
      method: 'PUT',
      headers: steward,
      body: JSON.stringify(grant),
    });
    expect(put.status).toBe(200);
    const south = await attempts('acme');
    expect(south.total).toBe(23);
    const widened = await request(`${t.url}/v1/partners/acme/grant`, {
      method: 'PUT',
      headers: { ...steward, 'if-match': '"1"' },
      body: JSON.stringify({ ...grant, rowFilters: { regions: ['South', 'North'] } }),
    });
    expect(widened.status).toBe(200);
    const both = await attempts('acme');
    expect(both.total).toBe(91);
    expect(both.res.headers.get('etag')).not.toBe(south.res.headers.get('etag'));
    const narrowed = await request(`${t.url}/v1/partners/acme/grant`, {
      method: 'PUT',
      headers: { ...steward, 'if-match': '"2"' },
      body: JSON.stringify({ ...grant, columns: ['subject', 'school_id'] }),
    });
    expect(narrowed.status).toBe(200);
    const hidden = await attempts('acme');
    expect(hidden.res.status).toBe(403);
    expect(hidden.res.json.detail).toContain('score');
    await request(`${t.url}/v1/partners/acme/grant`, { method: 'DELETE', headers: steward });
    expect((await attempts('acme')).res.status).toBe(403);
    const records = t.audit.filter((r) => r['operationId'] === 'runReport' && r['partnerId'] === 'acme');
    expect(records.map((r) => r['decision'])).toEqual(['deny', 'allow', 'allow', 'deny', 'deny']);
    expect(records[1]).toMatchObject({ role: 'partner', resource: 'subject-trends', status: 200 });
    expect(records[1]!['scopeFingerprint']).not.toBe(records[2]!['scopeFingerprint']);
    expect(records[1]!['cacheKey']).toEqual(expect.any(String));
  });

  it("withholds a partner's groups and implied counts below the grant's minimum and refuses row-level reports", async () => {
    const steward = { ...headers['steward'], 'content-type': 'application/json' };
    const minimumCellSize = 30;
    const put = await request(`${t.url}/v1/partners/beta/grant`, {
      method: 'PUT',
      headers: steward,
      body: JSON.stringify({
        datasets: ['exam_results'],
        columns: [
          'exam_id',
          'exam_title',
          'subject',
          'school_id',
          'student_key',
          'passed',
          'score',
          'max_score',
          'submitted_at',
        ],
        minimumCellSize,
      }),
    });
    expect(put.status).toBe(200);
    const beta = await t.bearer({ role: 'partner', partnerId: 'beta' });
    const summary = async (who: Record<string, string>, school: string) =>
      request(`${t.url}/v1/reports/school-summary?schoolId=${school}`, { headers: who });
    for (const [school, students] of [
      ['SCH-0001', 33],
      ['SCH-0003', 23],
    ] as const) {
      const analyst = await summary(headers['analyst']!, school);
      expect(analyst.json.rows.map((r: { students: number }) => r.students)).toEqual([students]);
      const partner = await summary(beta, school);
      expect(partner.status).toBe(200);
      contract.check('runReport', 200, 'application/json', partner.json);
      const rows = partner.json.rows as { students: number }[];
      expect(rows.every((r) => r.students >= minimumCellSize)).toBe(true);
      // SCH-0001's 3 failures out of 33 are fewer than 30: the pass rate, which implies them, is withheld.
      expect(rows).toEqual(
        analyst.json.rows
          .filter((r: { students: number }) => r.students >= minimumCellSize)
          .map((r: object) => ({ ...r, pass_rate: null, withheld: null, withheld_groups: 0 })),
      );
      expect(partner.json.disclosure).toMatchObject({ minimumCellSize, withheldGroups: 0 });
      expect(partner.headers.get('x-examlake-withheld-groups')).toBe('0');
    }
    const outsideGrant = (await summary(beta, 'SCH-0003')).json;
    expect(outsideGrant.rows).toEqual([]);
    // An empty answer says what to check instead of leaving the partner guessing.
    expect(outsideGrant.note).toMatch(/No rows match these parameters in the data you may read.*GET \/v1\/me/);
    contract.check('runReport', 200, 'application/json', outsideGrant);
    const trends = await request(`${t.url}/v1/reports/subject-trends`, { headers: beta });
    expect(trends.json.rows.map((r: { subject: string }) => r.subject)).toEqual(['mathematics']);
    const progress = await request(`${t.url}/v1/reports/student-progress?studentId=STU-1`, { headers: beta });
    expect(progress.status).toBe(403);
    await request(`${t.url}/v1/partners/beta/grant`, { method: 'DELETE', headers: steward });
  });

  it('opens a page token or handle only under the scope that made it (404 otherwise)', async () => {
    const first = await attempts('analyst', '?pageSize=1');
    const pageToken = first.res.json.page.nextPageToken as string;
    const handle = first.res.json.query.handle as string;
    expect(pageToken).toEqual(expect.any(String));
    const asAdmin = await request(`${t.url}/v1/reports/subject-trends?pageSize=1&pageToken=${pageToken}`, {
      headers: headers['admin1'],
    });
    expect(asAdmin.status).toBe(404);
    expect(asAdmin.json.rows).toBeUndefined();
    for (const who of ['admin1', 'district2']) {
      const status = await request(`${t.url}/v1/queries/${handle}`, { headers: headers[who] });
      expect(status.status).toBe(404);
      const results = await request(`${t.url}/v1/queries/${handle}/results`, { headers: headers[who] });
      expect(results.status).toBe(404);
    }
    expect((await request(`${t.url}/v1/queries/${handle}`)).status).toBe(401);
    expect((await request(`${t.url}/v1/queries/${handle}`, { headers: headers['analyst'] })).status).toBe(200);
  });

  it('rejects injection in parameters and ad-hoc SQL before Athena', async () => {
    const before = await executions();
    const bad = [
      "mathematics' OR '1'='1",
      'mathematics; DROP TABLE x',
      "x' UNION SELECT student_name FROM exam_results --",
    ];
    for (const value of bad) {
      const res = await request(`${t.url}/v1/reports/subject-trends?subject=${encodeURIComponent(value)}`, {
        headers: headers['analyst'],
      });
      expect(res.status).toBe(400);
      const school = await request(`${t.url}/v1/reports/school-summary?schoolId=${encodeURIComponent(value)}`, {
        headers: headers['admin1'],
      });
      expect(school.status).toBe(400);
    }
    const sqls = [
      'SELECT 1; DROP TABLE examlake.exam_results',
      'SELECT * FROM information_schema.tables LIMIT 1',
      'SELECT * FROM examlake.exam_results UNION SELECT * FROM other.secrets',
      "SELECT * FROM read_parquet('/etc/passwd')",
    ];
    for (const sql of sqls) {
      const res = await request(`${t.url}/v1/queries`, {
        method: 'POST',
        headers: { ...headers['analyst'], 'content-type': 'application/json' },
        body: JSON.stringify({ sql }),
      });
      expect(res.status).toBe(400);
    }
    const notAnalyst = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { ...headers['admin1'], 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM examlake.exam_results LIMIT 1' }),
    });
    expect(notAnalyst.status).toBe(403);
    expect(await executions()).toBe(before);
  });

  it('refuses unknown body fields and page sizes over the cap with 400', async () => {
    const before = await executions();
    const mass = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { ...headers['analyst'], 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1', scope: 'all', role: 'analyst' }),
    });
    expect(mass.status).toBe(400);
    const page = await attempts('analyst', '?pageSize=100000');
    expect(page.res.status).toBe(400);
    expect(page.res.json.errors[0].name).toBe('pageSize');
    expect(await executions()).toBe(before);
  });

  it('publishes open figures without a token, suppressed, with a public Cache-Control', async () => {
    const res = await request(`${t.url}/v1/open/reports/attainment-by-area?year=2025`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    contract.check('runOpenReport', 200, 'application/json', res.json);
    const rows = res.json.rows as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ level: 'national', subject: null, first_attempts: 91, passed: 62, not_passed: 29 });
    const sch1 = rows.find((r) => r['school_id'] === 'SCH-0001' && r['subject'] === null)!;
    expect(sch1).toMatchObject({ not_passed: null, not_passed_suppressed: 'withheld', pass_rate: null });
    const paged = await request(`${t.url}/v1/open/reports/attainment-by-area?year=2025&pageSize=2`);
    const next = await request(`${t.url}${paged.json.page.next}`);
    expect(next.json.rows).toEqual(rows.slice(2, 4));
    const refused = await request(
      `${t.url}/v1/open/reports/attainment-by-area?year=2025&pageToken=${paged.json.page.nextPageToken}&subject=science`,
    );
    expect(refused.status).toBe(400);
    expect(t.audit).toContainEqual(
      expect.objectContaining({ operationId: 'runOpenReport', role: 'public', principal: null, decision: 'allow' }),
    );
  });
});
