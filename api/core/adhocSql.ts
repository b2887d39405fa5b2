// The Trino build alone: the package's index loads all 14 dialects (cold load, median of 7 fresh processes on the
// shared dev machine: 216 ms against 64 ms; bench/sqlParserLoad.ts).
import { Parser } from 'node-sql-parser/build/trino';
import { SqlNotAllowedError } from '../errors';

/** What an analyst's SQL may read: the dataset tables of this database. */
export interface AdhocPolicy {
  readonly database: string;
  readonly tables: readonly string[];
  /** The largest LIMIT accepted (the API's `maxResultRows`): a query without a LIMIT, or with a larger one, is refused. */
  readonly maxLimit: number;
  /**
   * Rows served at most (the request's `maxRows`): a LIMIT within `maxLimit` but above this is capped by wrapping
   * the query in `LIMIT maxRows + 1` (truncation is then visible).
   * @default maxLimit
   */
  readonly maxRows?: number;
}

/** An accepted ad-hoc query, ready to run. */
export interface AdhocQuery {
  /** The SQL to run: the analyst's, with the row limit enforced. */
  readonly sql: string;
  /** Dataset tables read (their data versions key the cached result). */
  readonly tables: readonly string[];
  /** Rows served at most. */
  readonly rowLimit: number;
}

/**
 * Table functions and functions that read files, the environment or settings (DuckDB's locally, Trino's on
 * AWS): refused wherever they appear, whatever the catalog allows.
 */
const FORBIDDEN_FUNCTION =
  /^(read_\w*|parquet_\w*|glob|sniff_csv|iceberg_\w*|delta_scan|query|query_table|getenv|current_setting|pragma_\w*|duckdb_\w*|system|sql_auto_complete|load|install|which_secret|json_execute_serialized_sql)$/i;

const parser = new Parser();

/**
 * Validates an analyst's SQL with a real parser (node-sql-parser, Trino dialect): exactly one statement, a
 * SELECT (with optional WITH), reading only `database.<dataset>` tables (no other catalogs or schemas, no
 * `information_schema`, no table functions or file readers), with its own `LIMIT n`, `n ≤ maxLimit` (a query
 * without one, or with a larger one, is refused before anything runs). A LIMIT above `maxRows` is capped by
 * wrapping the query. The original text is kept otherwise (the parser's re-rendering is not trusted to preserve
 * Trino semantics).
 */
export function adhocSql(text: string, policy: AdhocPolicy): AdhocQuery {
  const trimmed = text.trim().replace(/;\s*$/, '');
  let ast: unknown;
  try {
    ast = parser.astify(trimmed, { database: 'trino' });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'syntax error';
    throw new SqlNotAllowedError(`The SQL does not parse as one Trino SELECT: ${message}`, err);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1 || /;\s*\S/.test(trimmed.replace(/'(?:[^']|'')*'/g, "''"))) {
    throw new SqlNotAllowedError('Send exactly one statement (no `;` between statements).');
  }
  const statement = statements[0] as { type?: string; limit?: { value?: { value?: unknown }[] } };
  if (statement.type !== 'select') {
    throw new SqlNotAllowedError(
      `Only SELECT is allowed; got ${String(statement.type ?? 'an unknown statement').toUpperCase()}.`,
    );
  }
  const cteNames = new Set<string>();
  collect(statement, (node) => {
    const name = (node as { name?: { value?: unknown } }).name?.value;
    if ('stmt' in node && typeof name === 'string') cteNames.add(name.toLowerCase());
  });
  const tables = new Set<string>();
  let tableList: string[];
  try {
    tableList = parser.tableList(trimmed, { database: 'trino' });
  } catch (err) {
    throw new SqlNotAllowedError('The SQL does not parse as one Trino SELECT.', err);
  }
  for (const entry of tableList) {
    const [operation, db, table] = entry.split('::');
    if (operation !== 'select') throw new SqlNotAllowedError(`Only reading is allowed (found ${operation}).`);
    const tableName = (table ?? '').toLowerCase();
    if ((db === 'null' || db === undefined) && cteNames.has(tableName)) continue;
    if (db?.toLowerCase() !== policy.database || !policy.tables.includes(tableName)) {
      throw new SqlNotAllowedError(
        `Table ${db === 'null' ? '' : `${db}.`}${table} is not readable: use ${policy.tables.map((t) => `${policy.database}.${t}`).join(' or ')}.`,
      );
    }
    tables.add(tableName);
  }
  collect(statement, (node) => {
    const fn = functionName(node);
    if (fn && FORBIDDEN_FUNCTION.test(fn)) throw new SqlNotAllowedError(`Function ${fn} is not allowed in ad-hoc SQL.`);
    if (
      (node as { table?: unknown; expr?: { type?: string } }).expr?.type === 'function' &&
      'as' in node &&
      !('table' in node)
    ) {
      const from = functionName((node as unknown as { expr: unknown }).expr);
      if (from) throw new SqlNotAllowedError(`Table function ${from} is not allowed in ad-hoc SQL.`);
    }
  });
  if (tables.size === 0) throw new SqlNotAllowedError(`Read at least one table of ${policy.database}.`);
  const ownLimit = limitOf(statement);
  if (ownLimit === undefined || ownLimit > policy.maxLimit) {
    throw new SqlNotAllowedError(
      `${ownLimit === undefined ? 'The SQL has no LIMIT' : `LIMIT ${ownLimit} is over the cap`}: add LIMIT n with n ≤ ${policy.maxLimit}.`,
    );
  }
  const maxRows = Math.min(policy.maxRows ?? policy.maxLimit, policy.maxLimit);
  if (ownLimit <= maxRows) return { sql: trimmed, tables: [...tables].sort(), rowLimit: ownLimit };
  const sql = `SELECT * FROM (\n${trimmed}\n) AS adhoc\nLIMIT ${maxRows + 1}`;
  return { sql, tables: [...tables].sort(), rowLimit: maxRows };
}

function limitOf(statement: { limit?: { value?: { value?: unknown }[] } }): number | undefined {
  const values = statement.limit?.value ?? [];
  if (values.length === 0) return undefined;
  const last = values[values.length - 1]?.value;
  const n = Number(last);
  if (!Number.isInteger(n) || n < 0) throw new SqlNotAllowedError('LIMIT must be a whole number.');
  return n;
}

function functionName(node: unknown): string | undefined {
  const n = node as { type?: string; name?: unknown };
  if (n?.type !== 'function' && n?.type !== 'aggr_func') return undefined;
  const name = n.name as { name?: { value?: string }[] } | string | undefined;
  if (typeof name === 'string') return name;
  const parts = name?.name?.map((p) => p.value).filter((v): v is string => typeof v === 'string') ?? [];
  return parts.length > 0 ? parts[parts.length - 1] : undefined;
}

function collect(node: unknown, visit: (node: object) => void, depth = 0): void {
  if (depth > 200 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collect(child, visit, depth + 1);
    return;
  }
  visit(node);
  for (const child of Object.values(node)) collect(child, visit, depth + 1);
}
