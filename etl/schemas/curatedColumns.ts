import type { ColumnType } from './columnTypes';
import { t } from './columnTypes';
import type { DatasetSchema, LineageColumnDefinition } from './DatasetSchema';

/**
 * Columns the curated table adds after the export columns, in this order. The transform fills them; exports
 * never carry them (a header naming one is an unknown column).
 */
export const LINEAGE_COLUMNS: readonly LineageColumnDefinition[] = Object.freeze([
  {
    name: 'student_key',
    type: t.string(),
    description:
      'Stable pseudonym of the student: hex HMAC-SHA-256 of `student_id` under a secret key from configuration. ' +
      'Joins a student across datasets and runs without revealing who they are; what partners see instead of ' +
      '`student_id`.',
  },
  {
    name: 'ingested_at',
    type: t.timestamp(),
    description: 'When the run that wrote the row started (UTC).',
  },
  {
    name: 'source_file',
    type: t.string(),
    description: 'The raw object the row came from, as `s3://bucket/key`.',
  },
  {
    name: 'run_id',
    type: t.string(),
    description: 'The Glue job run that wrote the row.',
  },
]);

/** A partition column of the curated table (not stored in the Parquet files: it is the `key=value` path). */
export interface PartitionColumnDefinition {
  readonly name: 'year' | 'month';
  readonly type: ColumnType;
  /** Digits of the value in the object path (`month=09`). */
  readonly digits: number;
  readonly description: string;
}

/**
 * The curated partitions: the UTC year and month of the dataset's `partitionSource`. Integer-typed, so queries
 * read `WHERE year = 2025 AND month = 9`; the path pads the month to two digits (`year=2025/month=09`), as
 * partition projection's `digits` expects.
 */
export const PARTITION_COLUMNS: readonly PartitionColumnDefinition[] = Object.freeze([
  { name: 'year', type: t.integer(), digits: 4, description: 'UTC year of the partition source timestamp.' },
  { name: 'month', type: t.integer(), digits: 2, description: 'UTC month (1–12) of the partition source timestamp.' },
]);

/** The years partition projection covers. Rows outside them are stored but invisible to Athena. */
export const PARTITION_YEAR_RANGE = Object.freeze({ first: 2000, last: 2099 });

/** A column of the curated table, where it comes from, in table order. */
export interface CuratedColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  readonly origin: 'export' | 'lineage';
  readonly pii: boolean;
}

/** The curated (Parquet, Glue) columns of a dataset: its export columns, then the lineage columns. */
export function curatedColumns(dataset: DatasetSchema): readonly CuratedColumn[] {
  return [
    ...dataset.columns.map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description,
      origin: 'export' as const,
      pii: c.pii,
    })),
    ...LINEAGE_COLUMNS.map((c) => ({ ...c, origin: 'lineage' as const, pii: false })),
  ];
}

/** The object path of a partition under the dataset's curated location: `year=2025/month=09/`. */
export function partitionPath(year: number, month: number): string {
  const [y, m] = PARTITION_COLUMNS;
  return `${y!.name}=${String(year).padStart(y!.digits, '0')}/${m!.name}=${String(month).padStart(m!.digits, '0')}/`;
}
