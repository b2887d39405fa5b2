import path from 'node:path';
import type { Column } from '@aws-sdk/client-glue';
import type { GlueCatalogReader } from '../glue/GlueCatalogReader';
import type { GlueCatalogWriter } from '../glue/GlueCatalogWriter';
import type { S3ObjectStore } from '../s3/S3ObjectFiles';
import { athenaColumnInfo, duckdbTypeOfGlue } from './athenaTypes';
import type { LocalEngineQuery } from './LocalQueryEngine';
import type { StatementExecutor } from './QueryExecutions';
import { QueryRejectedError } from './QueryRejectedError';
import type { StatementResult } from './StatementResult';
import { parseS3Location } from './tableSource';
import { type CreateTableAs, type DropTable, parseTableStatement } from './tableStatements';
import type { UnloadingQueryRunner } from './UnloadingQueryRunner';

/** Most partitions one CTAS may write, as on Athena (HIVE_TOO_MANY_OPEN_PARTITIONS). @default 100 */
export const CTAS_MAX_PARTITIONS = 100;

/** Most rows in one Parquet file a CTAS writes (per partition). @default 500000 */
export const CTAS_ROWS_PER_FILE = 500_000;

const PARQUET_STORAGE = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: {} },
} as const;

/**
 * The local Athena's table DDL, around the UNLOAD runner: any other statement goes straight through.
 *
 * `CREATE TABLE db.t WITH (external_location, format = 'PARQUET', write_compression, partitioned_by) AS SELECT …`
 * 1. checks before anything is written: the database exists, the table does not (`IF NOT EXISTS` makes that a
 *    success that writes nothing), the location holds no objects (`HIVE_PATH_ALREADY_EXISTS`), every column is
 *    named once, partition columns are the query's last, at most 100 partitions;
 * 2. runs the query as any query (parameters, cutoff, cancellation, scanned bytes) and builds every Parquet file
 *    (`<queryId>_<n>`, per partition under `key=value/`) before storing any;
 * 3. stores the files, then registers the table in the local Glue (Hive Parquet SerDe, columns in Hive types,
 *    `PartitionKeys`) and its partitions; should the partitions fail, the table is deleted again;
 * 4. writes the data manifest, `<queryId>-manifest.csv` beside the query result, listing every file (as Athena:
 *    `Statistics.DataManifestLocation`); GetQueryResults' `UpdateCount` is the number of rows written.
 * Without `external_location` the files go to `<result location>tables/<queryId>/`, as Athena puts them.
 *
 * `DROP TABLE [IF EXISTS] db.t` deletes the table (and its partitions) from the catalog; its files stay, as
 * Athena leaves an external table's data in S3.
 */
export class TableWritingQueryRunner implements StatementExecutor {
  constructor(
    private readonly inner: UnloadingQueryRunner,
    private readonly catalog: GlueCatalogReader & GlueCatalogWriter,
    private readonly store: S3ObjectStore,
  ) {}

  async run(query: LocalEngineQuery, signal: AbortSignal): Promise<StatementResult> {
    const statement = parseTableStatement(query.sql);
    if (!statement) return this.inner.run(query, signal);
    if (statement.kind === 'DROP_TABLE') return this.drop(statement, query);
    return this.createTableAs(statement, query, signal);
  }

  private async drop(statement: DropTable, query: LocalEngineQuery): Promise<StatementResult> {
    const database = statement.name.database ?? query.database ?? 'default';
    if (!(await this.catalog.getDatabase(database))) {
      throw new QueryRejectedError(`SCHEMA_NOT_FOUND: Schema '${database}' does not exist`);
    }
    if (!(await this.catalog.getTable(database, statement.name.table))) {
      if (statement.ifExists) return EMPTY;
      throw new QueryRejectedError(
        `TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${database}.${statement.name.table}' does not exist`,
      );
    }
    await this.catalog.deleteTable(database, statement.name.table);
    return EMPTY;
  }

