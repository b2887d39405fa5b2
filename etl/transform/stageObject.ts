import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BIGINT, DOUBLE, type DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import type { HeaderMapping } from '../schemas/resolveHeader';
import { sqlString } from '../sql/sqlText';
import { duckdbType, ident } from './duckdbTypes';
import { recheckRecords } from './recheckRecords';
import { recordWhy, rowChecksSql } from './rowChecksSql';

/** A record DuckDB's CSV reader refused: where (its `line`, counted as `RawRecord.csvLine`) and why. */
export interface StructuralReject {
  readonly csvLine: number;
  readonly reason: RejectReasonCode;
  /** DuckDB's own words, kept in the reject's message. */
  readonly detail: string;
  /** The text DuckDB read, used only when the record cannot be found again in the object. */
  readonly csvText: string;
}

/** The rows of one object, staged as a Parquet file in file order. */
export interface StagedObject {
  /** The staged Parquet file (see `stageObject`). */
  readonly file: string;
  /** `_row` of the object's first row in the checked view; its rows are `[firstRow, firstRow + rows)`. */
  readonly firstRow: number;
  /** Records DuckDB parsed (valid or not): the object's rows in file order. */
  readonly rows: number;
  readonly structural: readonly StructuralReject[];
  /** Rows (`_row`) DuckDB accepted that RFC 4180 does not (see `recheckRecords`), with their `_why`. */
  readonly rechecked: ReadonlyMap<number, string>;
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

/**
 * Staged files are read two to four times (counts, dedup keys, student ids: a few columns each; the sorted COPY:
 * all of them) and deleted after the run: Snappy, the cheapest codec to write and read that still shrinks the
 * rows ~7× (3M exam_results rows: 120 MB staged against ~900 MB as an in-memory table).
 */
const STAGE_COMPRESSION = 'snappy';
const STAGE_ROW_GROUP_ROWS = 122_880;

/** Name of a dataset's checked view. */
export function checkedView(dataset: DatasetSchema): string {
  return `checked_${dataset.name}`;
}

/** Name of the table of the dataset's rechecked rows, which its checked view joins in. */
function recheckedTable(dataset: DatasetSchema): string {
  return `rechecked_${dataset.name}`;
}

/**
 * Creates (or replaces) the dataset's checked view over its staged objects: `_rank` (the object), `_row` (the
 * row's position in the run: the object's `firstRow` plus its position in the object), `_why` (NULL when valid,
 * rechecked rows included), `_quoted`, the typed export columns. Staged files are Parquet, so the run's rows are
 * held compressed on disk rather than in DuckDB's memory, and every reader reads only the columns it needs.
 */
export async function createCheckedView(
  db: DuckDBConnection,
  dataset: DatasetSchema,
  staged: readonly StagedObject[],
): Promise<string> {
  const view = checkedView(dataset);
  const files = staged.map((s) => sqlString(s.file)).join(', ');
  const base = `SELECT * EXCLUDE (_first, file_row_number), _first + file_row_number AS _row FROM read_parquet([${files}], file_row_number = true)`;
  const rechecked = staged.flatMap((s) => [...s.rechecked]);
  const extra = recheckedTable(dataset);
  await db.run(`DROP TABLE IF EXISTS ${ident(extra)}`);
  if (rechecked.length === 0) {
    await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(view)} AS ${base}`);
    return view;
  }
  await db.run(
    `CREATE TEMP TABLE ${ident(extra)} AS SELECT unnest($rows)::BIGINT AS _row, unnest($whys) AS _why`,
    { rows: listValue(rechecked.map(([r]) => r)), whys: listValue(rechecked.map(([, w]) => w)) },
    { rows: LIST(DOUBLE), whys: LIST(VARCHAR) },
  );
  await db.run(
    `CREATE OR REPLACE TEMP VIEW ${ident(view)} AS SELECT s.* REPLACE (COALESCE(x._why, s._why) AS _why) ` +
      `FROM (${base}) s LEFT JOIN ${ident(extra)} x ON x._row = s._row`,
  );
  return view;
}

/** Drops the dataset's checked view and what it reads (the staged files stay for the caller to delete). */
export async function dropCheckedView(db: DuckDBConnection, dataset: DatasetSchema): Promise<void> {
  await db.run(`DROP VIEW IF EXISTS ${ident(checkedView(dataset))}`);
  await db.run(`DROP TABLE IF EXISTS ${ident(recheckedTable(dataset))}`);
}

/**
 * Reads the data records of one object with DuckDB's CSV reader (every field VARCHAR, RFC 4180 quoting, in
 * parallel) and writes them, judged by the dataset's generated checks, to `<stageDir>/<rank>.parquet` in file
 * order (insertion order preserved, so a row's position in the file is its position in the object). Records the
 * reader refuses land in its reject table and come back as structural rejects. Two things DuckDB reads more
 * leniently than RFC 4180 are caught after it (`recheckRecords`): trailing empty fields it drops, and quotes
 * inside unquoted fields.
 */
export async function stageObject(
  db: DuckDBConnection,
  stageDir: string,
  mapping: HeaderMapping,
  rank: number,
  path: string,
  firstRow: number,
): Promise<StagedObject> {
  const sql = rowChecksSql(mapping);
  await mkdir(stageDir, { recursive: true });
  const file = join(stageDir, `${rank}.parquet`);
  await db.run('DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans');
  const source =
    `read_csv($path, header = true, auto_detect = false, columns = ${sql.fields}, delim = ',', quote = '"', ` +
    `escape = '"', encoding = 'utf-8', strict_mode = true, store_rejects = true, rejects_table = 'csv_rejects', ` +
    `rejects_scan = 'csv_scans', buffer_size = ${CSV_BUFFER_BYTES})`;
  const typed = mapping.dataset.columns.map((c) => `${ident(c.name)}::${duckdbType(c.type)} AS ${ident(c.name)}`);
  // Positions follow the file only while insertion order is preserved.
  await db.run('SET preserve_insertion_order = true');
  const written = await db.runAndReadAll(
    `COPY (SELECT $rank::INTEGER AS _rank, $first::BIGINT AS _first, _why, _quoted, ${typed.join(', ')} ` +
      `FROM (${sql.select.replace('{source}', source)})) TO ${sqlString(file)} ` +
      `(FORMAT parquet, COMPRESSION ${STAGE_COMPRESSION}, ROW_GROUP_SIZE ${STAGE_ROW_GROUP_ROWS})`,
    { path, rank, first: firstRow },
  );
  const rows = Number(written.getRows()[0]?.[0] ?? 0);
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
  const staged = `read_parquet(${sqlString(file)}, file_row_number = true)`;
  const [lastQuoted = -1] =
    (await db.runAndReadAll(`SELECT max(file_row_number) FROM ${staged} WHERE _quoted`)).getRows()[0] ?? [];
  const found = await recheckRecords(path, {
    fieldCount: mapping.fieldCount,
    refusedCsvLines: new Set(structural.map((s) => s.csvLine)),
    lastQuotedRow: lastQuoted === null ? -1 : Number(lastQuoted),
  });
  const rechecked = new Map<number, string>();
  if (found.misquoted.size > 0) {
    // Misquoted records count where the row holds a quote in a field; MALFORMED_ROW comes before every check, so it
    // replaces whatever the checks said.
    const rows = await db.runAndReadAll(
      `SELECT file_row_number FROM ${staged} WHERE _quoted AND list_contains($rows, file_row_number)`,
      { rows: listValue([...found.misquoted.keys()].map(BigInt)) },
      { rows: LIST(BIGINT) },
    );
    for (const [row] of rows.getRows())
      rechecked.set(firstRow + Number(row), recordWhy(found.misquoted.get(Number(row))!));
  }
  for (const [row, reason] of found.trailing) rechecked.set(firstRow + row, recordWhy(reason));
  return { file, firstRow, rows, structural, rechecked };
}
