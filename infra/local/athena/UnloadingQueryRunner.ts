import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlIdentifier, sqlString } from '../../../etl/sql/sqlText';
import type { S3ObjectStore } from '../s3/S3ObjectFiles';
import type { LocalEngineQuery } from './LocalQueryEngine';
import type { StatementExecutor } from './QueryExecutions';
import { QueryRejectedError } from './QueryRejectedError';
import type { StatementResult } from './StatementResult';
import { ZONED_STRUCT_TYPE } from './trinoTimeZones';
import { parseUnload, type UnloadStatement } from './unloadStatement';

const gzipAsync = promisify(gzip);

/**
 * Most rows in one output file. Athena splits an UNLOAD's output over files written in parallel; locally one
 * file per this many rows, so clients that read the manifest meet several files as they do on AWS.
 * @default 500000
 */
export const UNLOAD_ROWS_PER_FILE = 500_000;

/**
 * The local Athena's `UNLOAD`, around the engine: any other statement goes straight through. An UNLOAD
 *
 * 1. refuses a target prefix that already holds objects (`HIVE_PATH_ALREADY_EXISTS`, as Athena: UNLOAD never
 *    overwrites);
 * 2. runs the inner SELECT as any query (same parameters, cutoff, cancellation, scanned bytes);
 * 3. writes the rows under the prefix, `<queryId>_<n>` (+ `.gz` for compressed text): Parquet through DuckDB,
 *    typed as the query's columns; TEXTFILE as Athena's Hive text (no header, the field delimiter, `\N` for
 *    null, no quoting);
 * 4. writes the data manifest, `<queryId>-manifest.csv` in the query result location, one `s3://` URL per
 *    written file (no files and an empty manifest for no rows); GetQueryExecution points at it
 *    (`Statistics.DataManifestLocation`, `queryExecutionWire`).
 *
 * The query's own result is empty (no columns, no rows). Objects go through the local S3 store's PutObject path
 * (events fire, ETags as S3's).
 */
export class UnloadingQueryRunner implements StatementExecutor {
  private duckdb: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;

  constructor(
    private readonly engine: StatementExecutor,
    private readonly store: S3ObjectStore,
    /** Scratch directory for Parquet files before they are stored. */
    private readonly scratchDir: string,
  ) {}