  private async createTableAs(
    statement: CreateTableAs,
    query: LocalEngineQuery,
    signal: AbortSignal,
  ): Promise<StatementResult> {
    const database = statement.name.database ?? query.database ?? 'default';
    const qualified = `awsdatacatalog.${database}.${statement.name.table}`;
    if (!(await this.catalog.getDatabase(database))) {
      throw new QueryRejectedError(`SCHEMA_NOT_FOUND: Schema '${database}' does not exist`);
    }
    if (await this.catalog.getTable(database, statement.name.table)) {
      if (statement.ifNotExists) return EMPTY;
      throw new QueryRejectedError(`TABLE_ALREADY_EXISTS: line 1:1: Table '${qualified}' already exists`);
    }
    const output = query.outputLocation;
    if (!output?.endsWith('.csv'))
      throw new Error('CREATE TABLE AS needs the query result location (<prefix><id>.csv).');
    const queryId = path.posix.basename(output, '.csv');
    const location = withSlash(
      statement.location ?? `${output.slice(0, output.lastIndexOf('/') + 1)}tables/${queryId}/`,
    );
    const target = parseS3Location(location)!;
    if ((await this.store.list(target.bucket, target.key)).length > 0) {
      throw new QueryRejectedError(
        `HIVE_PATH_ALREADY_EXISTS: Target directory for table '${database}.${statement.name.table}' already exists: ${location}. ` +
          'CREATE TABLE AS writes only to an empty location: delete its objects or choose another external_location.',
      );
    }

    const outcome = await this.inner.run({ ...query, sql: statement.select }, signal);
    signal.throwIfAborted();
    // Over the workgroup's cutoff the execution ends CANCELLED (QueryExecutions): write nothing, register nothing.
    if (query.bytesScannedCutoff !== undefined && outcome.dataScannedBytes > query.bytesScannedCutoff) {
      return { columns: [], rows: [], dataScannedBytes: outcome.dataScannedBytes };
    }
    const names = outcome.columns.map((c) => c.name.toLowerCase());
    names.forEach((name, i) => {
      if (/^_col\d+$/.test(name)) {
        throw new QueryRejectedError(`NOT_SUPPORTED: Column name not specified at position ${i + 1}`);
      }
      if (names.indexOf(name) !== i) {
        throw new QueryRejectedError(`DUPLICATE_COLUMN_NAME: Column name '${name}' specified more than once`);
      }
    });
    const keys = statement.partitionedBy;
    keys.forEach((key, i) => {
      if (names[names.length - keys.length + i] !== key) {
        throw new QueryRejectedError(
          `INVALID_TABLE_PROPERTY: Partition keys must be the last columns in the table and in the same order as the table properties: ${keys.join(', ')}`,
        );
      }
    });
    const glueColumns: Column[] = outcome.columns.map((c) => ({
      Name: c.name.toLowerCase(),
      Type: glueType(c.name, c.duckdbType),
    }));
    // Each file column is written in the DuckDB type of its declared Hive type (a HUGEINT as the decimal(38,0) the
    // catalog declares), so the files, the catalog and the clients that read the files directly agree.
    const dataColumns = outcome.columns
      .slice(0, outcome.columns.length - keys.length)
      .map((c, i) => ({ name: c.name, duckdbType: duckdbTypeOfGlue(glueColumns[i]!.Type!) }));
    if (dataColumns.length === 0) {
      throw new QueryRejectedError(
        'INVALID_TABLE_PROPERTY: A table needs at least one column that is not a partition key',
      );
    }

    // Every file is built before any is stored: a failure here writes nothing.
    const rows = statement.withData ? outcome.rows : [];
    const groups = new Map<string, { values: string[]; rows: (readonly (string | null)[])[] }>();
    for (const row of rows) {
      const values = row.slice(dataColumns.length).map((v) => (v === null ? '__HIVE_DEFAULT_PARTITION__' : v));
      const key = JSON.stringify(values);
      const group = groups.get(key) ?? { values, rows: [] };
      group.rows.push(row.slice(0, dataColumns.length));
      groups.set(key, group);
    }
    if (groups.size > CTAS_MAX_PARTITIONS) {
      throw new QueryRejectedError(
        `HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of ${CTAS_MAX_PARTITIONS} open writers for partitions/buckets (${groups.size} partitions)`,
      );
    }
    const files: { key: string; body: Buffer }[] = [];
    const partitions: { values: string[]; prefix: string }[] = [];
    let n = 0;
    for (const group of groups.values()) {
      const prefix = `${target.key}${keys.map((k, i) => `${k}=${escapePathValue(group.values[i]!)}/`).join('')}`;
      if (keys.length > 0) partitions.push({ values: group.values, prefix });
      for (let start = 0; start < group.rows.length; start += CTAS_ROWS_PER_FILE, n += 1) {
        const body = await this.inner.writeParquet(
          dataColumns,
          group.rows.slice(start, start + CTAS_ROWS_PER_FILE),
          statement.compression,
          `${queryId}_${n}`,
        );
        files.push({ key: `${prefix}${queryId}_${n}`, body });
        signal.throwIfAborted();
      }
    }

    for (const file of files) {
      await this.store.putObject({
        bucket: target.bucket,
        key: file.key,
        body: file.body,
        headers: { 'content-type': 'application/octet-stream' },
      });
    }
    const descriptor = (columns: Column[], at: string) => ({
      Columns: columns,
      Location: at,
      Compressed: statement.compression !== 'NONE',
      NumberOfBuckets: 0,
      ...PARQUET_STORAGE,
      Parameters: {},
      StoredAsSubDirectories: false,
    });
    const dataGlueColumns = glueColumns.slice(0, dataColumns.length);
    await this.catalog.createTable(database, {
      Name: statement.name.table,
      Retention: 0,
      TableType: 'EXTERNAL_TABLE',
      StorageDescriptor: descriptor(dataGlueColumns, location.replace(/\/$/, '')),
      PartitionKeys: glueColumns.slice(dataColumns.length),
      Parameters: {
        EXTERNAL: 'TRUE',
        has_encrypted_data: 'false',
        'parquet.compression': statement.compression === 'NONE' ? 'UNCOMPRESSED' : statement.compression,
      },
    });
    if (partitions.length > 0) {
      try {
        const errors = await this.catalog.createPartitions(
          database,
          statement.name.table,
          partitions.map((p) => ({
            Values: p.values,
            StorageDescriptor: descriptor(dataGlueColumns, `s3://${target.bucket}/${p.prefix.replace(/\/$/, '')}`),
            Parameters: {},
          })),
        );
        if (errors.length > 0) throw new Error(errors[0]!.ErrorDetail.ErrorMessage);
      } catch (err) {
        await this.catalog.deleteTable(database, statement.name.table).catch(() => {});
        throw err;
      }
    }
    const manifest = parseS3Location(output.replace(/\.csv$/, '-manifest.csv'))!;
    await this.store.putObject({
      bucket: manifest.bucket,
      key: manifest.key,
      body: files.map((f) => `s3://${target.bucket}/${f.key}\n`).join(''),
      headers: { 'content-type': 'text/csv' },
    });
    return { columns: [], rows: [], dataScannedBytes: outcome.dataScannedBytes, updateCount: rows.length };
  }
}

const EMPTY: StatementResult = { columns: [], rows: [], dataScannedBytes: 0 };

function withSlash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

/** Hive's escaping of a partition value in a path segment (`/`, `=`, `%`, `:` and control characters). */
function escapePathValue(value: string): string {
  return value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Hive escapes exactly these.
    /[\u0000-\u001f"#%'*/:=?\\\u007f{[\]^]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** The Hive DDL type (Glue column type) of a result column, from its Athena type. */
function glueType(name: string, duckdbType: string): string {
  const info = athenaColumnInfo(name, duckdbType);
  switch (info.Type) {
    case 'varchar':
      return 'string';
    case 'integer':
      return 'int';
    case 'real':
      return 'float';
    case 'decimal':
      return `decimal(${info.Precision},${info.Scale})`;
    case 'tinyint':
    case 'smallint':
    case 'bigint':
    case 'double':
    case 'boolean':
    case 'date':
    case 'timestamp':
      return info.Type;
    default:
      throw new QueryRejectedError(
        `NOT_SUPPORTED: Unsupported Hive type: ${info.Type} (column ${name}); the local CREATE TABLE AS writes scalar columns only.`,
      );
  }
}
