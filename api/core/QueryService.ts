import { LRUCache } from 'lru-cache';
import { QueryFailedError, ScanLimitExceededError } from '../errors';
import type { DataVersions } from '../ports/DataVersions';
import type { MetricsSink } from '../ports/MetricsSink';
import type { EngineQuery, QueryEngine } from '../ports/QueryEngine';
import type { ResultCache } from '../ports/ResultCache';
import type { ResultStore } from '../ports/ResultStore';
import type { CacheEntry, FailedEntry, RunningEntry, SucceededEntry } from './CacheEntry';
import { cacheKey } from './cacheKey';
import { explainQueryFailure } from './explainQueryFailure';
import { summariseResult } from './summariseResult';

/** How an answer was produced: from the cache, by this request's execution, or by joining another's. */
export type CacheOutcome = 'hit' | 'miss' | 'join';

/** A query to answer: the final SQL (scope applied), the tables it reads and who may share its answer. */
export interface QueryRequest {
  readonly query: EngineQuery;
  /** Dataset tables read (Glue table names of the `examlake` database); their data versions key the result. */
  readonly tables: readonly string[];
  readonly scopeFingerprint: string;
  /** Rows served at most; `query` must ask for `rowLimit + 1` so truncation is visible. */
  readonly rowLimit: number;
}

export type QueryOutcome =
  | { readonly state: 'SUCCEEDED'; readonly entry: SucceededEntry; readonly cache: CacheOutcome }
  | { readonly state: 'RUNNING'; readonly entry: RunningEntry; readonly cache: CacheOutcome };

export interface QueryServiceOptions {
  readonly workGroup: string;
  /** How long a request waits for the answer before it gets a handle (202). */
  readonly queryWaitMs: number;
  /** First poll interval; doubles up to 1 s. */
  readonly pollIntervalMs: number;
  readonly resultTtlSeconds: number;
  readonly failureBackoffSeconds: number;
  /** How long a claim without an execution holds. */
  readonly leaseSeconds: number;
  /** How long an execution holds its entry before another request may take over. */
  readonly runningLeaseSeconds: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout-based */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface QueryServicePorts {
  readonly engine: QueryEngine;
  readonly cache: ResultCache;
  readonly store: ResultStore;
  readonly versions: DataVersions;
  readonly metrics: MetricsSink;
}

const MAX_POLL_MS = 1000;
/** Finished entries remembered in memory per instance (they are immutable until their TTL). */
const MEMO_ENTRIES = 2000;

/**
 * Answers queries from the cache or the engine, following the entry life described in `CacheEntry.ts`:
 * single flight through conditional claims, joins of running executions, lease take-over, failures kept only
 * as a short back-off, expired entries treated as absent. Every decision is made on a strongly consistent
 * read followed by a write conditional on what was read.
 */
export class QueryService {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Identical requests in flight in this instance share one settle loop (and so one set of polls). */
  private readonly inflight = new Map<string, Promise<QueryOutcome>>();
  /** Succeeded entries by key: a hit needs no DynamoDB read while the entry lives. */
  private readonly memo = new LRUCache<string, SucceededEntry>({ max: MEMO_ENTRIES });
  /** The last key computed for a request object (report queries are remembered objects, see reportOperations). */
  private readonly keyByRequest = new WeakMap<QueryRequest, { key: string; dataVersions: Record<string, string> }>();

