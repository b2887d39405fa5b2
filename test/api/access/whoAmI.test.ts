import { ContractValidator } from '../support/contractValidator';
import { request } from '../support/httpClient';
import { type AccessTestApi, startAccessTestApi } from './accessTestApi';

let t: AccessTestApi;
const contract = new ContractValidator();
let steward: Record<string, string>;
const grant = {
  datasets: ['exam_results'],
  columns: ['exam_id', 'region', 'school_id', 'score', 'student_key', 'subject'],
  rowFilters: { regions: ['North'] },
  minimumCellSize: 12,
};

beforeAll(async () => {
  t = await startAccessTestApi();
  steward = await t.bearer({ role: 'steward', subject: 'stella' });
  const put = await request(`${t.url}/v1/partners/P1/grant`, {
    method: 'PUT',
    headers: { ...steward, 'content-type': 'application/json' },
    body: JSON.stringify(grant),
  });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
});

const me = async (headers: Record<string, string>) => {
  const res = await request(`${t.url}/v1/me`, { headers });
  expect(res.status).toBe(200);
  contract.check('getMe', 200, 'application/json', res.json);
  return res.json;
};

describe('GET /v1/me', () => {
  it('shows a partner its grant: datasets, columns, row filters and minimum cell size', async () => {
    const body = await me(await t.bearer({ role: 'partner', partnerId: 'P1', subject: 'pat' }));
    expect(body).toMatchObject({
      subject: 'pat',
      role: 'partner',
      partnerId: 'P1',
      scope: {
        rows: { kind: 'filter', allOf: [[{ column: 'region', values: ['North'] }]] },
        datasets: ['exam_results'],
        columns: [...grant.columns].sort(),
        pseudonymised: true,
        minimumCellSize: 12,
      },
      grant: { partnerId: 'P1', version: 1, ...grant },
    });
  });

  it('tells a partner without a grant that it reads nothing, and why', async () => {
    const body = await me(await t.bearer({ role: 'partner', partnerId: 'P9' }));
    expect(body.grant).toBeNull();
    expect(body.scope.rows).toEqual({ kind: 'none', reason: 'Partner P9 has no grant; ask a data steward.' });
  });

  it('shows a school administrator their schools and districts as the row filter', async () => {
    const body = await me(await t.bearer({ role: 'school_admin', schoolIds: ['SCH-0001'], districtIds: ['DIS-02'] }));
    expect(body).toMatchObject({ role: 'school_admin', schoolIds: ['SCH-0001'], districtIds: ['DIS-02'], grant: null });
    expect(body.scope).toMatchObject({ datasets: 'all', columns: 'all', pseudonymised: false, minimumCellSize: 1 });
    expect(body.scope.rows.allOf).toEqual([
      [
        { column: 'school_id', values: ['SCH-0001'] },
        { column: 'district_id', values: ['DIS-02'] },
      ],
    ]);
  });

  it('shows an analyst every row and a steward none', async () => {
    expect((await me(await t.bearer({ role: 'analyst' }))).scope.rows).toEqual({ kind: 'all' });
    expect((await me(steward)).scope.rows.kind).toBe('none');
  });

  it('needs a token', async () => {
    expect((await request(`${t.url}/v1/me`)).status).toBe(401);
  });
});

describe('GET /v1/datasets as each role', () => {
  const columns = async (headers: Record<string, string>, name = 'exam_results') => {
    const res = await request(`${t.url}/v1/datasets/${name}`, { headers });
    if (res.status !== 200) return res.status;
    contract.check('getDataset', 200, 'application/json', res.json);
    return res.json.columns.map((c: { name: string }) => c.name);
  };

  it('shows a partner only the columns of its grant, never student_id or student_name', async () => {
    const partner = await t.bearer({ role: 'partner', partnerId: 'P1' });
    expect(await columns(partner)).toEqual(['exam_id', 'subject', 'school_id', 'region', 'score', 'student_key']);
    expect(await columns(partner, 'item_responses')).toBe(403);
    const list = await request(`${t.url}/v1/datasets`, { headers: partner });
    expect(list.json.datasets.map((d: { name: string }) => d.name)).toEqual(['exam_results']);
  });

  it('shows analysts, school administrators and stewards every column', async () => {
    for (const mint of [
      { role: 'analyst' as const },
      { role: 'school_admin' as const, schoolIds: ['SCH-0001'] },
      { role: 'steward' as const },
    ]) {
      const names = await columns(await t.bearer(mint));
      expect({ role: mint.role, pii: ['student_id', 'student_name'].every((c) => names.includes(c)) }).toEqual({
        role: mint.role,
        pii: true,
      });
    }
  });
});
