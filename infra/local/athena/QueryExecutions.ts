import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { JsonStateFile } from '../glue/JsonStateFile';
import { ERROR_CATEGORY, invalidRequest, queryFailure } from './athenaErrors';
import { athenaColumnInfo } from './athenaTypes';
import { parseExecutionParameter } from './executionParameter';
import type { LocalEngineQuery } from './LocalQueryEngine';
import { resultCsv } from './resultCsv';
import { resultText, textResultRows } from './resultText';
import type { StatementResult } from './StatementResult';
import { isFinal, type StoredQueryExecution } from './StoredQueryExecution';
import { parseS3Location } from './tableSource';
import { hasTextResult } from './tableStatements';

/** The engine as the executions use it (LocalQueryEngine). */
export interface StatementExecutor {
  run(query: LocalEngineQuery, signal: AbortSignal): Promise<StatementResult>;
}

/** Writes result objects into the local S3 store (its PutObject path), so S3 notifications fire as they do for Athena's writes. */
export interface ResultWriter {
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export interface StartRequest {
  readonly query: string;
  readonly workGroup: string;
  readonly database: string | undefined;
  readonly catalog: string;
  readonly executionParameters: readonly string[] | undefined;
  /** The output location chosen (enforced workgroup location or the request's), ending in `/`. */
  readonly outputPrefix: string;
  readonly clientRequestToken: string | undefined;
  /** The workgroup's BytesScannedCutoffPerQuery, if any. */
  readonly bytesScannedCutoff: number | undefined;
}

export interface ExecutionDeps {
  readonly runner: StatementExecutor;
  readonly writer: ResultWriter;
  /** Queries RUNNING at once. */
  readonly concurrency: number;
  /** Longest a query may be RUNNING before it is CANCELLED ({@link timeoutReason}). @default unlimited */
  readonly queryTimeoutMs?: number;
  readonly log: (message: string) => void;
  /** Receives a succeeded query's rows (header first) as written, so the first GetQueryResults needs no read. */
  readonly onResult?: (id: string, rows: readonly (readonly (string | null)[])[]) => void;
}

/** StateChangeReason of a query the workgroup's per-query cutoff cancelled (Athena's wording). */
export const CUTOFF_REASON = 'Query cancelled! Bytes scanned limit was exceeded';
/** StateChangeReason of a query that ran longer than the stack's limit. */
export function timeoutReason(limitMs: number): string {
  return `Query cancelled! Query exceeded the local Athena's run-time limit of ${limitMs} ms (athenaQueryTimeoutMs, EXAMLAKE_ATHENA_QUERY_TIMEOUT_MS)`;
}
/** StateChangeReason of a query cancelled by StopQueryExecution. */
export const STOPPED_REASON = 'Query cancelled by user';
/** StateChangeReason of a query the stack was running when it stopped. */
export const STACK_STOPPED_REASON =
  'The local stack stopped while this query was queued or running. Start it again and rerun the query.';

/**
 * Longest a state change waits before the history is written (changes in between share the write).
 * @default 200
 */
export const HISTORY_SAVE_DELAY_MS = 200;

/** Query executions kept in history (oldest dropped first). @default 1000 */
export const MAX_HISTORY = 1000;

/**
 * Query executions: the queue (at most `concurrency` RUNNING, the rest QUEUED in submission order), the runs,
 * result writing, and the history persisted in `<stateDir>/queries.json`. History writes are batched off the
 * query path (at most one per HISTORY_SAVE_DELAY_MS, atomic and fsynced) and flushed on close; a crash may lose
 * the changes of the last 200 ms: queries then running or queued end FAILED on the next start, and a query that
 * had just SUCCEEDED may be missing from the history although its result object is in S3.
 */
export class QueryExecutions {
  private readonly cutoffs = new Map<string, number | undefined>();
  private readonly queue: string[] = [];
  private readonly aborts = new Map<string, AbortController>();
  private readonly runs = new Set<Promise<void>>();
  /** Callers of `settled` waiting for a RUNNING execution to end. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private running = 0;
  private saving: Promise<void> | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly file: JsonStateFile<StoredQueryExecution[]>,
    private readonly records: Map<string, StoredQueryExecution>,
    private readonly deps: ExecutionDeps,
  ) {}

  static async open(stateDir: string, deps: ExecutionDeps): Promise<QueryExecutions> {
    const file = new JsonStateFile<StoredQueryExecution[]>(path.join(stateDir, 'queries.json'));
    const stored = await file.load([]);
    const records = new Map(stored.map((r) => [r.id, r]));
    const executions = new QueryExecutions(file, records, deps);
    let interrupted = false;
    for (const record of records.values()) {
      if (!isFinal(record.state)) {
        interrupted = true;
        executions.finish(record, 'FAILED', STACK_STOPPED_REASON, {
          ErrorCategory: ERROR_CATEGORY.SYSTEM,
          ErrorType: 100,
          Retryable: true,
          ErrorMessage: STACK_STOPPED_REASON,
        });
      }
    }
    if (interrupted) await executions.flush();
    return executions;
  }

  start(request: StartRequest): StoredQueryExecution {
    if (request.clientRequestToken) {
      const same = [...this.records.values()].find((r) => r.clientRequestToken === request.clientRequestToken);
      if (same) return same;
    }
    const id = randomUUID();
    const record: StoredQueryExecution = {
      id,
      query: request.query,
      workGroup: request.workGroup,
      database: request.database,
      catalog: request.catalog,
      executionParameters: request.executionParameters,
      outputLocation: `${request.outputPrefix}${id}.${hasTextResult(request.query) ? 'txt' : 'csv'}`,
      clientRequestToken: request.clientRequestToken,
      state: 'QUEUED',
      submittedAt: Date.now(),
      dataScannedBytes: 0,
    };
    this.records.set(id, record);
    this.cutoffs.set(id, request.bytesScannedCutoff);
    this.trimHistory();
    this.queue.push(id);
    this.changed();
    this.pump();
    return record;
  }

  get(id: string): StoredQueryExecution {
    const record = this.records.get(id);
    if (!record) throw invalidRequest(`QueryExecution ${id} was not found`);
    return record;
  }

  find(id: string): StoredQueryExecution | undefined {
    return this.records.get(id);
  }

  /**
   * Resolves when the execution is no longer RUNNING (its final state is then set and its results written), or
   * after `maxMs`, whichever comes first; at once when it is not RUNNING.
   */
  settled(id: string, maxMs: number): Promise<void> {
    if (this.records.get(id)?.state !== 'RUNNING' || maxMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiting.get(id) ?? new Set<() => void>();
      this.waiting.set(id, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      waiters.add(done);
    });
  }

