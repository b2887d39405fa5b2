import { DuckDBInstance } from '@duckdb/node-api';
import type { CuratedColumn } from '../../../../etl/schemas/curatedColumns';

/** A curated Parquet file downloaded from the curated bucket, with the partition its key names. */
export interface CuratedFile {
  readonly localPath: string;
  readonly year: number;
  readonly month: number;
}

export interface CuratedContent {
  /** One JSON-ready row per Parquet row, values normalised (see `valueSql`), plus `year` and `month`. */
  readonly rows: Record<string, unknown>[];
  /** Per file, in the order given: its rows' sort-key values in file order (to check each file is sorted). */
  readonly sortKeysByFile: string[][][];
  /** Per file: `name TYPE` of every column, as `parquetColumnType` names it. */
  readonly columnsByFile: string[][];
}

/**
 * Reads curated Parquet files with DuckDB (as local Athena does) and normalises every value into an
 * engine-neutral text form: decimals as strings with the column's scale, timestamps as ISO UTC with
 * milliseconds (microseconds kept only when present), booleans and integers as JSON.
 */
export async function readCuratedFiles(
  files: readonly CuratedFile[],
  columns: readonly CuratedColumn[],
  sortKeys: readonly string[],
): Promise<CuratedContent> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    const rows: Record<string, unknown>[] = [];
    const sortKeysByFile: string[][][] = [];
    const columnsByFile: string[][] = [];
    for (const file of files) {
      const source = `read_parquet('${file.localPath.replace(/'/g, "''")}', hive_partitioning = false)`;
      const select = columns.map((c) => `${valueSql(c)} AS "${c.name}"`).join(', ');
      const reader = await db.runAndReadAll(`SELECT ${select} FROM ${source}`);
      const fileRows = reader.getRowObjectsJson() as Record<string, unknown>[];
      for (const row of fileRows) rows.push({ ...row, year: file.year, month: file.month });
      sortKeysByFile.push(fileRows.map((r) => sortKeys.map((k) => String(r[k]))));
      const schema = await db.runAndReadAll(
        `SELECT name, type, converted_type, logical_type, scale, precision FROM parquet_schema('${file.localPath.replace(/'/g, "''")}') WHERE num_children IS NULL OR num_children = 0`,
      );
      columnsByFile.push(
        (schema.getRowObjectsJson() as Record<string, string | null>[]).map((s) => `${s.name} ${parquetColumnType(s)}`),
      );
    }
    return { rows, sortKeysByFile, columnsByFile };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The SQL giving a column's normalised value. */
function valueSql(c: CuratedColumn): string {
  const col = `"${c.name}"`;
  switch (c.type.kind) {
    case 'decimal':
    case 'bigint':
      return `CAST(${col} AS VARCHAR)`;
    case 'timestamp':
      // Milliseconds, unless the value holds microseconds (then all six digits show, so a difference is visible).
      return `CASE WHEN ${col} IS NULL THEN NULL WHEN microsecond(${col}) % 1000 = 0 THEN strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ') ELSE strftime(${col}, '%Y-%m-%dT%H:%M:%S.%fZ') END`;
    case 'date':
      return `CAST(${col} AS VARCHAR)`;
    default:
      return col;
  }
}

/**
 * A Parquet column's type as readers see it, independent of the writer's annotation style: the physical type,
 * then what it holds (`STRING`, `DECIMAL(7,2)`, `TIMESTAMP(MICROS,local)` for a timestamp not adjusted to UTC, as
 * Athena's `timestamp` reads it). An INT32 with or without the `INT_32` annotation is the same signed integer.
 */
export function parquetColumnType(s: Record<string, string | null>): string {
  const physical = s.type ?? '?';
  const logical = s.logical_type ?? '';
  const converted = s.converted_type ?? '';
  if (converted === 'DECIMAL' || logical.startsWith('DecimalType')) {
    return `${physical} DECIMAL(${s.precision},${s.scale})`;
  }
  if (logical.startsWith('TimestampType') || converted.startsWith('TIMESTAMP')) {
    const unit = /MICROS=MicroSeconds/.test(logical)
      ? 'MICROS'
      : /MILLIS=MilliSeconds/.test(logical)
        ? 'MILLIS'
        : /NANOS=NanoSeconds/.test(logical)
          ? 'NANOS'
          : converted.replace('TIMESTAMP_', '');
    // Without a logical type, the legacy converted type means adjusted to UTC.
    const utc = logical ? /isAdjustedToUTC=(1|true)/.test(logical) : true;
    return `${physical} TIMESTAMP(${unit},${utc ? 'utc' : 'local'})`;
  }
  if (converted === 'UTF8' || logical.startsWith('StringType')) return `${physical} STRING`;
  if (physical === 'INT32' && (converted === '' || converted === 'INT_32')) return 'INT32';
  if (physical === 'INT64' && (converted === '' || converted === 'INT_64')) return 'INT64';
  return [physical, converted, logical].filter(Boolean).join(' ');
}
