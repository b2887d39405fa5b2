import { QueryService, type QueryServiceOptions } from '../../../api/core/QueryService';
import { ResultPages } from '../../../api/core/ResultPages';
import { QueryFailedError } from '../../../api/errors';
import { CountingMetrics, FakeEngine, FixedVersions, MemoryCache, MemoryStore } from '../support/memoryPorts';

const CSV = '"subject","attempts"\n"maths","3"\n"reading, writing","2"\n"science","1"\n';
const request = {
  query: { sql: 'SELECT subject, count(*) AS attempts FROM t GROUP BY 1 ORDER BY 1 LIMIT 101', parameters: ["'S1'"] },
  tables: ['exam_results'],
  scopeFingerprint: 'scope-a',
  rowLimit: 100,
};

function setup(options: Partial<QueryServiceOptions> = {}) {
  let clock = 1_700_000_000_000;
  const store = new MemoryStore();
  const cache = new MemoryCache();
  const engine = new FakeEngine(store, CSV, [
    { name: 'subject', type: 'varchar' },
    { name: 'attempts', type: 'bigint' },
  ]);
  const versions = new FixedVersions({ exam_results: 'run-1' });
  const metrics = new CountingMetrics();
  const service = new QueryService(
    { engine, cache, store, versions, metrics },
    {
      workGroup: 'wg',
      queryWaitMs: 1000,
      pollIntervalMs: 10,
      resultTtlSeconds: 3600,
      failureBackoffSeconds: 30,
      leaseSeconds: 5,
      runningLeaseSeconds: 60,
      now: () => clock,
      // The fake engine finishes whenever a waiter sleeps, unless a test holds it (then sleepers wait for release).
      sleep: async (ms) => {
        if (hold.value && !options.queryWaitMs) await hold.released;
        clock += ms;
        if (!hold.value) engine.finishAll();
      },
      ...options,
    },
  );
  let release = () => {};
  const hold = {
    value: false,
    released: new Promise<void>((resolve) => {
      release = resolve;
    }),
    release(error?: string) {
      hold.value = false;
      if (error) engine.finishAll(error);
      release();
    },
  };
  return { service, engine, cache, store, versions, metrics, hold, advance: (ms: number) => (clock += ms) };
}

