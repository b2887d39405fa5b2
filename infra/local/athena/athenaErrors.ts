import { AwsServiceError } from '../edge/AwsServiceError';

/** Athena's `InvalidRequestException`, with the `AthenaErrorCode` member Athena sets. */
export function invalidRequest(message: string, athenaErrorCode = 'INVALID_INPUT'): AwsServiceError {
  return new AwsServiceError('InvalidRequestException', message, 400, { AthenaErrorCode: athenaErrorCode });
}

/** Athena's `AthenaError.ErrorCategory`. */
export const ERROR_CATEGORY = { SYSTEM: 1, USER: 2, OTHER: 3 } as const;

/** How a query failure is reported: GetQueryExecution's `Status.AthenaError` and `StateChangeReason`. */
export interface QueryFailure {
  readonly ErrorCategory: number;
  readonly ErrorType: number;
  readonly Retryable: boolean;
  readonly ErrorMessage: string;
}

/**
 * Classifies an engine error the way Athena's error catalog does: syntax, name and permission errors are user
 * errors (type 1000), bad data is a data error (1001), memory exhaustion is "query exhausted resources" (0).
 */
export function queryFailure(err: unknown): QueryFailure {
  const message = engineMessage(err);
  if (/^Out of Memory Error/.test(message)) {
    return {
      ErrorCategory: ERROR_CATEGORY.SYSTEM,
      ErrorType: 0,
      Retryable: true,
      ErrorMessage: `Query exhausted resources at this scale factor (duckdbMemoryLimit): ${message}`,
    };
  }
  if (/^(Conversion|Invalid Input|Out of Range) Error/.test(message)) {
    return { ErrorCategory: ERROR_CATEGORY.USER, ErrorType: 1001, Retryable: false, ErrorMessage: message };
  }
  return { ErrorCategory: ERROR_CATEGORY.USER, ErrorType: 1000, Retryable: false, ErrorMessage: message };
}

/**
 * An engine error's message without what only the local engine adds: a leading `Error: `, and DuckDB's
 * `LINE 1: …` excerpt, which shows the statement the engine wraps the query in rather than the query.
 */
export function engineMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/^(Error: )+/, '')
    .replace(/\n+LINE \d+:[\s\S]*$/, '')
    .trim();
}
