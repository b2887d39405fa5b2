import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { LRUCache } from 'lru-cache';
import type { ExecutionParameter } from './executionParameter';
import type { StatementResult } from './StatementResult';
import { trinoText } from './trinoText';

/** Prepared statements kept per connection for repeated SQL. @default 32 */
const MAX_PREPARED_PER_CONNECTION = 32;

/** A query prepared as Trino-text rows, and its result's columns. */
export interface PreparedQuery {
  /** Identifies the statement (its SQL and its parameters' kinds) within a snapshot. */
  readonly key: string;
  readonly statement: DuckDBPreparedStatement;
  readonly columns: StatementResult['columns'];
}

/**
 * Each connection's prepared statements rendering a query's rows as Trino text, kept (least recently used
 * dropped) for the next run of the same SQL with parameters of the same kinds: the API runs the same report SQL
 * again and again, and preparing binds every file of the tables' views.
 */
export class PreparedQueries {
  private readonly byConnection = new Map<DuckDBConnection, LRUCache<string, PreparedQuery>>();

  /** The statement for `query` on `connection`; undefined when the result's types depend on the parameters' values. */
  async get(
    connection: DuckDBConnection,
    query: string,
    parameters: readonly ExecutionParameter[],
  ): Promise<PreparedQuery | undefined> {
    const key = PreparedQueries.keyOf(query, parameters);
    let cache = this.byConnection.get(connection);
    if (!cache) {
      // A statement leaving the cache (dropped as least recently used, or with its connection) is destroyed.
      cache = new LRUCache({ max: MAX_PREPARED_PER_CONNECTION, dispose: (old) => old.statement.destroySync() });
      this.byConnection.set(connection, cache);
    }
    const cached = cache.get(key);
    if (cached) return cached;
    // Planning only (nothing runs): the result's names and types, to render each column as Trino does.
    const shape = await connection.prepare(query);
    const resolved = Array.from({ length: shape.columnCount }, (_, i) => shape.columnTypeId(i) !== 0).every(Boolean);
    const columns = Array.from({ length: resolved ? shape.columnCount : 0 }, (_, i) => ({
      name: shape.columnName(i),
      duckdbType: String(shape.columnType(i)),
    }));
    shape.destroySync();
    if (columns.length === 0) return undefined;
    const aliases = columns.map((_, i) => `c${i}`);
    const projection = columns.map((c, i) => trinoText(c.duckdbType, aliases[i] as string));
    const statement = await connection.prepare(
      `SELECT ${projection.join(', ')} FROM (${query}\n) AS __athena_result(${aliases.join(', ')})`,
    );
    const prepared = { key, statement, columns };
    cache.set(key, prepared);
    return prepared;
  }

  /** Destroys the connection's statements (before it is closed). */
  drop(connection: DuckDBConnection): void {
    this.byConnection.get(connection)?.clear();
    this.byConnection.delete(connection);
  }

  /** A statement's key: its parameters' kinds and its SQL. */
  static keyOf(query: string, parameters: readonly ExecutionParameter[]): string {
    const kinds = parameters.map((p) => (p.kind === 'typed' ? p.duckdbType : p.kind)).join(',');
    return `${kinds}\u0000${query}`;
  }
}
