/**
 * A partner organisation's grant: what its users may see. Stored in the `grants` DynamoDB table, managed by
 * data stewards through `/v1/partners/{partnerId}/grant`, turned into a {@link Scope} by `scopeFor`.
 */
export interface RowFilters {
  readonly schoolIds?: readonly string[];
  readonly districtIds?: readonly string[];
  readonly regions?: readonly string[];
  readonly subjects?: readonly string[];
}

/**
 * What a grant lets the partner have: aggregates (the default: the reports, suppressed below the minimum cell
 * size) or, in addition, pseudonymised rows of the granted datasets and columns through extracts.
 */
export const GRANT_LEVELS = { aggregates: 'aggregates', rows: 'rows' } as const;
export type GrantLevel = keyof typeof GRANT_LEVELS;

/** The terms of row-level access (`level: rows` only). */
export interface RowLevelTerms {
  /** When row access ends (ISO 8601 with offset): no new extract and no new download URL after it. */
  readonly expiresAt: string;
  /** Most rows one extract may hold; an extract whose filters select more is refused (422), never cut. */
  readonly maxRowsPerExtract: number;
}

/** What a steward sends (`GrantInput` in openapi.yaml). */
export interface GrantInput {
  /** Datasets the partner may read. */
  readonly datasets: readonly string[];
  /** Columns the partner may read, in any granted dataset; never `student_id` or `student_name`. */
  readonly columns: readonly string[];
  /** Rows the partner may read: every listed filter must match (a row matches a filter if its value is listed). */
  readonly rowFilters?: RowFilters;
  /** Aggregates over fewer rows than this are suppressed in partner answers. */
  readonly minimumCellSize: number;
  /** @default 'aggregates' */
  readonly level?: GrantLevel;
  /** Required with `level: rows`, refused otherwise. */
  readonly rowAccess?: RowLevelTerms;
}

/** A stored grant (`Grant` in openapi.yaml). */
export interface Grant extends GrantInput {
  readonly partnerId: string;
  /** Incremented by every change; the `ETag`/`If-Match` of optimistic concurrency. */
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

/** Grant row filters and the curated column each filters on. */
export const ROW_FILTER_COLUMNS = {
  schoolIds: 'school_id',
  districtIds: 'district_id',
  regions: 'region',
  subjects: 'subject',
} as const;
export type RowFilterName = keyof typeof ROW_FILTER_COLUMNS;
export type RowFilterColumn = (typeof ROW_FILTER_COLUMNS)[RowFilterName];

/** Columns no grant may ever include: partners see `student_key` instead. */
export const FORBIDDEN_GRANT_COLUMNS = ['student_id', 'student_name'] as const;
