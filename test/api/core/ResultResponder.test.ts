import { scopeFor } from '../../../api/access/Scope';
import { QueryService } from '../../../api/core/QueryService';
import { QueryTokens } from '../../../api/core/QueryTokens';
import { ResultPages } from '../../../api/core/ResultPages';
import { TokenSigner } from '../../../api/core/TokenSigner';
import type { ApiRequest } from '../../../api/http/ApiRequest';
import { ResultResponder } from '../../../api/operations/ResultResponder';
import { caller } from '../access/callers';
import { ContractValidator } from '../support/contractValidator';
import { CountingMetrics, FakeEngine, FixedVersions, MemoryCache, MemoryStore } from '../support/memoryPorts';

const CSV = '"name","score"\n"=cmd|calc",1.5\n"b",2\n"c",\n';

async function setup() {
  const store = new MemoryStore();
  const engine = new FakeEngine(store, CSV, [
    { name: 'name', type: 'varchar' },
    { name: 'score', type: 'double' },
  ]);
  const service = new QueryService(
    { engine, cache: new MemoryCache(), store, versions: new FixedVersions({}), metrics: new CountingMetrics() },
    {
      workGroup: 'wg',
      queryWaitMs: 1000,
      pollIntervalMs: 1,
      resultTtlSeconds: 60,
      failureBackoffSeconds: 1,
      leaseSeconds: 5,
      runningLeaseSeconds: 60,
      sleep: async () => engine.finishAll(),
    },
  );
  const scope = scopeFor(caller('analyst'));
  const outcome = await service.answer({
    query: { sql: 'SELECT 1', parameters: [] },
    tables: ['exam_results'],
    scopeFingerprint: scope.fingerprint,
    rowLimit: 2,
  });
  const responder = new ResultResponder(
    new ResultPages(store, 1 << 20),
    new QueryTokens(TokenSigner.withKeys({ current: 's'.repeat(32), previous: undefined })),
  );
  const request = (query: Record<string, unknown>, headers: Record<string, string> = {}): ApiRequest => ({
    requestId: 'r1',
    method: 'GET',
    path: '/v1/reports/x',
    basePath: '/prod',
    operationId: 'runReport',
    pathParams: { reportId: 'x' },
    query,
    headers,
    body: undefined,
    scope,
  });
  return { outcome, responder, request, store };
}

describe('ResultResponder', () => {
  it('answers a page as the contract’s Result, cut at the row limit, and states the data access for the audit record', async () => {
    const { outcome, responder, request } = await setup();
    const res = await responder.respond(request({ pageSize: 1 }), outcome, undefined, { reportId: 'x' });
    const body = JSON.parse(String(res.body));
    new ContractValidator().check('runReport', 200, 'application/json', body);
    expect(body.rows).toEqual([{ name: '=cmd|calc', score: 1.5 }]);
    expect(body.page).toMatchObject({ offset: 0, pageSize: 1, rowCount: 2 });
    expect(body.truncated).toBe(true);
    expect(body.page.next).toMatch(/^\/prod\/v1\/reports\/x\?pageSize=1&pageToken=/);
    expect(res.headers['Link']).toBe(`<${body.page.next}>; rel="next"`);
    if (outcome.state !== 'SUCCEEDED') throw new Error('expected a result');
    // The router records who asked (principal, role, scope) beside these facts: one audit channel.
    expect(res.audit).toEqual({ rowsReturned: 1, cacheKey: outcome.entry.key, resource: 'x' });
  });

  it('writes CSV safe from formula injection, with paging in headers', async () => {
    const { outcome, responder, request } = await setup();
    const res = await responder.respond(request({ format: 'csv', pageSize: 1 }), outcome, undefined);
    expect(res.body).toBe("name,score\r\n'=cmd|calc,1.5\r\n");
    expect(res.headers['X-Examlake-Next-Page-Token']).toMatch(/\./);
    expect(res.headers['X-Examlake-Truncated']).toBe('true');
  });

  it('answers 304 to a matching If-None-Match without reading the page', async () => {
    const { outcome, responder, request } = await setup();
    const first = await responder.respond(request({}), outcome, undefined);
    const etag = first.headers['ETag']!;
    const again = await responder.respond(request({}, { 'if-none-match': `W/"other", ${etag}` }), outcome, undefined);
    expect(again.status).toBe(304);
    if (outcome.state !== 'SUCCEEDED') throw new Error('expected a result');
    expect(again.audit).toEqual({ cacheKey: outcome.entry.key, resource: undefined });
  });
});

describe('ResultResponder rendered hits', () => {
  it('serves a repeated hit as the same bytes without reading the result object again', async () => {
    const { outcome, responder, request, store } = await setup();
    if (outcome.state !== 'SUCCEEDED') throw new Error('expected a result');
    const hit = { ...outcome, cache: 'hit' as const };
    const first = await responder.respond(request({ pageSize: 1 }), hit, undefined, { reportId: 'x' });
    const reads = store.reads;
    store.objects.clear();
    const again = await responder.respond(request({ pageSize: 1 }), hit, undefined, { reportId: 'x' });
    expect(store.reads).toBe(reads);
    expect(again.body).toBe(first.body);
    expect(again.headers['ETag']).toBe(first.headers['ETag']);
    expect(JSON.parse(String(again.body)).query.cache).toBe('hit');
    expect(again.audit).toMatchObject({ rowsReturned: 1, cacheKey: outcome.entry.key, resource: 'x' });
  });

  it('never serves a miss from the rendered hits, and renders another page size apart', async () => {
    const { outcome, responder, request, store } = await setup();
    if (outcome.state !== 'SUCCEEDED') throw new Error('expected a result');
    const hit = { ...outcome, cache: 'hit' as const };
    await responder.respond(request({ pageSize: 1 }), hit, undefined);
    const reads = store.reads;
    const miss = await responder.respond(request({ pageSize: 1 }), outcome, undefined);
    expect(JSON.parse(String(miss.body)).query.cache).toBe('miss');
    const two = await responder.respond(request({ pageSize: 2 }), hit, undefined);
    expect(JSON.parse(String(two.body)).rows).toHaveLength(2);
    expect(store.reads).toBeGreaterThan(reads);
  });

  it('answers 304 to a hit whose ETag the client holds', async () => {
    const { outcome, responder, request } = await setup();
    if (outcome.state !== 'SUCCEEDED') throw new Error('expected a result');
    const hit = { ...outcome, cache: 'hit' as const };
    const first = await responder.respond(request({}), hit, undefined);
    const again = await responder.respond(request({}, { 'if-none-match': first.headers['ETag']! }), hit, undefined);
    expect(again.status).toBe(304);
  });
});
