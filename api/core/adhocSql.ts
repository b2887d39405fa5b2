// The Trino build alone: the package's index loads all 14 dialects (cold load, median of 7 fresh processes on the
// shared dev machine: 216 ms against 64 ms; bench/sqlParserLoad.bench.ts).
import { Parser } from 'node-sql-parser/build/trino';
import { SqlNotAllowedError } from '../errors';
import { checkScopes } from './adhocScope';
import { parseableSql } from './parseableSql';

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

const parser = new Parser();

/**
 * How a statement may end its row limit, each rewritten to Trino's `OFFSET m LIMIT n` (Trino's grammar puts OFFSET
 * first and has no `LIMIT n OFFSET m`; node-sql-parser lacks FETCH; DuckDB takes all three): `OFFSET m ROWS FETCH
 * FIRST n ROWS ONLY` (or NEXT, ROW), `LIMIT n OFFSET m`, `OFFSET m ROWS`. The same rows either way.
 */
const FETCH_FIRST = /\s(?:OFFSET\s+(\d+)\s+ROWS?\s+)?FETCH\s+(?:FIRST|NEXT)\s+(\d+)\s+ROWS?\s+ONLY\s*$/i;
const LIMIT_OFFSET = /\sLIMIT\s+(\d+)\s+OFFSET\s+(\d+)(?:\s+ROWS?)?\s*$/i;
const OFFSET_ROWS = /\sOFFSET\s+(\d+)\s+ROWS?(\s+LIMIT\s+\d+)?\s*$/i;

/**
 * Validates an analyst's SQL on node-sql-parser's tree (Trino dialect): exactly one statement, a SELECT (with
 * optional WITH), reading only `database.<dataset>` tables with scoped CTE resolution, calling only allow-listed
 * functions by their plain names (`adhocScope.ts`), with its own `LIMIT n` (or `FETCH FIRST n ROWS ONLY`),
 * `n ≤ maxLimit`. The limit is enforced on the whole statement: a set operation (`UNION`, `INTERSECT`, `EXCEPT`,
 * where the parser cannot tell a LIMIT of the last branch from one of the whole) or a LIMIT above `maxRows` is
 * wrapped in `SELECT * FROM (…) AS adhoc LIMIT rowLimit + 1`, so the engine never makes more rows than that, and
 * more than `rowLimit` shows as truncation. The text is otherwise kept as written (the parser's re-rendering is
 * not trusted to preserve Trino semantics).
 */
export function adhocSql(text: string, policy: AdhocPolicy): AdhocQuery {
  const trimmed = standardLimit(text.trim().replace(/;\s*$/, ''));
  let ast: unknown;
  try {
    ast = parser.astify(parseableSql(trimmed), { database: 'trino' });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'syntax error';
    throw new SqlNotAllowedError(`The SQL does not parse as one Trino SELECT: ${message}`, err);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1 || /;\s*\S/.test(trimmed.replace(/'(?:[^']|'')*'/g, "''"))) {
    throw new SqlNotAllowedError('Send exactly one statement (no `;` between statements).');
  }
  const statement = statements[0] as Record<string, unknown>;
  if (statement['type'] !== 'select') {
    throw new SqlNotAllowedError(
      `Only SELECT is allowed; got ${String(statement['type'] ?? 'an unknown statement').toUpperCase()}.`,
    );
  }
  const tables = checkScopes(statement, policy);
  if (tables.length === 0) throw new SqlNotAllowedError(`Read at least one table of ${policy.database}.`);
  const ownLimit = limitOf(statement);
  if (ownLimit === undefined || ownLimit > policy.maxLimit) {
    throw new SqlNotAllowedError(
      `${ownLimit === undefined ? 'The SQL has no LIMIT' : `LIMIT ${ownLimit} is over the cap`}: add LIMIT n with n ≤ ${policy.maxLimit}.`,
    );
  }
  const maxRows = Math.min(policy.maxRows ?? policy.maxLimit, policy.maxLimit);
  const rowLimit = Math.min(ownLimit, maxRows);
  if (ownLimit <= maxRows && !statement['_next']) return { sql: trimmed, tables, rowLimit };
  return { sql: `SELECT * FROM (\n${trimmed}\n) AS adhoc\nLIMIT ${rowLimit + 1}`, tables, rowLimit };
}

/** The statement with its closing row limit in Trino's `OFFSET m LIMIT n` spelling (see {@link FETCH_FIRST}). */
function standardLimit(sql: string): string {
  const fetch = FETCH_FIRST.exec(sql);
  if (fetch)
    return `${sql.slice(0, fetch.index)}${fetch[1] === undefined ? '' : ` OFFSET ${fetch[1]}`} LIMIT ${fetch[2]}`;
  const limitOffset = LIMIT_OFFSET.exec(sql);
  if (limitOffset) return `${sql.slice(0, limitOffset.index)} OFFSET ${limitOffset[2]} LIMIT ${limitOffset[1]}`;
  const offset = OFFSET_ROWS.exec(sql);
  return offset ? `${sql.slice(0, offset.index)} OFFSET ${offset[1]}${offset[2] ?? ''}` : sql;
}

interface LimitClause {
  readonly seperator?: string;
  readonly value?: { type?: string; value?: unknown }[];
}

/**
 * The LIMIT closing the statement (of its last branch, for a set operation), whichever order it is written in:
 * `LIMIT n OFFSET m` is `{seperator: 'offset', value: [n, m]}`, `OFFSET m LIMIT n` is `{seperator: 'offset',
 * value: [m]}` with `_limit: {value: [n]}`, `OFFSET m` alone has no limit.
 */
function limitOf(statement: Record<string, unknown>): number | undefined {
  let last = statement;
  while (last['_next']) last = last['_next'] as Record<string, unknown>;
  const limit = last['limit'] as LimitClause | undefined;
  const values = limit?.value ?? [];
  let count: { type?: string; value?: unknown } | undefined;
  if (limit?.seperator === 'offset' && values.length === 1) {
    count = (last['_limit'] as LimitClause | undefined)?.value?.[0];
  } else if (limit?.seperator === '' || limit?.seperator === 'offset' || limit?.seperator === undefined) {
    count = values[0];
  } else {
    throw new SqlNotAllowedError('Write LIMIT n OFFSET m (Trino has no LIMIT m, n).');
  }
  if (count === undefined) return undefined;
  const n = Number(count.value);
  if (count.type !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new SqlNotAllowedError('LIMIT must be a whole number (LIMIT ALL is not accepted).');
  }
  return n;
}
