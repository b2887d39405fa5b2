import type { ColumnType } from './columnTypes';

/** Checks on a single value, applied after it parses as its type. Ranges are inclusive unless `exclusive*`. */
export interface ColumnConstraints {
  /** Smallest allowed value (numbers). */
  readonly min?: number;
  /** Largest allowed value (numbers). */
  readonly max?: number;
  /** Values must be greater than this (numbers). */
  readonly exclusiveMin?: number;
  /** Values must be less than this (numbers). */
  readonly exclusiveMax?: number;
  /**
   * Allowed values (strings). Matched ignoring letter case and surrounding spaces; the curated data holds the
   * spelling listed here.
   */
  readonly enum?: readonly string[];
  /** Regular expression the whole value must match (strings); JavaScript and Python `re` compatible. */
  readonly pattern?: string;
  /** Longest allowed value in characters (strings). */
  readonly maxLength?: number;
}

/** One column of a raw export, and of the curated table. */
export interface ColumnDefinition {
  /** Canonical name: snake_case, the curated column name. */
  readonly name: string;
  readonly type: ColumnType;
  /** Whether an empty field is allowed (stored as null). Required columns reject empty fields. */
  readonly nullable: boolean;
  /** Personal data about a student: never shown to partners, pseudonymised where a key is needed. */
  readonly pii: boolean;
  readonly description: string;
  /**
   * Other header names exports use for this column. The canonical name is always accepted, and matching
   * ignores case, spaces, underscores and hyphens, so `Student ID`, `studentId` and `student-id` need no alias.
   */
  readonly aliases: readonly string[];
  readonly constraints: ColumnConstraints;
  /** A realistic value, shown in the data dictionary. */
  readonly example: string;
}

/** Comparison operators a cross-column rule may use. */
export const RULE_OPERATORS = ['<', '<=', '=', '>=', '>'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/**
 * A rule between two columns of one row, `left op right`. It holds when either side is null (a missing value
 * is reported by nullability, not by the rule), as SQL comparisons do.
 */
export interface ColumnRule {
  /** Stable name, reported with `CONSTRAINT_VIOLATION` rejects. */
  readonly name: string;
  readonly left: string;
  readonly operator: RuleOperator;
  readonly right: string;
  readonly description: string;
}

/** The columns the curated table adds to every dataset (derived per row by the transform, never in exports). */
export interface LineageColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

/** A dataset as declared in `etl/schemas`: the one definition every other part of examlake reads. */
export interface DatasetSchema {
  /** Dataset name: the raw prefix (`exam_results/`), the Glue table, the curated prefix. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** What one row is. */
  readonly grain: string;
  /** Export columns in the canonical order (the order the generator writes and the curated table keeps). */
  readonly columns: readonly ColumnDefinition[];
  /** Columns identifying a row; a later export of the same key replaces the earlier row. */
  readonly naturalKey: readonly string[];
  readonly rules: readonly ColumnRule[];
  /** Rows are sorted by these inside curated files, so Parquet statistics prune school-scoped queries. */
  readonly sortKeys: readonly string[];
  /** The timestamp column whose UTC year and month are the curated partitions. */
  readonly partitionSource: string;
  /**
   * The column the curated `student_key` pseudonym is computed from (keyed HMAC), or undefined when the
   * dataset has no student.
   */
  readonly pseudonymSource: string | undefined;
}
