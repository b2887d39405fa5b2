/** A run whose counts do not add up: `rows in ≠ written + rejected + superseded`. The run fails before committing. */
export class ReconciliationError extends Error {
  readonly code = 'RECONCILIATION_FAILED';
  constructor(
    readonly dataset: string,
    readonly counts: { rowsIn: number; written: number; rejected: number; superseded: number },
  ) {
    super(
      `${dataset} does not reconcile: ${counts.rowsIn} rows in ≠ ${counts.written} written + ${counts.rejected} ` +
        `rejected + ${counts.superseded} superseded. Nothing was committed; the previous version stays current.`,
    );
    this.name = 'ReconciliationError';
  }
}

/** The previous version could not be replaced because another writer changed the table meanwhile. */
export class CommitConflictError extends Error {
  readonly code = 'COMMIT_CONFLICT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommitConflictError';
  }
}
