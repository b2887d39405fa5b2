/** A query as the engine runs it: final SQL with `?` placeholders and their values as SQL literals. */
export interface EngineQuery {
  readonly sql: string;
  /** Athena ExecutionParameters: one SQL literal per `?`, in order (strings quoted: `'SCH-0001'`). */
  readonly parameters: readonly string[];
}

export const EXECUTION_STATES = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;
export type ExecutionState = keyof typeof EXECUTION_STATES;

/** Athena's `AthenaError.ErrorCategory`: 1 system, 2 user, 3 other. */
export type ErrorCategory = 'SYSTEM' | 'USER' | 'OTHER';

export interface ExecutionStatus {
  readonly state: ExecutionState;
  /** `s3://bucket/key.csv` of the result (set once the query finished). */
  readonly outputLocation: string | undefined;
  readonly bytesScanned: number;
  readonly engineTimeMs: number;
  readonly error:
    | { readonly category: ErrorCategory; readonly message: string; readonly scanLimit: boolean }
    | undefined;
}

export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** The query engine (Athena). SDK errors are translated by the adapter into the API's typed errors. */
export interface QueryEngine {
  /** Starts the query; throws `ThrottledError` when the engine is busy, `QueryFailedError` when it refuses the SQL. */
  start(query: EngineQuery): Promise<string>;
  status(executionId: string): Promise<ExecutionStatus>;
  /** Column names and types of a finished query (the result set metadata). */
  columns(executionId: string): Promise<ResultColumn[]>;
}
