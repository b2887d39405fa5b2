/**
 * The column types a dataset may declare, as a discriminated union: one definition that the transform (DuckDB),
 * the Glue PySpark job (through `schemaDocument()`), the Glue catalog and the data dictionary all read.
 */
export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'double' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'date' };

export type ColumnTypeKind = ColumnType['kind'];

/** Constructors for column types, so definitions read `t.decimal(7, 2)` rather than object literals. */
export const t = {
  string: (): ColumnType => ({ kind: 'string' }),
  integer: (): ColumnType => ({ kind: 'integer' }),
  bigint: (): ColumnType => ({ kind: 'bigint' }),
  decimal: (precision: number, scale: number): ColumnType => {
    if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
      throw new RangeError(`decimal precision must be an integer from 1 to 38, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new RangeError(`decimal scale must be an integer from 0 to the precision (${precision}), got ${scale}`);
    }
    return { kind: 'decimal', precision, scale };
  },
  double: (): ColumnType => ({ kind: 'double' }),
  boolean: (): ColumnType => ({ kind: 'boolean' }),
  timestamp: (): ColumnType => ({ kind: 'timestamp' }),
  date: (): ColumnType => ({ kind: 'date' }),
} as const;

/** The Glue (Hive DDL) type of a column type, as Athena reads it from the catalog. */
export function glueType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'bigint':
      return 'bigint';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp';
    case 'date':
      return 'date';
  }
}

/** How a type is written in the data dictionary and in error messages (`decimal(7,2)`, `integer`). */
export function typeLabel(type: ColumnType): string {
  return type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind;
}

/**
 * The accepted text forms of each type in a CSV field, as regular expressions both the transform and the
 * Glue job apply (after trimming surrounding spaces). JavaScript and Python `re` read them the same way: only
 * anchors, classes, groups, alternation and counted repetition are used.
 */
export const TYPE_FORMATS: Readonly<
  Record<ColumnTypeKind, { readonly pattern: string; readonly description: string }>
> = {
  string: { pattern: '^[\\s\\S]*$', description: 'Any UTF-8 text; surrounding spaces are kept.' },
  integer: {
    pattern: '^[+-]?[0-9]+$',
    description: 'Decimal digits with an optional sign; no thousands separators, no decimal point.',
  },
  bigint: {
    pattern: '^[+-]?[0-9]+$',
    description: 'Decimal digits with an optional sign; no thousands separators, no decimal point.',
  },
  decimal: {
    pattern: '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$',
    description:
      'Digits with an optional sign and `.` as the decimal point (`12`, `12.5`, `.5`); at most the declared ' +
      'scale of fractional digits and precision of total digits; no exponent, no thousands separators.',
  },
  double: {
    pattern: '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$',
    description: 'A decimal number with an optional exponent (`1.5e3`); no NaN or Infinity.',
  },
  boolean: {
    pattern: '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)$',
    description: '`true`/`false`, `yes`/`no` or `1`/`0`, in any letter case.',
  },
  timestamp: {
    pattern:
      '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?' +
      '(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$',
    description:
      'ISO 8601 date and time with a UTC offset (`2025-10-14T09:05:00+02:00`, `…Z`); `T` or a space between ' +
      'date and time; seconds and fractions optional. A time without an offset is ambiguous and rejected. ' +
      'Stored in UTC. The day must exist in the calendar (no 31 April).',
  },
  date: {
    pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
    description: 'ISO 8601 calendar date (`2025-10-14`). The day must exist in the calendar.',
  },
};

/** The accepted spellings of booleans, lower-cased. */
export const BOOLEAN_TEXT = Object.freeze({ true: ['true', 'yes', '1'], false: ['false', 'no', '0'] } as const);
