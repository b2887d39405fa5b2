import type { DatasetName } from '../schemas/datasets';
import { type RejectReasonCode, SUPERSEDED } from '../schemas/rejectReasons';

/** What the transform must do with an injected bad row. */
export type ExpectedOutcome = RejectReasonCode | typeof SUPERSEDED.code;

export interface BadRowKind {
  readonly datasets: readonly DatasetName[];
  readonly expected: ExpectedOutcome;
  readonly description: string;
}

const BOTH: readonly DatasetName[] = ['exam_results', 'item_responses'];

/**
 * Every malformation `--bad-rows` injects, with the reason the transform must give. Each injected row has
 * exactly one defect, so under the reason order of `REJECT_REASONS` its expected reason is unambiguous.
 */
export const BAD_ROW_KINDS = {
  wrong_field_count: { datasets: BOTH, expected: 'WRONG_FIELD_COUNT', description: 'A field dropped or one added.' },
  unterminated_quote: {
    datasets: BOTH,
    expected: 'MALFORMED_ROW',
    description: 'A quoted field never closed; always the last record of its file (a truncated export).',
  },
  invalid_utf8: {
    datasets: BOTH,
    expected: 'INVALID_ENCODING',
    description: 'A text field in Latin-1 (byte 0xFC for ü), not UTF-8.',
  },
  missing_required: { datasets: BOTH, expected: 'MISSING_REQUIRED', description: 'A required field left empty.' },
  invalid_integer: {
    datasets: BOTH,
    expected: 'INVALID_INTEGER',
    description: 'An integer written as words, a fraction or with a thousands separator.',
  },
  invalid_decimal: {
    datasets: BOTH,
    expected: 'INVALID_DECIMAL',
    description: 'A score or points with a decimal comma, a unit or `n/a`.',
  },
  invalid_boolean: { datasets: BOTH, expected: 'INVALID_BOOLEAN', description: 'A flag such as `maybe` or `Y`.' },
  invalid_timestamp: {
    datasets: BOTH,
    expected: 'INVALID_TIMESTAMP',
    description: 'A timestamp in `DD/MM/YYYY hh:mm` form, or on a day that does not exist.',
  },
  timestamp_without_offset: {
    datasets: BOTH,
    expected: 'INVALID_TIMESTAMP',
    description: 'A local time without its UTC offset (ambiguous).',
  },
  out_of_range: {
    datasets: BOTH,
    expected: 'OUT_OF_RANGE',
    description: 'A grade of 13, an attempt 0, a negative score or time, a question number 0.',
  },
  bad_enum: {
    datasets: ['exam_results'],
    expected: 'INVALID_ENUM',
    description: 'A subject the schema does not list.',
  },
  pattern_mismatch: {
    datasets: BOTH,
    expected: 'PATTERN_MISMATCH',
    description: 'A student id with a space in it.',
  },
  too_long: { datasets: BOTH, expected: 'TOO_LONG', description: 'A name or skill longer than its maximum length.' },
  score_above_max: {
    datasets: ['exam_results'],
    expected: 'CONSTRAINT_VIOLATION',
    description: 'A score above max_score (rule score_within_max).',
  },
  submitted_before_started: {
    datasets: ['exam_results'],
    expected: 'CONSTRAINT_VIOLATION',
    description: 'started_at and submitted_at swapped (rule submitted_after_started).',
  },
  points_above_max: {
    datasets: ['item_responses'],
    expected: 'CONSTRAINT_VIOLATION',
    description: 'Points above max_points (rule points_within_max).',
  },
  exact_duplicate: {
    datasets: BOTH,
    expected: 'DUPLICATE_IN_FILE',
    description: 'A row repeated byte for byte in the same file (the repeat is listed).',
  },
  corrected_reexport: {
    datasets: BOTH,
    expected: SUPERSEDED.code,
    description:
      'A row re-exported in the later corrections file with a fix (a student name put right, a question time ' +
      'the timer lost); the original is listed, and is superseded by the correction.',
  },
} as const satisfies Record<string, BadRowKind>;

export type BadRowKindName = keyof typeof BAD_ROW_KINDS;

/** The kinds that apply to a dataset, in declaration order (injection cycles through them). */
export function badRowKindsFor(dataset: DatasetName): BadRowKindName[] {
  return (Object.keys(BAD_ROW_KINDS) as BadRowKindName[]).filter((k) =>
    (BAD_ROW_KINDS[k].datasets as readonly string[]).includes(dataset),
  );
}

/** One line of `bad-rows.jsonl`. */
export interface BadRowEntry {
  /** Path of the file, relative to the output directory (`exam_results/exam_results-2025-10.csv`). */
  readonly file: string;
  /** Physical line (1-based, the header is line 1) where the record starts. */
  readonly line: number;
  /** Data record number in the file (1-based, the header not counted). */
  readonly record: number;
  readonly dataset: DatasetName;
  readonly kind: BadRowKindName;
  readonly expected: ExpectedOutcome;
  /** The column at fault, when the defect is in one field. */
  readonly column?: string;
  /** The rule that fails, for CONSTRAINT_VIOLATION. */
  readonly rule?: string;
  /** For a superseded row: where the correction is. */
  readonly correctedBy?: { readonly file: string; readonly line: number };
}
