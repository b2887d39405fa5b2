import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { request } from '../support/httpClient';

let t: AccessTestApi;

beforeAll(async () => {
  t = await startAccessTestApi({ partnerRequestsPerSecond: 1, partnerBurst: 2 });
});
afterAll(async () => {
  await t?.stop();
});

describe('partner rate limit', () => {
  it('answers a partner over its burst with a 429 problem and Retry-After', async () => {
    const acme = await t.bearer({ role: 'partner', partnerId: 'acme' });
    const first = [
      await request(`${t.url}/v1/datasets`, { headers: acme }),
      await request(`${t.url}/v1/datasets`, { headers: acme }),
    ];
    expect(first.map((r) => r.status)).not.toContain(429);
    const over = await request(`${t.url}/v1/datasets`, { headers: acme });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(over.json.code).toBe('THROTTLED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(t.audit).toContainEqual(
      expect.objectContaining({ operationId: 'listDatasets', partnerId: 'acme', decision: 'deny', status: 429 }),
    );
  });

  it('keeps a bucket per partner, apart from the buckets of other roles', async () => {
    const other = await request(`${t.url}/v1/datasets`, {
      headers: await t.bearer({ role: 'partner', partnerId: 'zeta' }),
    });
    expect(other.status).not.toBe(429);
    const analyst = await t.bearer({ role: 'analyst' });
    for (let i = 0; i < 4; i++) {
      const res = await request(`${t.url}/v1/datasets`, { headers: analyst });
      expect(res.status).not.toBe(429);
    }
  });
});
