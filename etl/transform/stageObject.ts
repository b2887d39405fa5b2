import { DOUBLE, type DuckDBConnection, LIST, listValue } from '@duckdb/node-api';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import type { HeaderMapping } from '../schemas/resolveHeader';
import { duckdbType, ident } from './duckdbTypes';
import { recheckRecords } from './recheckRecords';
import { rowChecksSql, WHY_SEPARATOR } from './rowChecksSql';

/** A record DuckDB's CSV reader refused: where (its `line`, counted as `RawRecord.csvLine`) and why. */
export interface StructuralReject {
  readonly csvLine: number;
  readonly reason: RejectReasonCode;
  /** DuckDB's own words, kept in the reject's message. */
  readonly detail: string;
  /** The text DuckDB read, used only when the record cannot be found again in the object. */
  readonly csvText: string;
}

/** The rows of one object in the dataset's checked table. */
export interface StagedObject {
  /** `rowid` of the object's first row in the checked table; its rows are `[firstRow, firstRow + rows)`. */
  readonly firstRow: number;
  /** Records DuckDB parsed (valid or not): the object's rows in file order. */
  readonly rows: number;
  readonly structural: readonly StructuralReject[];
}

/**
 * DuckDB's reject `error_type`s and our reason codes. A line with several errors gets the one first in
 * `REJECT_REASONS`; an unknown type is a MALFORMED_ROW.
 */
export const CSV_ERROR_REASONS: Readonly<Record<string, RejectReasonCode>> = {
  'INVALID ENCODING': 'INVALID_ENCODING',
  'INVALID UNICODE': 'INVALID_ENCODING',
  'UNQUOTED VALUE': 'MALFORMED_ROW',
  'LINE SIZE OVER MAXIMUM': 'MALFORMED_ROW',
  'MISSING COLUMNS': 'WRONG_FIELD_COUNT',
  'TOO MANY COLUMNS': 'WRONG_FIELD_COUNT',
};
const STRUCTURAL_ORDER: readonly RejectReasonCode[] = ['INVALID_ENCODING', 'MALFORMED_ROW', 'WRONG_FIELD_COUNT'];

/**
 * Bytes of each CSV reader buffer: DuckDB's default (16 × the 2 MiB longest line) needs 32 MiB per thread and
 * buffer, too much under a small memory limit; a record may still be up to 2 MiB long.
 */
const CSV_BUFFER_BYTES = 8 << 20;

/** Name of a dataset's checked table. */
export function checkedTable(dataset: DatasetSchema): string {
  return `checked_${dataset.name}`;
}

/**
 * Creates the dataset's checked table: `_rank` (the object), `_why` (NULL when valid), `_quoted`, the typed
 * export columns.
 */
export async function createCheckedTable(db: DuckDBConnection, dataset: DatasetSchema): Promise<string> {
  const table = checkedTable(dataset);
  const columns = dataset.columns.map((c) => `${ident(c.name)} ${duckdbType(c.type)}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(table)} (_rank INTEGER, _why VARCHAR, _quoted BOOLEAN, ${columns.join(', ')})`,
  );
  return table;
}

/**
 * Reads the data records of one object with DuckDB's CSV reader (every field VARCHAR, RFC 4180 quoting, in
 * parallel) and appends them, judged by the dataset's generated checks, to the checked table in file order
 * (`preserve_insertion_order` must be on, so that `rowid` follows the file). Records the reader refuses land in
 * its reject table and come back as structural rejects. Two things DuckDB reads more leniently than RFC 4180
 * are caught after it (`recheckRecords`): trailing empty fields it drops, and quotes inside unquoted fields.
 */
export async function stageObject(
  db: DuckDBConnection,
  table: string,
  mapping: HeaderMapping,
  rank: number,
  path: string,
): Promise<StagedObject> {
  const sql = rowChecksSql(mapping);
  const before = await db.runAndReadAll(`SELECT count(*) FROM ${ident(table)}`);
  const firstRow = Number(before.getRows()[0]?.[0] ?? 0);
  await db.run('DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans');
  const source =
    `read_csv($path, header = true, auto_detect = false, columns = ${sql.fields}, delim = ',', quote = '"', ` +
    `escape = '"', encoding = 'utf-8', strict_mode = true, store_rejects = true, rejects_table = 'csv_rejects', ` +
    `rejects_scan = 'csv_scans', buffer_size = ${CSV_BUFFER_BYTES})`;
  const inserted = await db.runAndReadAll(
    `INSERT INTO ${ident(table)} SELECT $rank AS _rank, * FROM (${sql.select.replace('{source}', source)})`,
    { path, rank },
  );
  const rows = Number(inserted.getRows()[0]?.[0] ?? 0);
  const errors = await db.runAndReadAll(
    'SELECT line, error_type, error_message, csv_line FROM csv_rejects ORDER BY line',
  );
  const byLine = new Map<number, StructuralReject>();
  for (const [line, type, message, text] of errors.getRows()) {
    const csvLine = Number(line);
    const reason = CSV_ERROR_REASONS[String(type)] ?? 'MALFORMED_ROW';
    const seen = byLine.get(csvLine);
    if (seen && STRUCTURAL_ORDER.indexOf(seen.reason) <= STRUCTURAL_ORDER.indexOf(reason)) continue;
    byLine.set(csvLine, { csvLine, reason, detail: `${type}: ${message}`, csvText: String(text ?? '') });
  }
  const structural = [...byLine.values()];
  const quoted = await db.runAndReadAll(
    `SELECT rowid - $first FROM ${ident(table)} WHERE rowid >= $first AND _quoted AND _why IS NULL`,
    { first: firstRow },
  );
  const rechecked = await recheckRecords(path, {
    fieldCount: mapping.fieldCount,
    refusedCsvLines: new Set(structural.map((s) => s.csvLine)),
    quotedRows: new Set(quoted.getRows().map(([r]) => Number(r))),
  });
  for (const reason of ['MALFORMED_ROW', 'WRONG_FIELD_COUNT'] as const) {
    const rows = [...rechecked].filter(([, r]) => r === reason).map(([row]) => row + firstRow);
    if (rows.length === 0) continue;
    await db.run(
      `UPDATE ${ident(table)} SET _why = $why WHERE rowid IN (SELECT unnest($rows)::BIGINT)`,
      { why: `${reason}${WHY_SEPARATOR}${WHY_SEPARATOR}`, rows: listValue(rows) },
      { rows: LIST(DOUBLE) },
    );
  }
  return { firstRow, rows, structural };
}
