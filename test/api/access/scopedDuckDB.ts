import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ScopedQuery } from '../../../api/access/applyScope';
import { curatedColumns, DATASETS, PARTITION_COLUMNS } from '../../../etl/schemas';

/**
 * An in-memory DuckDB with the curated tables under schema `examlake` (every column as VARCHAR but the
 * numbers): real SQL to run scoped queries against, so tests check what a scope returns, not only its text.
 */
export class ScopedDuckDB {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(rows: Record<string, readonly Record<string, string | number>[]>): Promise<ScopedDuckDB> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE SCHEMA examlake');
    for (const dataset of Object.values(DATASETS)) {
      const columns = [...curatedColumns(dataset).map((c) => c.name), ...PARTITION_COLUMNS.map((c) => c.name)];
      const typed = columns.map(
        (c) =>
          `${c} ${['score', 'max_score', 'year', 'month'].includes(c) ? 'DOUBLE' : ['started_at', 'submitted_at'].includes(c) ? 'TIMESTAMP' : 'VARCHAR'}`,
      );
      await connection.run(`CREATE TABLE examlake.${dataset.name} (${typed.join(', ')})`);
      for (const row of rows[dataset.name] ?? []) {
        const names = Object.keys(row);
        await connection.run(
          `INSERT INTO examlake.${dataset.name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
          names.map((n) => row[n]!),
        );
      }
    }
    return new ScopedDuckDB(instance, connection);
  }

  async run(query: ScopedQuery): Promise<Record<string, unknown>[]> {
    const values = query.parameters.map((p) => (typeof p === 'object' ? p.date : p));
    const reader = await this.connection.runAndReadAll(query.sql, values as (string | number | boolean)[]);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