describe('QueryService', () => {
  it('runs a cold query once, then answers the identical query from the cache', async () => {
    const t = setup();
    const first = await t.service.answer(request);
    expect(first.state).toBe('SUCCEEDED');
    expect(first.cache).toBe('miss');
    const second = await t.service.answer(request);
    expect(second).toMatchObject({ state: 'SUCCEEDED', cache: 'hit' });
    expect(t.engine.executions.size).toBe(1);
    expect(t.metrics.counts).toEqual({ CacheMiss: 1, CacheHit: 1, BytesScanned: 1234 });
  });

  it('answers a repeated hit from memory without reading the cache table', async () => {
    const t = setup();
    await t.service.answer(request);
    const reads = t.cache.reads;
    expect((await t.service.answer(request)).cache).toBe('hit');
    expect(t.cache.reads).toBe(reads);
  });

  it('keeps row count, header length and column types on the entry and reads pages with them', async () => {
    const t = setup();
    const outcome = await t.service.answer(request);
    if (outcome.state !== 'SUCCEEDED') throw new Error('not done');
    expect(outcome.entry).toMatchObject({ rowCount: 3, dataStartByte: '"subject","attempts"\n'.length });
    const pages = new ResultPages(t.store, 1 << 20);
    const first = await pages.read(outcome.entry, 0, outcome.entry.dataStartByte, 2);
    expect(first.rows).toEqual([
      { subject: 'maths', attempts: 3 },
      { subject: 'reading, writing', attempts: 2 },
    ]);
    const second = await pages.read(outcome.entry, 2, first.nextByte!, 2);
    expect(second.rows).toEqual([{ subject: 'science', attempts: 1 }]);
    expect(second.nextByte).toBeUndefined();
  });

  it('joins a running query instead of starting another', async () => {
    const t = setup();
    t.hold.value = true;
    const answers = Array.from({ length: 20 }, () => t.service.answer(request));
    await new Promise((r) => setTimeout(r, 5));
    t.hold.release();
    const outcomes = await Promise.all(answers);
    expect(t.engine.executions.size).toBe(1);
    expect(outcomes.every((o) => o.state === 'SUCCEEDED')).toBe(true);
    expect(outcomes.filter((o) => o.cache === 'miss')).toHaveLength(1);
    expect(outcomes.filter((o) => o.cache === 'join')).toHaveLength(19);
  });

  it('answers RUNNING with the entry when the wait ends before the query', async () => {
    const t = setup({ queryWaitMs: 50 });
    t.hold.value = true;
    const outcome = await t.service.answer(request);
    expect(outcome).toMatchObject({ state: 'RUNNING', cache: 'miss' });
    t.engine.finishAll();
    const later = await t.service.lookup(outcome.entry.key);
    expect(later?.status).toBe('SUCCEEDED');
  });

  it('uses a new key, and runs again, when a table’s data version changes', async () => {
    const t = setup();
    const first = await t.service.answer(request);
    t.versions.versions['exam_results'] = 'run-2';
    const second = await t.service.answer(request);
    expect(second.cache).toBe('miss');
    expect(second.entry.key).not.toBe(first.entry.key);
    expect((await t.service.answer(request)).cache).toBe('hit');
    expect(t.engine.executions.size).toBe(2);
  });

  it('keys results by scope: another scope fingerprint never shares an entry', async () => {
    const t = setup();
    const a = await t.service.answer(request);
    const b = await t.service.answer({ ...request, scopeFingerprint: 'scope-b' });
    expect(b.cache).toBe('miss');
    expect(b.entry.key).not.toBe(a.entry.key);
  });

  it('caches no result for a failed query, only a back-off that answers the failure without running', async () => {
    const t = setup();
    t.hold.value = true;
    const pending = t.service.answer(request);
    await new Promise((r) => setTimeout(r, 5));
    t.hold.release('COLUMN_NOT_FOUND: line 1:8: Column x cannot be resolved');
    await expect(pending).rejects.toThrow(QueryFailedError);
    const entry = [...t.cache.items.values()][0]!;
    expect(entry.status).toBe('FAILED');
    await expect(t.service.answer(request)).rejects.toThrow(/Column x cannot be resolved/);
    expect(t.engine.executions.size).toBe(1);
    t.advance(31_000);
    expect((await t.service.answer(request)).cache).toBe('miss');
    expect(t.engine.executions.size).toBe(2);
  });

  it('records a query the engine refuses as a back-off and rethrows the refusal', async () => {
    const t = setup();
    t.engine.refuse = 'mismatched input';
    await expect(t.service.answer(request)).rejects.toThrow(/mismatched input/);
    expect([...t.cache.items.values()][0]?.status).toBe('FAILED');
  });

  it('treats an entry past its TTL as absent', async () => {
    const t = setup({ resultTtlSeconds: 10 });
    await t.service.answer(request);
    t.advance(11_000);
    expect((await t.service.answer(request)).cache).toBe('miss');
    expect(t.engine.executions.size).toBe(2);
  });

  it('takes over an entry whose lease expired without an execution', async () => {
    const t = setup();
    const { key, dataVersions } = await t.service.keyOf(request);
    await t.cache.put(
      {
        key,
        version: 'stale',
        status: 'RUNNING',
        scopeFingerprint: 'scope-a',
        dataVersions,
        query: request.query,
        rowLimit: 100,
        createdAtMs: 0,
        executionId: undefined,
        leaseExpiresAtMs: 1,
        expiresAt: 9_999_999_999,
      },
      undefined,
    );
    const outcome = await t.service.answer(request);
    expect(outcome).toMatchObject({ state: 'SUCCEEDED', cache: 'miss' });
    expect(t.engine.executions.size).toBe(1);
  });

  it('recomputes after an evicted entry (result object gone)', async () => {
    const t = setup();
    const first = await t.service.answer(request);
    t.store.objects.clear();
    await t.service.evict(first.entry);
    const again = await t.service.answer(request);
    expect(again.cache).toBe('miss');
    expect(t.engine.executions.size).toBe(2);
  });
});

describe('QueryService cache keys', () => {
  it('gives the same request object a new key under a new data version, and the same key back after', async () => {
    const { service, versions } = setup();
    const first = await service.keyOf(request);
    expect((await service.keyOf(request)).key).toBe(first.key);
    versions.versions = { exam_results: 'run-2' };
    const second = await service.keyOf(request);
    expect(second.key).not.toBe(first.key);
    expect(second.dataVersions).toEqual({ exam_results: 'run-2' });
    expect((await service.keyOf({ ...request })).key).toBe(second.key);
    versions.versions = { exam_results: 'run-1' };
    expect((await service.keyOf(request)).key).toBe(first.key);
  });

  it('keys every input: scope, SQL and parameters each change the key', async () => {
    const { service } = setup();
    const base = (await service.keyOf(request)).key;
    const keys = await Promise.all(
      [
        { ...request, scopeFingerprint: 'scope-b' },
        { ...request, query: { ...request.query, sql: `${request.query.sql} ` } },
        { ...request, query: { ...request.query, parameters: ["'S2'"] } },
        // Not the same text joined differently: the parameter moved into the SQL.
        { ...request, query: { sql: `${request.query.sql}'S1'`, parameters: [] } },
      ].map(async (r) => (await service.keyOf(r)).key),
    );
    expect(new Set([base, ...keys]).size).toBe(5);
  });
});
