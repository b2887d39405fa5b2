import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { blobValue, type DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { curatedColumns, partitionPath } from '../schemas/curatedColumns';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import { sqlString } from '../sql/sqlText';
import { ident } from './duckdbTypes';
import { studentKeyFunction, studentKeyPads, studentKeySql } from './studentKey';
import { type ProgressLog, timedStep } from './timedStep';

/** A Parquet file of the new version: one per partition. */
export interface VersionFile {
  readonly year: number;
  readonly month: number;
  /** Path under the version, `year=2025/month=09/part-00000.parquet`. */
  readonly relativePath: string;
  readonly localPath: string;
  readonly rows: number;
}

/** The new version of a dataset, written to local files, with the counts that reconcile the run. */
export interface BuiltVersion {
  readonly files: readonly VersionFile[];
  /** Rows of this run in the new version (counted by reading the written files back). */
  readonly written: number;
  /** Valid rows of this run replaced by a later object of the same run. */
  readonly superseded: number;
  /** Rows of the previous version replaced by rows of this run. */
  readonly replaced: number;
  readonly totalRows: number;
  /** `_row`s (in the checked view) of valid rows repeating a natural key earlier in their own object. */
  readonly duplicateRows: readonly number[];
}

export interface BuildVersionInput {
  readonly connection: DuckDBConnection;
  readonly dataset: DatasetSchema;
  /** The checked view of this run's rows (see `createCheckedView`); valid rows have a NULL `_why`. */
  readonly checkedTable: string;
  /** `source_file` of each `_rank`, in rank order. */
  readonly sources: readonly string[];
  /** Parquet files of the previous version (empty on the first run or with reprocess-all). */
  readonly previousFiles: readonly string[];
  readonly runId: string;
  readonly ingestedAt: Date;
  readonly studentKeySecret: Buffer;
  readonly outDir: string;
  /** Where each step's wall and CPU time are written. */
  readonly log?: ProgressLog;
}

/**
 * Builds the dataset's next version from the previous one and this run's valid rows, in DuckDB:
 *
 * 1. one window over the natural key (only key, object rank and row: a narrow sort) finds the rows that lose:
 *    a repeat of a key earlier in the same object is a DUPLICATE_IN_FILE reject (the first is kept), a key
 *    that a later object (LastModified, then key) carries again is superseded;
 * 2. rows of the previous version whose key this run carries are replaced;
 * 3. one partitioned `COPY` writes the rest with the lineage columns (`student_key` is a keyed HMAC computed
 *    once per distinct student in SQL) unsorted to a scratch directory per UTC year/month of the partition
 *    source; then each partition is sorted by the sort keys on its own into exactly one Parquet file;
 * 4. the files are read back to count what they hold (the run reconciles on these counts); the previous rows
 *    that are not among them were replaced (the previous version's row count comes from its files' footers, so
 *    it is not scanned a second time).
 */
export async function buildVersion(input: BuildVersionInput): Promise<BuiltVersion> {
  const { connection: db, dataset, runId } = input;
  const checked = ident(input.checkedTable);
  const key = dataset.naturalKey.map(ident).join(', ');
  const step = <T>(name: string, work: () => Promise<T>) => timedStep(input.log, `${dataset.name}: ${name}`, work);
  await db.run('SET preserve_insertion_order = false');
  await step('dedup window', () =>
    db.run(
      `CREATE OR REPLACE TEMP TABLE losers AS SELECT _row, _prev = _rank AS _dup FROM (SELECT _row, _rank, ` +
        `row_number() OVER w AS _n, lag(_rank) OVER w AS _prev FROM ${checked} WHERE _why IS NULL ` +
        `WINDOW w AS (PARTITION BY ${key} ORDER BY _rank DESC, _row)) WHERE _n > 1`,
    ),
  );
  const duplicateRows = (await db.runAndReadAll('SELECT _row FROM losers WHERE _dup ORDER BY _row'))
    .getRows()
    .map(([r]) => Number(r));
  const [superseded = 0] = (await db.runAndReadAll('SELECT count(*) FROM losers WHERE NOT _dup')).getRows()[0] ?? [];
  const anyLoser = duplicateRows.length > 0 || Number(superseded) > 0;
  const pseudonym = dataset.pseudonymSource;
  if (pseudonym !== undefined) {
    const { ipad, opad } = studentKeyPads(input.studentKeySecret);
    await step('student keys', () =>
      db.run(
        `CREATE OR REPLACE TEMP TABLE student_keys AS SELECT ${ident(pseudonym)} AS _id, ${studentKeySql('_id')} AS student_key ` +
          `FROM (SELECT DISTINCT ${ident(pseudonym)} FROM ${checked} WHERE _why IS NULL AND ${ident(pseudonym)} IS NOT NULL)`,
        { ipad: blobValue(ipad), opad: blobValue(opad) },
      ),
    );
    // The SQL HMAC must stay the documented one (a DuckDB upgrade changing sha256 on BLOBs would silently change
    // every pseudonym): one key per run is checked against node:crypto before anything is written.
    const [sample] = (await db.runAndReadAll('SELECT _id, student_key FROM student_keys LIMIT 1')).getRows();
    if (sample && studentKeyFunction(input.studentKeySecret)(String(sample[0])) !== sample[1]) {
      throw new Error('student_key computed by DuckDB differs from HMAC-SHA-256: nothing was written.');
    }
  }
  const cols = curatedColumns(dataset);
  const exportList = dataset.columns.map((c) => `c.${ident(c.name)}`).join(', ');
  // This run's winners with their lineage, and the previous version's rows that stay, each of one month.
  const fresh = (inMonth: string) =>
    `SELECT ${exportList}, ${pseudonym === undefined ? 'NULL::VARCHAR' : 'k.student_key'} AS student_key, ` +
    `$ingested::TIMESTAMP AS ingested_at, ($sources)[c._rank + 1] AS source_file, $run::VARCHAR AS run_id ` +
    `FROM ${checked} c ${pseudonym === undefined ? '' : `LEFT JOIN student_keys k ON k._id = c.${ident(pseudonym)} `}` +
    `WHERE c._why IS NULL AND ${inMonth}${anyLoser ? ' AND c._row NOT IN (SELECT _row FROM losers)' : ''}`;
  const curatedList = cols.map((c) => ident(c.name)).join(', ');
  let previous = (_inMonth: string) => '';
  let previousList: string | undefined;
  // Rows of the previous version, from its files' footers: those not in the new version were replaced (step 4).
  let previousRows = 0;
  if (input.previousFiles.length > 0) {
    const list = `[${input.previousFiles.map(sqlString).join(', ')}]`;
    const reader = `read_parquet(${list}, filename = true, file_row_number = true, hive_partitioning = false)`;
    previousList = list;
    // The previous rows whose key this run carries, found once (not once per partition) by file and position.
    await step('replaced rows', () =>
      db.run(
        `CREATE OR REPLACE TEMP TABLE replaced_rows AS SELECT p.filename, p.file_row_number FROM ${reader} p ` +
          `WHERE EXISTS (SELECT 1 FROM ${checked} f WHERE f._why IS NULL AND ${dataset.naturalKey
            .map((k) => `f.${ident(k)} = p.${ident(k)}`)
            .join(' AND ')})`,
      ),
    );
    previous = (inMonth) =>
      ` UNION ALL SELECT ${cols.map((c) => `p.${ident(c.name)}`).join(', ')} FROM ${reader} p WHERE ${inMonth} ` +
      'AND NOT EXISTS (SELECT 1 FROM replaced_rows r WHERE r.filename = p.filename AND r.file_row_number = p.file_row_number)';
    const [n = 0] =
      (await db.runAndReadAll(`SELECT sum(num_rows) FROM parquet_file_metadata(${list})`)).getRows()[0] ?? [];
    previousRows = Number(n);
  }
  const source = ident(dataset.partitionSource);
  const order = dataset.sortKeys.map(ident).join(', ');
  const params = {
    ingested: input.ingestedAt.toISOString().replace('T', ' ').replace('Z', ''),
    run: runId,
    sources: listValue([...input.sources]),
  };
  // The new version's partitions: the UTC months of this run's valid rows and of the previous version's rows (a
  // month whose rows all lose writes nothing and is dropped below). Reads only the partition source column.
  const months = await step('partitions', () =>
    db.runAndReadAll(
      `SELECT DISTINCT year(${source}), month(${source}) FROM (SELECT ${source} FROM ${checked} WHERE _why IS NULL` +
        `${previousList ? ` UNION ALL SELECT ${source} FROM read_parquet(${previousList}, hive_partitioning = false)` : ''}) ORDER BY 1, 2`,
    ),
  );
  await mkdir(input.outDir, { recursive: true });
  // Each partition sorted on its own (only its rows are held for the sort) straight into its one file, insertion
  // order preserved so that the file follows the ORDER BY. Its rows are found by a range on the partition source,
  // which the Parquet reader prunes by row-group statistics: a staged object (one export, usually one month) is
  // read only for the months it holds, and a previous version's file only for its own.
  await db.run('SET preserve_insertion_order = true');
  const files: VersionFile[] = [];
  await step('sorted partitions', async () => {
    for (const [y, m] of months.getRows()) {
      const year = Number(y);
      const month = Number(m);
      const relativePath = `${partitionPath(year, month)}part-00000.parquet`;
      const localPath = path.join(input.outDir, relativePath);
      await mkdir(path.dirname(localPath), { recursive: true });
      // Literal bounds (numbers DuckDB gave), so that the reader can prune row groups by them.
      const inMonth = (alias: string) =>
        `${alias}.${source} >= ${monthStart(year, month)} AND ${alias}.${source} < ${monthStart(year, month + 1)}`;
      const copied = await db.runAndReadAll(
        `COPY (SELECT ${curatedList} FROM (${fresh(inMonth('c'))}${previous(inMonth('p'))}) ORDER BY ${order}) ` +
          `TO ${sqlString(localPath)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
        params,
        { sources: LIST(VARCHAR) },
      );
      if (Number(copied.getRows()[0]?.[0] ?? 0) === 0) {
        await rm(path.dirname(localPath), { recursive: true, force: true });
        continue;
      }
      files.push({ year, month, relativePath, localPath, rows: 0 });
    }
  });
  await db.run('DROP TABLE losers; DROP TABLE IF EXISTS student_keys; DROP TABLE IF EXISTS replaced_rows');
  if (files.length === 0) {
    return { files, written: 0, superseded: Number(superseded), replaced: previousRows, totalRows: 0, duplicateRows };
  }
  // Count what the files hold, independently of the tables that produced them: the run reconciles on these.
  const readBack = await step('read-back', () =>
    db.runAndReadAll(
      `SELECT filename, count(*), count(*) FILTER (WHERE run_id = $run) FROM read_parquet([${files
        .map((f) => sqlString(f.localPath))
        .join(', ')}], filename = true, hive_partitioning = false) GROUP BY filename`,
      { run: runId },
    ),
  );
  const perFile = new Map(readBack.getRows().map(([f, total, mine]) => [String(f), [Number(total), Number(mine)]]));
  let written = 0;
  let totalRows = 0;
  const counted = files.map((f) => {
    const [total = 0, mine = 0] = perFile.get(f.localPath) ?? [];
    written += mine;
    totalRows += total;
    return { ...f, rows: total };
  });
  // Rows of other runs in the files are the previous version's that were kept.
  const replaced = previousRows - (totalRows - written);
  return { files: counted, written, superseded: Number(superseded), replaced, totalRows, duplicateRows };
}

/** The first instant of a month as a TIMESTAMP literal (`month` 13 is January of the next year). */
function monthStart(year: number, month: number): string {
  const [y, m] = month > 12 ? [year + 1, month - 12] : [year, month];
  if (!Number.isInteger(y) || !Number.isInteger(m)) throw new Error(`Not a month: ${year}-${month}`);
  return `TIMESTAMP '${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01 00:00:00'`;
}
