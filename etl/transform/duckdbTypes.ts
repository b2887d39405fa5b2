import type { ColumnType } from '../schemas/columnTypes';

/** A schema name checked by `defineDataset` (snake_case), double-quoted as a DuckDB identifier. */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a safe identifier: ${name}`);
  return `"${name}"`;
}

/** The DuckDB type of a curated column (what the Parquet files hold). */
export function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'date':
      return 'DATE';
  }
}
