import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { statementShape } from '../../../../../infra/local/athena/statementTables';
import { TRINO_MACROS } from '../../../../../infra/local/athena/trinoFunctions';

/**
 * An in-memory DuckDB with the Trino macros, opened before the file's tests and closed after; returns the first
 * row of a Trino query as DuckDB answers its translation, every value as text.
 */
export function translatedFirstRow(): (trinoSql: string) => Promise<string[]> {
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    duckdb = await instance.connect();
    for (const macro of TRINO_MACROS) await duckdb.run(macro);
  });
  afterAll(() => {
    duckdb.closeSync();
    instance.closeSync();
  });
  return async (trinoSql) => {
    const { duckdbSql } = await statementShape(duckdb, trinoSql);
    const reader = await duckdb.runAndReadAll(duckdbSql);
    return (reader.getRows()[0] ?? []).map(String);
  };
}
