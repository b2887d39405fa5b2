import type { EngineQuery, ErrorCategory, ResultColumn } from '../ports/QueryEngine';

/**
 * The life of one cache entry (DynamoDB item `q#<hash>`), after Powertools' idempotency record:
 *
 * ```
 *  (absent | TTL expired | result object gone)
 *        │ claim: conditional put (attribute_not_exists(pk) OR version = <version seen>)
 *        ▼
 *     RUNNING ──lease (leaseSeconds) expires before an execution is attached──▶ taken over by the next request
 *        │ StartQueryExecution → attach executionId, lease extended to runningLeaseSeconds
 *        │ (any waiter polls Athena and moves the entry on; whoever sees the end writes it, conditionally)
 *        ├──────────────▶ SUCCEEDED  (columns, row count, result location; TTL resultTtlSeconds)
 *        └──────────────▶ FAILED     (a back-off: error, TTL failureBackoffSeconds; never served as a result)
 * ```
 *
 * Every write is conditional on the `version` the writer last saw, so two requests can never both claim an
 * entry or overwrite each other's outcome.
 */
export const ENTRY_STATUS = { RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED' } as const;
export type EntryStatus = keyof typeof ENTRY_STATUS;

interface EntryBase {
  readonly key: string;
  /** Changes on every write: the optimistic-concurrency token of conditional writes. */
  readonly version: string;
  readonly scopeFingerprint: string;
  readonly dataVersions: Readonly<Record<string, string>>;
  /** The query as run (kept so a handle's poll can take over an abandoned execution). */
  readonly query: EngineQuery;
  /** Rows served at most; the engine query asks for one more, so a longer result is seen as truncated. */
  readonly rowLimit: number;
  readonly createdAtMs: number;
  /** TTL, epoch seconds (DynamoDB `expiresAt`); an entry past it is treated as absent. */
  readonly expiresAt: number;
}

export interface RunningEntry extends EntryBase {
  readonly status: 'RUNNING';
  readonly executionId: string | undefined;
  readonly leaseExpiresAtMs: number;
}

export interface SucceededEntry extends EntryBase {
  readonly status: 'SUCCEEDED';
  readonly executionId: string;
  readonly outputLocation: string;
  readonly columns: readonly ResultColumn[];
  /** Data rows in the object (may exceed `rowLimit` by one: that is how truncation is seen). */
  readonly rowCount: number;
  /** Byte offset of the first data row (the header's length). */
  readonly dataStartByte: number;
  readonly objectBytes: number;
  readonly bytesScanned: number;
  readonly engineTimeMs: number;
}

export interface FailedEntry extends EntryBase {
  readonly status: 'FAILED';
  readonly executionId: string | undefined;
  readonly error: { readonly category: ErrorCategory; readonly message: string; readonly scanLimit: boolean };
}

export type CacheEntry = RunningEntry | SucceededEntry | FailedEntry;
