import type { CacheEntry } from '../../../api/core/CacheEntry';
import { QueryFailedError } from '../../../api/errors';
import type { DataVersions } from '../../../api/ports/DataVersions';
import type { MetricName, MetricsSink } from '../../../api/ports/MetricsSink';
import type { EngineQuery, ExecutionStatus, QueryEngine, ResultColumn } from '../../../api/ports/QueryEngine';
import type { ResultCache } from '../../../api/ports/ResultCache';
import type { ResultChunk, ResultStore } from '../../../api/ports/ResultStore';

/**
 * IN-MEMORY FAKES FOR UNIT TESTS OF PURE LOGIC ONLY (the query service's decisions). The adapters and routes
 * are tested against the local stack.
 */

/** A cache with DynamoDB's conditional-write semantics on `version`. */
export class MemoryCache implements ResultCache {
  readonly items = new Map<string, CacheEntry>();
  writes = 0;
  reads = 0;

  async get(key: string): Promise<CacheEntry | undefined> {
    this.reads++;
    const entry = this.items.get(key);
    return entry ? structuredClone(entry) : undefined;
  }

  async put(entry: CacheEntry, expectedVersion: string | undefined): Promise<boolean> {
    await Promise.resolve();
    const current = this.items.get(entry.key);
    if (expectedVersion === undefined ? current !== undefined : current?.version !== expectedVersion) return false;
    this.items.set(entry.key, structuredClone(entry));
    this.writes++;
    return true;
  }

  async delete(key: string, expectedVersion: string): Promise<boolean> {
    if (this.items.get(key)?.version !== expectedVersion) return false;
    this.items.delete(key);
    return true;
  }
}

/** Result objects by `s3://` location. */
export class MemoryStore implements ResultStore {
  readonly objects = new Map<string, Buffer>();
  reads = 0;

  async read(location: string, start: number, length: number): Promise<ResultChunk | undefined> {
    this.reads++;
    const object = this.objects.get(location);
    if (!object) return undefined;
    return { bytes: object.subarray(start, start + length), totalBytes: object.length };
  }
}

interface FakeExecution {
  readonly query: EngineQuery;
  state: ExecutionStatus['state'];
  error?: string;
}

/** An engine whose executions finish when the test says so, writing a CSV result to the store. */
export class FakeEngine implements QueryEngine {
  readonly executions = new Map<string, FakeExecution>();
  refuse: string | undefined;
  constructor(
    private readonly store: MemoryStore,
    private readonly csv: string,
    private readonly columnsOut: ResultColumn[],
  ) {}

  async start(query: EngineQuery): Promise<string> {
    if (this.refuse) throw new QueryFailedError(this.refuse);
    const id = `exec-${this.executions.size + 1}`;
    this.executions.set(id, { query, state: 'RUNNING' });
    return id;
  }

  /** Ends every running execution (successfully unless `error`). */
  finishAll(error?: string): void {
    for (const [id, e] of this.executions) {
      if (e.state !== 'RUNNING') continue;
      e.state = error ? 'FAILED' : 'SUCCEEDED';
      e.error = error;
      if (!error) this.store.objects.set(`s3://results/${id}.csv`, Buffer.from(this.csv));
    }
  }

  async status(executionId: string): Promise<ExecutionStatus> {
    const e = this.executions.get(executionId)!;
    return {
      state: e.state,
      outputLocation: e.state === 'SUCCEEDED' ? `s3://results/${executionId}.csv` : undefined,
      bytesScanned: 1234,
      engineTimeMs: 56,
      error: e.state === 'FAILED' ? { category: 'USER', message: e.error ?? 'failed', scanLimit: false } : undefined,
    };
  }

  async columns(): Promise<ResultColumn[]> {
    return this.columnsOut;
  }
}

export class FixedVersions implements DataVersions {
  constructor(public versions: Record<string, string>) {}
  async versionOf(table: string): Promise<string> {
    return this.versions[table] ?? 'v0';
  }
}

export class CountingMetrics implements MetricsSink {
  readonly counts: Partial<Record<MetricName, number>> = {};
  add(name: MetricName, value: number): void {
    this.counts[name] = (this.counts[name] ?? 0) + value;
  }
}
