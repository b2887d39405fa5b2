import type { DuckDBConnection } from '@duckdb/node-api';
import { LRUCache } from 'lru-cache';

/** A table a query names, as written (`catalog.schema.table`, `schema.table` or `table`). */
export interface TableReference {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
  /** 0-based offset of the reference in the query text, for Athena-style `line:column` messages. */
  readonly offset: number;
}

/** A query the local Athena refuses before running it: not parseable, several statements, or not a query. */
export class QueryRejectedError extends Error {
  readonly code = 'QUERY_REJECTED';
  constructor(
    message: string,
    /** Athena's ErrorType: 1000 for user errors. */
    readonly errorType = 1000,
  ) {
    super(message);
    this.name = 'QueryRejectedError';
  }
}

/**
 * The tables a single SELECT (or WITH … SELECT) statement reads, found in DuckDB's own parse tree
 * (`json_serialize_sql`), so nothing is guessed from the text. Names of common table expressions are not tables.
 * Anything but one SELECT statement is rejected: the local Athena is read-only.
 */
export async function statementTables(parser: DuckDBConnection, sql: string): Promise<TableReference[]> {
  const cached = parsed.get(sql);
  if (cached) return cached;
  const tables = await parseTables(parser, sql);
  parsed.set(sql, tables);
  return tables;
}

/** Recently parsed statements: the API runs the same report SQL with different parameters. */
const MAX_PARSED = 256;
const parsed = new LRUCache<string, TableReference[]>({ max: MAX_PARSED });

async function parseTables(parser: DuckDBConnection, sql: string): Promise<TableReference[]> {
  const reader = await parser.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const tree = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')) as SerializedSql;
  if (tree.error) {
    const message = String(tree.error_message ?? 'the statement cannot be parsed');
    if (tree.error_type === 'parser') {
      throw new QueryRejectedError(
        `${lineColumn(sql, tree.position)}mismatched input: ${message.replace(/^Parser Error: /, '')}`,
      );
    }
    throw new QueryRejectedError(
      `Only SELECT queries (SELECT, WITH, SHOW, DESCRIBE) run on the local Athena; this statement is not one (${message}).`,
    );
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) {
    throw new QueryRejectedError(
      statements.length === 0
        ? 'The query is empty.'
        : 'Only one SQL statement is allowed. Remove the extra statements.',
    );
  }
  const ctes = new Set<string>();
  const tables: TableReference[] = [];
  walk(statements[0], (node) => {
    if (node.cte_map && typeof node.cte_map === 'object') {
      for (const entry of (node.cte_map as { map?: { key?: string }[] }).map ?? []) {
        if (typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
      }
    }
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      tables.push({
        catalog: String(node.catalog_name ?? ''),
        schema: String(node.schema_name ?? ''),
        table: node.table_name,
        offset: Number(node.query_location ?? 0),
      });
    }
  });
  return tables.filter((t) => t.schema !== '' || t.catalog !== '' || !ctes.has(t.table.toLowerCase()));
}

interface SerializedSql {
  error?: boolean;
  error_type?: string;
  error_message?: string;
  position?: string | number;
  statements?: unknown[];
}

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value && typeof value === 'object') {
    visit(value as Node);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** Athena's `line L:C: ` prefix for a 0-based offset (empty when unknown). */
export function lineColumn(sql: string, offset: unknown): string {
  const at = Number(offset);
  if (!Number.isInteger(at) || at < 0 || at > sql.length) return '';
  const before = sql.slice(0, at).split('\n');
  return `line ${before.length}:${(before.at(-1)?.length ?? 0) + 1}: `;
}
