import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of Parquet files as JSON-friendly objects, read by DuckDB (the way local Athena reads them). */
export async function readParquet(
  files: readonly string[],
  sql = 'SELECT * FROM t',
): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
    await db.run(`CREATE VIEW t AS SELECT * FROM read_parquet([${list}], hive_partitioning = false)`);
    const reader = await db.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
