import type { ColumnTypeKind } from './columnTypes';

/** Where a reason applies: the whole object is refused, or one row goes to the rejects. */
export type RejectScope = 'file' | 'row';

export interface RejectReason {
  readonly scope: RejectScope;
  readonly description: string;
}

/**
 * Every reason a raw object or row is refused, with a stable code that rejects, run summaries and the
 * generator's `bad-rows.jsonl` carry.
 *
 * A row gets exactly one reason: the first row-scoped entry below that applies (and within it the first column
 * in schema order). So the order is part of the contract: decode, split, count fields, then per-column checks
 * from presence to type to value, then rules across columns, then duplicates among the rows that survived.
 */
export const REJECT_REASONS = {
  // ── whole object ──────────────────────────────────────────────────────────────────────────────────────────
  EMPTY_FILE: {
    scope: 'file',
    description: 'The object is empty (0 bytes, or only a byte order mark and blank lines): there is no header.',
  },
  UNKNOWN_DATASET: {
    scope: 'file',
    description:
      'The object belongs to no declared dataset: its key is not under a dataset prefix and its header matches ' +
      'no dataset.',
  },
  MISSING_COLUMNS: {
    scope: 'file',
    description: 'The header lacks required columns of the dataset (after matching aliases).',
  },
  UNKNOWN_COLUMNS: {
    scope: 'file',
    description: 'The header has columns the dataset does not declare, under any alias.',
  },
  DUPLICATE_COLUMNS: {
    scope: 'file',
    description: 'Two header fields name the same column (for example `student_id` and `Student ID`).',
  },
  // ── one row, in the order checks apply ────────────────────────────────────────────────────────────────────
  INVALID_ENCODING: {
    scope: 'row',
    description: 'The row holds bytes that are not valid UTF-8 (often a Latin-1 export).',
  },
  MALFORMED_ROW: {
    scope: 'row',
    description:
      'The row breaks CSV quoting (RFC 4180): a quote left open until the end of the object, or a quote ' +
      'inside an unquoted field.',
  },
  WRONG_FIELD_COUNT: {
    scope: 'row',
    description: 'The row has more or fewer fields than the header.',
  },
  MISSING_REQUIRED: {
    scope: 'row',
    description: 'A required (non-nullable) column is empty.',
  },
  INVALID_INTEGER: {
    scope: 'row',
    description: 'An integer column holds text that is not a whole number, or one beyond the 32/64-bit range.',
  },
  INVALID_DECIMAL: {
    scope: 'row',
    description:
      "A decimal column holds text that is not a decimal number, or one that does not fit the column's precision and scale.",
  },
  INVALID_DOUBLE: {
    scope: 'row',
    description: 'A floating-point column holds text that is not a finite number.',
  },
  INVALID_BOOLEAN: {
    scope: 'row',
    description: 'A boolean column holds something other than true/false, yes/no or 1/0.',
  },
  INVALID_TIMESTAMP: {
    scope: 'row',
    description:
      'A timestamp column holds text that is not an ISO 8601 date and time with a UTC offset, or names a day ' +
      'that does not exist.',
  },
  INVALID_DATE: {
    scope: 'row',
    description: 'A date column holds text that is not an ISO 8601 calendar date that exists.',
  },
  OUT_OF_RANGE: {
    scope: 'row',
    description: "A number lies outside the column's allowed range (for example a grade of 13 or a negative score).",
  },
  INVALID_ENUM: {
    scope: 'row',
    description: "A value is not one of the column's allowed values (letter case and surrounding spaces ignored).",
  },
  PATTERN_MISMATCH: {
    scope: 'row',
    description: "A value does not match the column's pattern (for example an identifier with spaces).",
  },
  TOO_LONG: {
    scope: 'row',
    description: "A value is longer than the column's maximum length in characters.",
  },
  CONSTRAINT_VIOLATION: {
    scope: 'row',
    description:
      'A rule between columns fails (for example `submitted_at >= started_at` or `score <= max_score`); the ' +
      'reject names the rule.',
  },
  DUPLICATE_IN_FILE: {
    scope: 'row',
    description:
      'An earlier valid row of the same object has the same natural key; the first is kept. (The same key in a ' +
      'later object is a correction and supersedes instead.)',
  },
} as const satisfies Record<string, RejectReason>;

export type RejectReasonCode = keyof typeof REJECT_REASONS;

export const REJECT_REASON_CODES = Object.freeze(Object.keys(REJECT_REASONS) as RejectReasonCode[]);

/**
 * Not a reject: the outcome of a valid row whose natural key arrives again in a later raw object (ordered by
 * the object's LastModified, then key). The later row replaces it; runs count these as `superseded`, so
 * `rows in = written + rejected + superseded`.
 */
export const SUPERSEDED = Object.freeze({
  code: 'SUPERSEDED',
  description:
    'A later raw object (by LastModified, then key) carries a valid row with the same natural key, which ' +
    'replaces this one. Counted as superseded, not rejected.',
} as const);

/** The reject reason for a field that does not parse as its column's type. */
export function invalidTypeReason(kind: Exclude<ColumnTypeKind, 'string'>): RejectReasonCode {
  switch (kind) {
    case 'integer':
    case 'bigint':
      return 'INVALID_INTEGER';
    case 'decimal':
      return 'INVALID_DECIMAL';
    case 'double':
      return 'INVALID_DOUBLE';
    case 'boolean':
      return 'INVALID_BOOLEAN';
    case 'timestamp':
      return 'INVALID_TIMESTAMP';
    case 'date':
      return 'INVALID_DATE';
  }
}