  async run(query: LocalEngineQuery, signal: AbortSignal): Promise<StatementResult> {
    const unload = parseUnload(query.sql);
    if (!unload) return this.engine.run(query, signal);
    const output = query.outputLocation;
    if (!output?.endsWith('.csv')) throw new Error('UNLOAD needs the query result location (<prefix><id>.csv).');
    const existing = await this.store.list(unload.bucket, unload.prefix);
    if (existing.length > 0) {
      throw new QueryRejectedError(
        `HIVE_PATH_ALREADY_EXISTS: Target directory for UNLOAD already exists: s3://${unload.bucket}/${unload.prefix}. ` +
          'UNLOAD writes only to an empty location: delete its objects or choose another prefix.',
      );
    }
    const outcome = await this.engine.run({ ...query, sql: unload.select }, signal);
    signal.throwIfAborted();
    const queryId = path.posix.basename(output, '.csv');
    const files: string[] = [];
    for (let start = 0, n = 0; start < outcome.rows.length; start += UNLOAD_ROWS_PER_FILE, n += 1) {
      const rows = outcome.rows.slice(start, start + UNLOAD_ROWS_PER_FILE);
      const key = `${unload.prefix}${queryId}_${n}${unload.format === 'TEXTFILE' && unload.compression === 'GZIP' ? '.gz' : ''}`;
      const body =
        unload.format === 'PARQUET'
          ? await this.writeParquet(outcome.columns, rows, unload.compression, `${queryId}_${n}`)
          : await text(rows, unload);
      await this.store.putObject({
        bucket: unload.bucket,
        key,
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      files.push(`s3://${unload.bucket}/${key}`);
    }
    const manifest = /^s3:\/\/([^/]+)\/(.*)$/.exec(output.replace(/\.csv$/, '-manifest.csv'))!;
    await this.store.putObject({
      bucket: manifest[1]!,
      key: manifest[2]!,
      body: files.map((f) => `${f}\n`).join(''),
      headers: { 'content-type': 'text/csv' },
    });
    return { columns: [], rows: [], dataScannedBytes: outcome.dataScannedBytes };
  }

  /** Closes the DuckDB instance that writes Parquet. */
  async close(): Promise<void> {
    const open = await this.duckdb?.catch(() => undefined);
    open?.connection.closeSync();
    open?.instance.closeSync();
    this.duckdb = undefined;
  }

  /**
   * The rows as one Parquet file, each column cast back from Athena's text to the query's type (also what a
   * CTAS writes: TableWritingQueryRunner). `compression`: GZIP, SNAPPY, ZSTD or NONE.
   */
  async writeParquet(
    outputColumns: StatementResult['columns'],
    rows: readonly (readonly (string | null)[])[],
    compression: string,
    name: string,
  ): Promise<Buffer> {
    for (const c of outputColumns) {
      const zoned = c.duckdbType.toUpperCase() === ZONED_STRUCT_TYPE.toUpperCase();
      if (!zoned && /[[\]]|^(STRUCT|MAP|UNION)/i.test(c.duckdbType)) {
        throw new QueryRejectedError(
          `NOT_SUPPORTED: the local UNLOAD and CREATE TABLE AS write scalar columns only; column ${c.name} is ${c.duckdbType}.`,
        );
      }
    }
    this.duckdb ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, connection: await instance.connect() };
    })();
    const { connection } = await this.duckdb;
    const staging = `unload_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const file = path.join(this.scratchDir, `${name}.parquet`);
    await mkdir(this.scratchDir, { recursive: true });
    const columns = outputColumns.map((c, i) => ({ ...c, staged: `c${i}` }));
    try {
      await connection.run(
        `CREATE TEMP TABLE ${staging} (${columns.map((c) => `${c.staged} VARCHAR`).join(', ') || 'c0 VARCHAR'})`,
      );
      const appender = await connection.createAppender(staging);
      for (const row of rows) {
        for (let i = 0; i < Math.max(columns.length, 1); i++) {
          const value = row[i];
          if (value === null || value === undefined) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.closeSync();
      const projection = columns.map((c) => `${fromAthenaText(c.staged, c.duckdbType)} AS ${sqlIdentifier(c.name)}`);
      await connection.run(
        `COPY (SELECT ${projection.join(', ')} FROM ${staging}) TO ${sqlString(file)} ` +
          `(FORMAT PARQUET, COMPRESSION '${compression === 'NONE' ? 'uncompressed' : compression.toLowerCase()}')`,
      );
      return await readFile(file);
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${staging}`);
      await rm(file, { force: true });
    }
  }
}

/** Hive text as Athena's UNLOAD writes it: no header, the field delimiter, `\N` for null, `\n` after every row. */
async function text(rows: readonly (readonly (string | null)[])[], unload: UnloadStatement): Promise<Buffer> {
  const body = Buffer.from(
    rows.map((row) => `${row.map((v) => (v === null ? '\\N' : v)).join(unload.fieldDelimiter)}\n`).join(''),
    'utf8',
  );
  return unload.compression === 'GZIP' ? gzipAsync(body) : body;
}

/** The SQL turning Athena's text of a value (trinoText) back into the column's type. */
function fromAthenaText(column: string, duckdbType: string): string {
  const type = duckdbType.toUpperCase();
  if (type === 'VARCHAR') return column;
  if (type === 'TIMESTAMP WITH TIME ZONE') return `CAST(replace(${column}, ' UTC', '+00') AS TIMESTAMPTZ)`;
  if (type === ZONED_STRUCT_TYPE.toUpperCase()) {
    // A zoned timestamp's text (`... +01:00`, `... UTC`, `... America/Los_Angeles`): its instant.
    return `CAST(regexp_replace(replace(${column}, ' UTC', '+00'), ' ([+-]\\d)', '\\1') AS TIMESTAMPTZ)`;
  }
  return `CAST(${column} AS ${type})`;
}
