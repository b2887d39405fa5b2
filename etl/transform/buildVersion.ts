import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { curatedColumns, partitionPath } from '../schemas/curatedColumns';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import { duckdbType, ident, pathLiteral } from './duckdbTypes';

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
}

export interface BuildVersionInput {
  readonly connection: DuckDBConnection;
  readonly dataset: DatasetSchema;
  /** The staging table holding this run's valid rows (see StagingAppender). */
  readonly stagingTable: string;
  /** Parquet files of the previous version (empty on the first run or with reprocess-all). */
  readonly previousFiles: readonly string[];
  readonly runId: string;
  readonly ingestedAt: Date;
  readonly outDir: string;
}

/**
 * Builds the dataset's next version from the previous one and this run's rows: the latest row per natural key
 * wins (this run over the previous version; within the run the later object by LastModified then key), rows are
 * cast to the curated types, partitioned by UTC year/month of the partition source, sorted by the sort keys,
 * and written as exactly one Parquet file per partition (no small files).
 */
export async function buildVersion(input: BuildVersionInput): Promise<BuiltVersion> {
  const { connection: db, dataset, runId } = input;
  const cols = curatedColumns(dataset);
  const exportCast = dataset.columns.map((c) => `CAST(${ident(c.name)} AS ${duckdbType(c.type)}) AS ${ident(c.name)}`);
  const fresh =
    `SELECT ${exportCast.join(', ')}, student_key, $ingested::TIMESTAMP AS ingested_at, source_file, ` +
    `$run::VARCHAR AS run_id, _rank, _line FROM ${ident(input.stagingTable)}`;
  const curatedList = cols.map((c) => ident(c.name)).join(', ');
  const previous =
    input.previousFiles.length === 0
      ? ''
      : ` UNION ALL BY NAME SELECT ${curatedList}, -1 AS _rank, 0::BIGINT AS _line FROM read_parquet([${input.previousFiles
          .map(pathLiteral)
          .join(', ')}], hive_partitioning = false)`;
  const key = dataset.naturalKey.map(ident).join(', ');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ranked AS SELECT *, row_number() OVER (PARTITION BY ${key} ORDER BY _rank DESC, _line) AS _n FROM (${fresh}${previous})`,
    { ingested: input.ingestedAt.toISOString().replace('T', ' ').replace('Z', ''), run: runId },
  );
  const counts = await db.runAndReadAll(
    'SELECT count(*) FILTER (WHERE _n > 1 AND _rank >= 0), count(*) FILTER (WHERE _n > 1 AND _rank < 0) FROM ranked',
  );
  const [superseded, replaced] = (counts.getRows()[0] ?? [0, 0]).map(Number) as [number, number];
  const source = ident(dataset.partitionSource);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE kept AS SELECT ${curatedList}, year(${source}) AS _year, month(${source}) AS _month FROM ranked WHERE _n = 1`,
  );
  await db.run('DROP TABLE ranked');
  const partitions = (await db.runAndReadAll('SELECT DISTINCT _year, _month FROM kept ORDER BY 1, 2'))
    .getRows()
    .map(([y, m]) => [Number(y), Number(m)] as const);
  const order = dataset.sortKeys.map(ident).join(', ');
  const files: VersionFile[] = [];
  for (const [year, month] of partitions) {
    if (!Number.isInteger(year) || !Number.isInteger(month)) throw new Error(`Bad partition ${year}/${month}`);
    const relativePath = `${partitionPath(year, month)}part-00000.parquet`;
    const localPath = path.join(input.outDir, relativePath);
    await mkdir(path.dirname(localPath), { recursive: true });
    await db.run(
      `COPY (SELECT ${curatedList} FROM kept WHERE _year = ${year} AND _month = ${month} ORDER BY ${order}) ` +
        `TO ${pathLiteral(localPath)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
    );
    files.push({ year, month, relativePath, localPath, rows: 0 });
  }
  await db.run('DROP TABLE kept');
  if (files.length === 0) return { files, written: 0, superseded, replaced, totalRows: 0 };
  // Count what the files hold, independently of the tables that produced them: the run reconciles on these.
  const readBack = await db.runAndReadAll(
    `SELECT filename, count(*), count(*) FILTER (WHERE run_id = $run) FROM read_parquet([${files
      .map((f) => pathLiteral(f.localPath))
      .join(', ')}], filename = true, hive_partitioning = false) GROUP BY filename`,
    { run: runId },
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
  return { files: counted, written, superseded, replaced, totalRows };
}