  /** Newest first. */
  list(workGroup: string): StoredQueryExecution[] {
    return [...this.records.values()].filter((r) => r.workGroup === workGroup).reverse();
  }

  stop(id: string): void {
    const record = this.get(id);
    if (record.state === 'QUEUED') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(record, 'CANCELLED', STOPPED_REASON);
    } else if (record.state === 'RUNNING') {
      this.aborts.get(id)?.abort();
    }
  }

  /** Stops taking work, interrupts running queries and writes the history. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const abort of this.aborts.values()) abort.abort();
    await Promise.allSettled(this.runs);
    await this.flush();
  }

  private pump(): void {
    while (!this.closed && this.running < this.deps.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      const record = this.records.get(id);
      if (record?.state !== 'QUEUED') continue; // stopped while queued
      this.running += 1;
      const run = this.execute(record).finally(() => {
        this.running -= 1;
        this.runs.delete(run);
        this.pump();
      });
      this.runs.add(run);
    }
  }

  private async execute(record: StoredQueryExecution): Promise<void> {
    record.state = 'RUNNING';
    record.startedAt = Date.now();
    this.changed();
    let outcome: StatementResult;
    const abort = new AbortController();
    this.aborts.set(record.id, abort);
    const limitMs = this.deps.queryTimeoutMs;
    let timedOut = false;
    // The wall clock: a query still running at the limit is interrupted and CANCELLED, freeing its slot.
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            abort.abort();
          }, limitMs);
    try {
      const parameters = (record.executionParameters ?? []).map(parseExecutionParameter);
      outcome = await this.deps.runner.run(
        {
          sql: record.query,
          database: record.database,
          parameters,
          bytesScannedCutoff: this.cutoffs.get(record.id),
          outputLocation: record.outputLocation,
        },
        abort.signal,
      );
    } catch (err) {
      if (timedOut && !this.closed) {
        const reason = timeoutReason(limitMs!);
        this.finish(record, 'CANCELLED', reason, {
          ErrorCategory: ERROR_CATEGORY.USER,
          ErrorType: 1000,
          Retryable: false,
          ErrorMessage: reason,
        });
      } else if (abort.signal.aborted) {
        this.finish(record, 'CANCELLED', this.closed ? STACK_STOPPED_REASON : STOPPED_REASON);
      } else {
        const failure = queryFailure(err);
        this.finish(record, 'FAILED', failure.ErrorMessage, failure);
      }
      return;
    } finally {
      clearTimeout(timer);
      this.aborts.delete(record.id);
      record.engineDoneAt = Date.now();
    }
    record.dataScannedBytes = outcome.dataScannedBytes;
    const cutoff = this.cutoffs.get(record.id);
    if (cutoff !== undefined && outcome.dataScannedBytes > cutoff) {
      this.finish(record, 'CANCELLED', CUTOFF_REASON, {
        ErrorCategory: ERROR_CATEGORY.USER,
        ErrorType: 1000,
        Retryable: false,
        ErrorMessage: CUTOFF_REASON,
      });
      return;
    }
    const columns = outcome.columns.map((c) => athenaColumnInfo(c.name, c.duckdbType));
    try {
      const target = parseS3Location(record.outputLocation);
      if (!target) throw new Error(`Invalid output location ${record.outputLocation}`);
      const text = record.outputLocation.endsWith('.txt');
      const body = text
        ? resultText(outcome.rows)
        : resultCsv(
            columns.map((c) => c.Name ?? ''),
            outcome.rows,
          );
      await Promise.all([
        this.deps.writer.put(target.bucket, target.key, body, text ? 'text/plain' : 'text/csv'),
        this.deps.writer.put(
          target.bucket,
          `${target.key}.metadata`,
          JSON.stringify({ ColumnInfo: columns, RowCount: outcome.rows.length }),
          'application/json',
        ),
      ]);
    } catch (err) {
      const message = `Unable to write the query results to ${record.outputLocation}: ${(err as Error)?.message ?? String(err)}`;
      this.finish(record, 'FAILED', message, {
        ErrorCategory: ERROR_CATEGORY.SYSTEM,
        ErrorType: 401,
        Retryable: true,
        ErrorMessage: message,
      });
      return;
    }
    record.columns = columns;
    record.rowCount = outcome.rows.length;
    if (outcome.updateCount !== undefined) record.updateCount = outcome.updateCount;
    this.deps.onResult?.(
      record.id,
      record.outputLocation.endsWith('.txt')
        ? textResultRows(outcome.rows)
        : [columns.map((c) => c.Name ?? ''), ...outcome.rows],
    );
    this.finish(record, 'SUCCEEDED');
  }

  private finish(
    record: StoredQueryExecution,
    state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED',
    reason?: string,
    error?: StoredQueryExecution['error'],
  ): void {
    record.state = state;
    if (reason !== undefined) record.stateChangeReason = reason;
    if (error) record.error = error;
    record.completedAt = Date.now();
    this.cutoffs.delete(record.id);
    this.changed();
    for (const done of [...(this.waiting.get(record.id) ?? [])]) done();
  }

  private trimHistory(): void {
    for (const [id, record] of this.records) {
      if (this.records.size <= MAX_HISTORY) break;
      if (isFinal(record.state)) this.records.delete(id);
    }
  }

  /**
   * Marks the history changed. The write happens off the query path, at most once per HISTORY_SAVE_DELAY_MS
   * (a query's QUEUED → RUNNING → SUCCEEDED costs one write, not three fsyncs competing with DuckDB and the S3
   * writes for the thread pool).
   */
  private changed(): void {
    this.dirty = true;
    if (this.saving || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saveLoop().finally(() => {
        this.saving = undefined;
        if (this.dirty && !this.closed) this.changed();
      });
    }, HISTORY_SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private async saveLoop(): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      try {
        await this.file.save([...this.records.values()]);
      } catch (err) {
        this.deps.log(`athena: could not write the query history: ${(err as Error)?.message ?? String(err)}`);
        return;
      }
    }
  }

  private async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saving;
    if (this.dirty) {
      this.dirty = false;
      await this.file.save([...this.records.values()]);
    }
  }
}