  constructor(
    private readonly ports: QueryServicePorts,
    private readonly options: QueryServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The data versions of the tables and the cache key of the request under them. */
  async keyOf(request: QueryRequest): Promise<{ key: string; dataVersions: Record<string, string> }> {
    const dataVersions: Record<string, string> = {};
    for (const table of [...new Set(request.tables)].sort()) {
      dataVersions[table] = await this.ports.versions.versionOf(table);
    }
    // The same request object (a remembered report query) under the same data versions: the same key.
    const last = this.keyByRequest.get(request);
    if (last && sameVersions(last.dataVersions, dataVersions)) return last;
    const key = cacheKey({
      workGroup: this.options.workGroup,
      sql: request.query.sql,
      parameters: request.query.parameters,
      scopeFingerprint: request.scopeFingerprint,
      dataVersions,
    });
    const keyed = { key, dataVersions: Object.freeze(dataVersions) };
    this.keyByRequest.set(request, keyed);
    return keyed;
  }

  /** Answers the request, waiting at most `queryWaitMs` (or `waitMs`) for a running execution. */
  async answer(request: QueryRequest, waitMs = this.options.queryWaitMs): Promise<QueryOutcome> {
    const { key, dataVersions } = await this.keyOf(request);
    const remembered = this.remembered(key);
    if (remembered) return this.finish(remembered, 'hit');
    const running = this.inflight.get(key);
    if (running) {
      const outcome = await running;
      if (outcome.state === 'SUCCEEDED' && outcome.cache !== 'hit') this.ports.metrics.add('CacheJoin', 1);
      return { ...outcome, cache: outcome.cache === 'hit' ? 'hit' : 'join' } as QueryOutcome;
    }
    const settling = this.settle(key, request, dataVersions, this.now() + waitMs);
    this.inflight.set(key, settling);
    try {
      return await settling;
    } finally {
      this.inflight.delete(key);
    }
  }

  /**
   * The stored entry of a key (a handle's poll), moved on one step: a finished execution is recorded, an
   * abandoned one (lease expired) is taken over and started again. Undefined when absent or expired.
   */
  async lookup(key: string): Promise<CacheEntry | undefined> {
    const entry = this.live(await this.ports.cache.get(key));
    if (entry?.status !== 'RUNNING') return entry;
    if (entry.leaseExpiresAtMs <= this.now()) {
      try {
        return (await this.settle(key, entry, entry.dataVersions, this.now(), 'join')).entry;
      } catch {
        return this.live(await this.ports.cache.get(key));
      }
    }
    return entry.executionId ? this.poll(entry) : entry;
  }

  /** Runs a stored entry's query again under the same key (its result object was gone). */
  async rerun(entry: CacheEntry): Promise<QueryOutcome> {
    return this.settle(entry.key, entry, entry.dataVersions, this.now() + this.options.queryWaitMs);
  }

  /**
   * Drops an entry whose result object is gone (expired by the bucket's lifecycle) so the next answer
   * recomputes it; conditional, so a fresh entry written meanwhile survives.
   */
  async evict(entry: CacheEntry): Promise<void> {
    this.memo.delete(entry.key);
    await this.ports.cache.delete(entry.key, entry.version);
  }

  /*
   * One loop for every caller (first request, joiners, handle polls):
   *   read the entry ─┬─ absent/expired ── claim (conditional put) ── start ── attach execution ─┐
   *                   ├─ SUCCEEDED ──────── answer (hit, or miss/join for whoever waited)           │
   *                   ├─ FAILED ─────────── the back-off: answer the failure, run nothing           │
   *                   └─ RUNNING ─┬─ lease expired ── take over (conditional put) ── start ─────────┤
   *                               └─ poll the execution; finished ── write outcome (conditional) ◀──┘
   * Until the deadline; then the entry as it is (RUNNING: the caller answers 202 with a handle).
   */
  private async settle(
    key: string,
    request: Pick<QueryRequest, 'query' | 'scopeFingerprint' | 'rowLimit'>,
    dataVersions: Readonly<Record<string, string>>,
    deadlineMs: number,
    initial?: CacheOutcome,
  ): Promise<QueryOutcome> {
    let outcome: CacheOutcome | undefined = initial;
    let intervalMs = this.options.pollIntervalMs;
    for (;;) {
      const stored = await this.ports.cache.get(key);
      const entry = this.live(stored);
      if (!entry || (entry.status === 'RUNNING' && entry.leaseExpiresAtMs <= this.now())) {
        const claim = this.claim(key, request, dataVersions);
        if (await this.ports.cache.put(claim, stored?.version)) {
          outcome = 'miss';
          const running = await this.start(claim);
          if (running.status !== 'RUNNING') return this.finish(running, outcome);
          if (this.now() >= deadlineMs) return { state: 'RUNNING', entry: running, cache: outcome };
        }
        continue;
      }
      if (entry.status === 'SUCCEEDED') return this.finish(entry, outcome ?? 'hit');
      if (entry.status === 'FAILED') throw failure(entry, this.now());
      outcome ??= 'join';
      if (entry.executionId) {
        const moved = await this.poll(entry);
        if (moved.status !== 'RUNNING') return this.finish(moved, outcome);
      }
      if (this.now() >= deadlineMs) return { state: 'RUNNING', entry, cache: outcome };
      await this.sleep(Math.min(intervalMs, Math.max(1, deadlineMs - this.now())));
      intervalMs = Math.min(intervalMs * 2, MAX_POLL_MS);
    }
  }

  private finish(entry: SucceededEntry | FailedEntry | RunningEntry, cache: CacheOutcome): QueryOutcome {
    if (entry.status === 'FAILED') throw failure(entry, this.now());
    if (entry.status === 'RUNNING') return { state: 'RUNNING', entry, cache };
    this.remember(entry);
    const metric = cache === 'hit' ? 'CacheHit' : cache === 'miss' ? 'CacheMiss' : 'CacheJoin';
    this.ports.metrics.add(metric, 1);
    if (cache === 'miss') this.ports.metrics.add('BytesScanned', entry.bytesScanned);
    return { state: 'SUCCEEDED', entry, cache };
  }

  private claim(
    key: string,
    request: Pick<QueryRequest, 'query' | 'scopeFingerprint' | 'rowLimit'>,
    dataVersions: Readonly<Record<string, string>>,
  ): RunningEntry {
    const now = this.now();
    return {
      key,
      version: newVersion(),
      status: 'RUNNING',
      scopeFingerprint: request.scopeFingerprint,
      dataVersions,
      query: request.query,
      rowLimit: request.rowLimit,
      createdAtMs: now,
      executionId: undefined,
      leaseExpiresAtMs: now + this.options.leaseSeconds * 1000,
      expiresAt: Math.ceil(now / 1000) + this.options.runningLeaseSeconds + this.options.resultTtlSeconds,
    };
  }

  /** Starts the claimed query and attaches the execution; a refused query leaves the back-off entry. */
  private async start(claim: RunningEntry): Promise<RunningEntry | FailedEntry> {
    let executionId: string;
    try {
      executionId = await this.ports.engine.start(claim.query);
    } catch (err) {
      if (err instanceof QueryFailedError) {
        const failed = this.failed(claim, undefined, { category: 'USER', message: err.message, scanLimit: false });
        await this.record(claim, failed);
        return failed;
      }
      await this.ports.cache.delete(claim.key, claim.version);
      throw err;
    }
    const running: RunningEntry = {
      ...claim,
      version: newVersion(),
      executionId,
      leaseExpiresAtMs: this.now() + this.options.runningLeaseSeconds * 1000,
    };
    // Losing this write means another request took the entry over; it runs its own execution, we join it.
    return (await this.ports.cache.put(running, claim.version)) ? running : claim;
  }

  /** Checks a running execution once and, when it has ended, records the outcome. */
  private async poll(entry: RunningEntry): Promise<CacheEntry> {
    const status = await this.ports.engine.status(entry.executionId!);
    if (status.state === 'QUEUED' || status.state === 'RUNNING') return entry;
    let next: SucceededEntry | FailedEntry;
    if (status.state === 'SUCCEEDED' && status.outputLocation) {
      const columns = await this.ports.engine.columns(entry.executionId!);
      const summary = await summariseResult(this.ports.store, status.outputLocation);
      next = {
        ...base(entry),
        version: newVersion(),
        status: 'SUCCEEDED',
        executionId: entry.executionId!,
        outputLocation: status.outputLocation,
        columns,
        rowCount: summary.rowCount,
        dataStartByte: summary.dataStartByte,
        objectBytes: summary.objectBytes,
        bytesScanned: status.bytesScanned,
        engineTimeMs: status.engineTimeMs,
        expiresAt: Math.ceil(this.now() / 1000) + this.options.resultTtlSeconds,
      };
    } else {
      next = this.failed(
        entry,
        entry.executionId,
        status.error ?? { category: 'OTHER', message: `The query ended ${status.state}.`, scanLimit: false },
      );
    }
    return this.record(entry, next);
  }

  /** Writes an outcome conditionally; if another request wrote first, theirs is the outcome. */
  private async record(seen: CacheEntry, next: SucceededEntry | FailedEntry): Promise<CacheEntry> {
    if (next.status === 'FAILED' && this.options.failureBackoffSeconds === 0) {
      await this.ports.cache.delete(seen.key, seen.version);
      return next;
    }
    if (await this.ports.cache.put(next, seen.version)) return next;
    return this.live(await this.ports.cache.get(seen.key)) ?? next;
  }

  private failed(entry: CacheEntry, executionId: string | undefined, error: FailedEntry['error']): FailedEntry {
    return {
      ...base(entry),
      version: newVersion(),
      status: 'FAILED',
      executionId,
      error,
      expiresAt: Math.ceil(this.now() / 1000) + this.options.failureBackoffSeconds,
    };
  }

  private remembered(key: string): SucceededEntry | undefined {
    const entry = this.memo.get(key);
    if (!entry) return undefined;
    if (!this.live(entry)) {
      this.memo.delete(key);
      return undefined;
    }
    return entry;
  }

  private remember(entry: SucceededEntry): void {
    this.memo.set(entry.key, entry);
  }

  /** The entry unless its TTL has passed (DynamoDB deletes expired items late; they count as absent now). */
  private live(entry: CacheEntry | undefined): CacheEntry | undefined {
    return entry && entry.expiresAt * 1000 > this.now() ? entry : undefined;
  }
}

function sameVersions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const tables = Object.keys(a);
  return tables.length === Object.keys(b).length && tables.every((t) => a[t] === b[t]);
}

function base(entry: CacheEntry) {
  return {
    key: entry.key,
    scopeFingerprint: entry.scopeFingerprint,
    dataVersions: entry.dataVersions,
    query: entry.query,
    rowLimit: entry.rowLimit,
    createdAtMs: entry.createdAtMs,
  };
}

function newVersion(): string {
  return crypto.randomUUID();
}

/** The typed error a failed entry answers with while its back-off lasts. */
export function failure(entry: FailedEntry, nowMs: number): Error {
  const retryAfterSeconds = Math.max(1, Math.ceil(entry.expiresAt - nowMs / 1000));
  if (entry.error.scanLimit) {
    return new ScanLimitExceededError(
      `The query would scan more than the workgroup's bytes-scanned cutoff: narrow it (dates, school, exam). ${entry.error.message}`,
      retryAfterSeconds,
    );
  }
  return new QueryFailedError(explainQueryFailure(entry.error.message), retryAfterSeconds);
}
