import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier, sqlString } from '../../../etl/sql/sqlText';
import { engineMessage } from './athenaErrors';
import { ATHENA_CATALOG } from './StatementResult';
import { TableNotReadableError, type TableSource, tableViewSql } from './tableSource';
import { TRINO_MACROS } from './trinoFunctions';

/**
 * Fills a snapshot's fresh database: the `awsdatacatalog` catalog with one schema per database, a view per
 * table over its files, and the Trino macros; then switches external access off with only `allowedFiles` (and
 * the spill directory) readable, so a query can read no other file, write none, attach nothing, install nothing.
 */
export async function createSnapshotCatalog(
  setup: DuckDBConnection,
  sources: readonly TableSource[],
  databases: readonly string[],
  allowedFiles: readonly string[],
  spillDir: string,
): Promise<void> {
  await setup.run(`ATTACH ':memory:' AS ${ATHENA_CATALOG}`);
  await setup.run(`USE ${ATHENA_CATALOG}`);
  // Athena's session zone: a timestamp without a zone is read, and a zoned one without its own written, in UTC.
  await setup.run("SET GLOBAL TimeZone = 'UTC'");
  for (const macro of TRINO_MACROS) await setup.run(macro);
  const schemas = new Set([...databases, ...sources.map((s) => s.database)]);
  for (const schema of schemas) await setup.run(`CREATE SCHEMA ${sqlIdentifier(schema)}`);
  for (const source of sources) {
    const qualified = `${source.database}.${source.name}`;
    try {
      const fileColumns = source.format === 'parquet' ? await parquetColumns(setup, source) : undefined;
      await setup.run(
        `CREATE VIEW ${sqlIdentifier(source.database)}.${sqlIdentifier(source.name)} AS ${tableViewSql(source, fileColumns)}`,
      );
    } catch (err) {
      throw new TableNotReadableError(qualified, engineMessage(err));
    }
  }
  await setup.run(`SET allowed_paths = [${allowedFiles.map(sqlString).join(', ')}]`);
  await setup.run(`SET allowed_directories = [${sqlString(`${spillDir}/`)}]`);
  await setup.run('SET enable_external_access = false');
}

/** The lower-cased column names of each Parquet file of a table, from the files' footers. */
async function parquetColumns(connection: DuckDBConnection, source: TableSource): Promise<Map<string, Set<string>>> {
  const files = source.partitions.flatMap((p) => p.files.map((f) => f.path));
  const columns = new Map<string, Set<string>>();
  if (files.length === 0) return columns;
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT file_name, lower(name) FROM parquet_schema([${files.map(sqlString).join(', ')}])`,
  );
  for (const [file, name] of reader.getRows() as [string, string][]) {
    const set = columns.get(file) ?? new Set<string>();
    set.add(name);
    columns.set(file, set);
  }
  return columns;
}
