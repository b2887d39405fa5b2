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
  // The Trino translation's own errors carry Athena's error name (`DIVISION_BY_ZERO: Division by zero`).
  const message = engineMessage(err).replace(/^Invalid Input Error: (?=[A-Z][A-Z_]+: )/, '');
  if (/^Out of Memory Error/.test(message)) {
    return {
      ErrorCategory: ERROR_CATEGORY.SYSTEM,
      ErrorType: 0,
      Retryable: true,
      ErrorMessage: `Query exhausted resources at this scale factor (duckdbMemoryLimit): ${message}`,
    };
  }
  if (
    /^(Conversion|Invalid Input|Out of Range) Error|^(DIVISION_BY_ZERO|INVALID_FUNCTION_ARGUMENT|NUMERIC_VALUE_OUT_OF_RANGE): /.test(
      message,
    )
  ) {
    return { ErrorCategory: ERROR_CATEGORY.USER, ErrorType: 1001, Retryable: false, ErrorMessage: message };
  }
  return {
    ErrorCategory: ERROR_CATEGORY.USER,
    ErrorType: 1000,
    Retryable: false,
    ErrorMessage: athenaMessage(message),
  };
}

/**
 * DuckDB's binder and catalog errors in Athena's (Trino's) words, with Athena's error name first, so callers
 * (and the API's translation of engine errors) see what Athena would say, not the local engine's internals.
 */
const ATHENA_MESSAGES: readonly (readonly [RegExp, (m: RegExpExecArray) => string])[] = [
  [
    /^Binder Error: Referenced column "([^"]+)" not found/,
    (m) =>
      `COLUMN_NOT_FOUND: Column '${m[1]}' cannot be resolved or requester is not authorized to access requested resources`,
  ],
  [
    /^Binder Error: Table "([^"]+)" does not have a column named "([^"]+)"/,
    (m) =>
      `COLUMN_NOT_FOUND: Column '${m[1]}.${m[2]}' cannot be resolved or requester is not authorized to access requested resources`,
  ],
  [
    /^Binder Error: Referenced table "([^"]+)" not found/,
    (m) => `COLUMN_NOT_FOUND: Column prefix '${m[1]}' cannot be resolved`,
  ],
  [
    /^Catalog Error: (?:Scalar|Aggregate|Table|Macro) Function with name "?([\w.]+)"? does not exist/,
    (m) => `FUNCTION_NOT_FOUND: Function '${m[1]}' not registered`,
  ],
  [
    /^Binder Error: No function matches the given name and argument types '(\w+)\((.*)\)'/,
    (m) => `FUNCTION_NOT_FOUND: Unexpected parameters (${m[2]!.toLowerCase()}) for function ${m[1]}`,
  ],
  [
    /^Binder Error: Could not choose a best candidate function for the function call "([^"(]+)\(/,
    (m) => `TYPE_MISMATCH: Cannot apply ${m[1]} to the given argument types; add explicit casts`,
  ],
  [
    /^Binder Error: column "?([^"\s]+)"? must appear in the GROUP BY clause/,
    (m) => `EXPRESSION_NOT_AGGREGATE: '${m[1]}' must be an aggregate expression or appear in GROUP BY clause`,
  ],
  [
    /^Binder Error: Ambiguous reference to column name "([^"]+)"/,
    (m) => `AMBIGUOUS_NAME: Column '${m[1]}' is ambiguous`,
  ],
  [/^Parser Error: (.*)/, (m) => `SYNTAX_ERROR: ${m[1]}`],
];

/** An engine message as Athena would word it (the first line of DuckDB's otherwise). */
export function athenaMessage(message: string): string {
  for (const [pattern, word] of ATHENA_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return word(m);
  }
  return message.split('\n')[0]!.trim();
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
