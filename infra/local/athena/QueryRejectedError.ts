/** A query the local Athena refuses before running it: not parseable, several statements, or not a query. */
export class QueryRejectedError extends Error {
  readonly code = 'QUERY_REJECTED';
  constructor(
    message: string,
    /** Athena's ErrorType: 1000 for user errors. */
    readonly errorType = 1000,
  ) {
    super(message);
    this.name = 'QueryRejectedError';
  }
}

/** Athena's `line L:C: ` prefix for a 0-based offset (empty when unknown). */
export function lineColumn(sql: string, offset: unknown): string {
  const at = Number(offset);
  if (!Number.isInteger(at) || at < 0 || at > sql.length) return '';
  const before = sql.slice(0, at).split('\n');
  return `line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}: `;
}
