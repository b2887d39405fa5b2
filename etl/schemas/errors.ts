import type { RejectReasonCode } from './rejectReasons';

/** An export the schemas cannot accept as a whole; `code` is the reject reason the object is refused with. */
export class SchemaError extends Error {
  constructor(
    readonly code: RejectReasonCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A dataset name, object key or header that matches no declared dataset. */
export class UnknownDatasetError extends SchemaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNKNOWN_DATASET', message, options);
  }
}

/** A duplicate header: two fields mapping to one column. */
export interface DuplicateHeader {
  readonly column: string;
  readonly fields: readonly string[];
}

/**
 * A header that does not fit a dataset: the lists say exactly which fields are unknown, which required columns
 * are missing, and which columns are named twice. `code` is the first that applies of MISSING_COLUMNS,
 * DUPLICATE_COLUMNS, UNKNOWN_COLUMNS.
 */
export class HeaderMismatchError extends SchemaError {
  constructor(
    readonly dataset: string,
    readonly unknown: readonly string[],
    readonly missing: readonly string[],
    readonly duplicate: readonly DuplicateHeader[],
  ) {
    const problems = [
      missing.length > 0 && `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      duplicate.length > 0 &&
        `columns named twice: ${duplicate.map((d) => `${d.column} (${d.fields.map((f) => `'${f}'`).join(' and ')})`).join(', ')}`,
      unknown.length > 0 && `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `'${f}'`).join(', ')}`,
    ].filter(Boolean);
    super(
      missing.length > 0 ? 'MISSING_COLUMNS' : duplicate.length > 0 ? 'DUPLICATE_COLUMNS' : 'UNKNOWN_COLUMNS',
      `The header does not fit dataset ${dataset}: ${problems.join('; ')}. ` +
        'Accepted column names and aliases are listed in docs/data-dictionary.md.',
    );
  }
}
