import type { ColumnInfo, QueryExecutionState } from '@aws-sdk/client-athena';
import type { QueryFailure } from './athenaErrors';

/**
 * A query's life (GetQueryExecution's Status.State):
 *
 * ```
 * StartQueryExecution ─▶ QUEUED ─▶ RUNNING ─┬─▶ SUCCEEDED   result CSV and .metadata written to the output location
 *                          │                ├─▶ FAILED      the engine or the result write failed (AthenaError says why)
 *                          │                └─▶ CANCELLED   StopQueryExecution, or DataScannedInBytes over the
 *                          └─▶ CANCELLED (stopped while queued)       workgroup's BytesScannedCutoffPerQuery
 * ```
 * A query the stack was running (or holding in the queue) when it stopped ends FAILED when it starts again.
 */
export type QueryState = QueryExecutionState;

export function isFinal(state: QueryState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
}

/** One query execution as kept in `<stateDir>/queries.json`; times are epoch milliseconds. */
export interface StoredQueryExecution {
  readonly id: string;
  readonly query: string;
  readonly workGroup: string;
  readonly database: string | undefined;
  readonly catalog: string;
  readonly executionParameters: readonly string[] | undefined;
  /** `<OutputLocation>/<id>.csv` */
  readonly outputLocation: string;
  readonly clientRequestToken: string | undefined;
  state: QueryState;
  stateChangeReason?: string;
  error?: QueryFailure;
  readonly submittedAt: number;
  startedAt?: number;
  engineDoneAt?: number;
  completedAt?: number;
  dataScannedBytes: number;
  /** The result's columns, once it SUCCEEDED. */
  columns?: ColumnInfo[];
  rowCount?: number;
  /** Rows a CREATE TABLE AS wrote (GetQueryResults' UpdateCount). */
  updateCount?: number;
}
