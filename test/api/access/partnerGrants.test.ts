import { ContractValidator } from '../support/contractValidator';
import { request } from '../support/httpClient';
import { type AccessTestApi, startAccessTestApi } from './accessTestApi';

let t: AccessTestApi;
const contract = new ContractValidator();
let steward: Record<string, string>;
const url = (partner = 'acme') => `${t.url}/v1/partners/${partner}/grant`;
const body = {
  datasets: ['exam_results'],
  columns: ['exam_id', 'max_score', 'passed', 'school_id', 'score', 'student_key', 'subject'],
  rowFilters: { regions: ['north'] },
  minimumCellSize: 10,
};
const put = (json: unknown, headers: Record<string, string> = {}, partner = 'acme') =>
  request(url(partner), {
    method: 'PUT',
    headers: { ...steward, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
  });

beforeAll(async () => {
  t = await startAccessTestApi();
  steward = await t.bearer({ role: 'steward', subject: 'stella' });
});
afterAll(async () => {
  await t?.stop();
});

describe('partner grants', () => {
  it('creates a grant, reads it back with its version as ETag, and audits both', async () => {
    const created = await put(body);
    expect(created.status).toBe(200);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.json).toMatchObject({ partnerId: 'acme', version: 1, updatedBy: 'stella', ...body });
    contract.check('putPartnerGrant', 200, 'application/json', created.json);
    const read = await request(url(), { headers: steward });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
    contract.check('getPartnerGrant', 200, 'application/json', read.json);
    const records = t.audit.filter(
      (r) => r['operationId'] === 'putPartnerGrant' || r['operationId'] === 'getPartnerGrant',
    );
    expect(records).toEqual([
      expect.objectContaining({
        decision: 'allow',
        principal: 'stella',
        role: 'steward',
        resource: 'acme',
        reason: 'grant-created',
      }),
      expect.objectContaining({ decision: 'allow', operationId: 'getPartnerGrant', reason: 'grant-read' }),
    ]);
  });

  it('replaces a grant only with the current version in If-Match', async () => {
    const withoutIfMatch = await put({ ...body, minimumCellSize: 20 });
    expect(withoutIfMatch.status).toBe(428);
    expect(withoutIfMatch.json.code).toBe('PRECONDITION_REQUIRED');
    const stale = await put({ ...body, minimumCellSize: 20 }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.json.detail).toContain('If-Match: "1"');
    const ok = await put({ ...body, minimumCellSize: 20 }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ version: 2, minimumCellSize: 20 });
    const lost = await put({ ...body, minimumCellSize: 30 }, { 'if-match': '"1"' });
    expect(lost.status).toBe(412);
  });

  it('refuses grants exposing student ids, unknown columns or datasets, small cells and unknown fields', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...body, columns: ['student_id'] }, /columns\/0/],
      [{ ...body, columns: ['student_name'] }, /columns\/0/],
      [{ ...body, columns: ['Student_ID'] }, /columns\/0/],
      [{ ...body, columns: ['no_such_column'] }, /not a column/],
      [{ ...body, datasets: ['secrets'] }, /names no dataset/],
      [{ ...body, columns: ['question_id'] }, /not a column of the granted datasets/],
      [{ ...body, minimumCellSize: 3 }, /at least 10/],
      [{ ...body, version: 99 }, /version/],
      [{ ...body, rowFilters: { regions: ['north'], teacherIds: ['T1'] } }, /teacherIds/],
    ];
    for (const [json, message] of cases) {
      const res = await put(json, {}, 'fresh');
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json.errors)).toMatch(message);
    }
    expect((await request(url('fresh'), { headers: steward })).status).toBe(404);
  });

  it('grants aggregates by default and rows only with an expiry and a row cap', async () => {
    const aggregates = await put(body, {}, 'levels');
    expect(aggregates.json).toMatchObject({ level: 'aggregates' });
    expect(aggregates.json.rowAccess).toBeUndefined();
    const rowAccess = { expiresAt: new Date(Date.now() + 86_400_000).toISOString(), maxRowsPerExtract: 5000 };
    const rows = await put({ ...body, level: 'rows', rowAccess }, { 'if-match': '"1"' }, 'levels');
    expect(rows.status).toBe(200);
    expect(rows.json).toMatchObject({ level: 'rows', rowAccess, version: 2 });
    contract.check('putPartnerGrant', 200, 'application/json', rows.json);
    const read = await request(url('levels'), { headers: steward });
    expect(read.json).toEqual(rows.json);
    expect(t.audit).toContainEqual(expect.objectContaining({ resource: 'levels', reason: 'grant-replaced v2' }));
  });

  it('refuses row terms without level rows, level rows without terms, past expiry and oversized caps', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const cases: [unknown, RegExp][] = [
      [{ ...body, level: 'rows' }, /rowAccess.*is required/],
      [{ ...body, rowAccess: { expiresAt: future, maxRowsPerExtract: 10 } }, /only for level/],
      [{ ...body, level: 'rows', rowAccess: { expiresAt: '2020-01-01T00:00:00Z', maxRowsPerExtract: 10 } }, /future/],
      [{ ...body, level: 'rows', rowAccess: { expiresAt: future, maxRowsPerExtract: 10 ** 9 } }, /EXTRACT_MAX_ROWS/],
      [{ ...body, level: 'rows', rowAccess: { expiresAt: future, maxRowsPerExtract: 0 } }, /maxRowsPerExtract/],
      [{ ...body, level: 'everything' }, /level/],
      [{ ...body, level: 'rows', rowAccess: { expiresAt: future, maxRowsPerExtract: 5, extra: 1 } }, /extra/],
    ];
    for (const [json, message] of cases) {
      const res = await put(json, {}, 'bad-levels');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json.errors)).toMatch(message);
    }
    expect((await request(url('bad-levels'), { headers: steward })).status).toBe(404);
  });

  it('is open to stewards only', async () => {
    const mints = [
      { role: 'analyst' },
      { role: 'school_admin', schoolIds: ['S1'] },
      { role: 'partner', partnerId: 'acme' },
    ] as const;
    for (const mint of mints) {
      const res = await request(url(), { headers: await t.bearer(mint) });
      expect(res.status).toBe(403);
    }
    expect((await request(url())).status).toBe(401);
    // The 401 is the gateway's (the authorizer's on AWS): it never reaches the handler, so only the 403s are here.
    const denied = t.audit.filter((r) => r['operationId'] === 'getPartnerGrant' && r['reason'] === 'FORBIDDEN');
    expect(denied.map((r) => [r['decision'], r['status'], r['scopeFingerprint']])).toEqual([
      ['deny', 403, null],
      ['deny', 403, null],
      ['deny', 403, null],
    ]);
  });

  it('revokes a grant, honouring If-Match, and answers 404 afterwards', async () => {
    const stale = await request(url(), { method: 'DELETE', headers: { ...steward, 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const gone = await request(url(), { method: 'DELETE', headers: { ...steward, 'if-match': '"2"' } });
    expect(gone.status).toBe(204);
    expect((await request(url(), { headers: steward })).status).toBe(404);
    expect((await request(url(), { method: 'DELETE', headers: steward })).status).toBe(404);
    expect(t.audit).toContainEqual(
      expect.objectContaining({ operationId: 'deletePartnerGrant', reason: 'grant-revoked v2' }),
    );
  });

  it('never repeats a version: a stale If-Match from before a DELETE and re-create is 412', async () => {
    const partner = 'reborn';
    const first = await put({ ...body, minimumCellSize: 100 }, {}, partner);
    expect(first.headers.get('etag')).toBe('"1"');
    const revoked = await request(url(partner), { method: 'DELETE', headers: { ...steward, 'if-match': '"1"' } });
    expect(revoked.status).toBe(204);
    expect((await request(url(partner), { headers: steward })).status).toBe(404);
    const again = await put({ ...body, minimumCellSize: 100 }, {}, partner);
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe('"3"');
    // The attack: a steward who read version 1 before the DELETE loosens the newer, stricter grant.
    const stale = await put({ ...body, minimumCellSize: 10 }, { 'if-match': '"1"' }, partner);
    expect([stale.status, stale.json.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect(stale.json.detail).toContain('If-Match: "3"');
    const read = await request(url(partner), { headers: steward });
    expect(read.json).toMatchObject({ version: 3, minimumCellSize: 100 });
    const staleDelete = await request(url(partner), { method: 'DELETE', headers: { ...steward, 'if-match': '"1"' } });
    expect(staleDelete.status).toBe(412);
  });

  it('refuses a weak ETag in If-Match with 412 and leaves the grant as it was', async () => {
    const partner = 'weakling';
    await put(body, {}, partner);
    const weak = await put({ ...body, minimumCellSize: 20 }, { 'if-match': 'W/"1"' }, partner);
    expect([weak.status, weak.json.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect(weak.json.detail).toContain('weak entity tag');
    contract.check('putPartnerGrant', 412, 'application/problem+json', weak.json);
    const weakDelete = await request(url(partner), {
      method: 'DELETE',
      headers: { ...steward, 'if-match': 'W/"1"' },
    });
    expect(weakDelete.status).toBe(412);
    expect((await request(url(partner), { headers: steward })).json).toMatchObject({ version: 1, minimumCellSize: 10 });
  });
});
