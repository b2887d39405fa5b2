import type { DuckDBConnection } from '@duckdb/node-api';
import { LRUCache } from 'lru-cache';
import { refuseDuckDbOnly } from './duckdbOnlySql';
import { parseTreeJson, treeJson } from './parseTree';
import { lineColumn, QueryRejectedError } from './QueryRejectedError';
import { listaggWithinGroup, parenthesizedValues } from './trinoTextForms';
import { translateTree } from './trinoTranslation';
import { mayNeedTypedRules } from './typedRules';

/** A table a query names, as written (`catalog.schema.table`, `schema.table` or `table`). */
export interface TableReference {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
  /** 0-based offset of the reference in the query text, for Athena-style `line:column` messages. */
  readonly offset: number;
}

/** What the local engine needs to know of a statement before and after running it. */
export interface StatementShape {
  /** The catalog tables it reads (common table expressions resolved in their scopes). */
  readonly tables: readonly TableReference[];
  /**
   * The result's column names as Athena (Trino) gives them, by position: an alias, a column's own name, or
   * `_col<position>` for any other unaliased expression; undefined where DuckDB's name stands (a `*` over a table),
   * and undefined as a whole when the positions cannot be known.
   */
  readonly outputNames: readonly (string | undefined)[] | undefined;
  /** The statement as DuckDB runs it with Trino's meaning ({@link translateTree}). */
  readonly duckdbSql: string;
  /** The translated parse tree (for rewrites that need the tables' column types). */
  readonly translatedTree: string;
  /** Whether it calls anything whose Trino meaning depends on types known once the tables are (typedRules.ts). */
  readonly mayNeedTypedRules: boolean;
  /** Comparisons of a column with a string literal (`d = '2020-01-01'`), for the type check Trino makes. */
  readonly literalComparisons: readonly LiteralComparison[];
}

/** A column compared with a string literal, as written. */
export interface LiteralComparison {
  readonly column: string;
  /** The operator between them, in the order written (`varchar(10) <= date` when the literal comes first). */
  readonly operator: string;
  readonly literalFirst: boolean;
  readonly literalLength: number;
  readonly offset: number;
}

/**
 * The tables a single SELECT (or WITH … SELECT) statement reads, found in DuckDB's own parse tree
 * (`json_serialize_sql`), so nothing is guessed from the text. A common table expression's name hides a table
 * only in the query that defines it (its later CTEs, its body and the subqueries in them), as in Trino: a name
 * used outside that scope is a table, looked up in the catalog. Table functions (DuckDB's `read_csv`, `glob`, …)
 * are refused as Athena refuses them, except UNNEST and DuckDB's number generators ({@link TABLE_FUNCTIONS}). Anything but one SELECT statement is
 * rejected: the local Athena is read-only.
 */
export async function statementTables(parser: DuckDBConnection, sql: string): Promise<readonly TableReference[]> {
  return (await statementShape(parser, sql)).tables;
}

/** {@link statementTables} with the result's Athena column names. */
export async function statementShape(parser: DuckDBConnection, sql: string): Promise<StatementShape> {
  const cached = parsed.get(sql);
  if (cached) return cached;
  const shape = await parseShape(parser, sql);
  parsed.set(sql, shape);
  return shape;
}

/** Recently parsed statements: the API runs the same report SQL with different parameters. */
const MAX_PARSED = 256;
const parsed = new LRUCache<string, StatementShape>({ max: MAX_PARSED });

/**
 * Table functions the local engine runs: Trino's UNNEST, and DuckDB's number generators (`range`,
 * `generate_series`: they read nothing; the stack's own tests build rows with them). Every other one (`read_csv`,
 * `glob`, `read_text`, …) is refused before DuckDB sees it, whatever its file permissions would allow.
 */
const TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['unnest', 'range', 'generate_series']);

async function parseShape(parser: DuckDBConnection, trinoSql: string): Promise<StatementShape> {
  // Trino's `VALUES 1, 2` and `listagg(...) WITHIN GROUP (ORDER BY ...)` as DuckDB's parser reads them (the only
  // forms adjusted before parsing: the parser cannot read them, so there is no tree to translate).
  const sql = listaggWithinGroup(parenthesizedValues(trinoSql));
  const reader = await parser.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  // DuckDB's "no location" (2^64 - 1) is beyond a double's precision: read as -1, written back as it was.
  const tree = parseTreeJson(String(reader.getRows()[0]?.[0] ?? '{}')) as SerializedSql;
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
  const tables: TableReference[] = [];
  const root = (statements[0] as Node)['node'];
  scoped(root, new Set(), sql, tables);
  const names = outputNames(root);
  refuseDuckDbOnly(sql, root);
  const literalComparisons = comparisonsWithLiterals(root);
  await translateTree(parser, statements, sql);
  const translatedTree = treeJson(tree);
  const rendered = await parser.runAndReadAll('SELECT json_deserialize_sql($1::JSON)', [translatedTree]);
  return {
    tables,
    outputNames: names,
    duckdbSql: String(rendered.getRows()[0]?.[0]),
    literalComparisons,
    translatedTree,
    mayNeedTypedRules: mayNeedTypedRules(tree),
  };
}

const COMPARISON_OPERATORS: Readonly<Record<string, string>> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_GREATERTHAN: '>',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHANOREQUALTO: '>=',
};

/** Every comparison of a column reference with a string constant in the tree. */
function comparisonsWithLiterals(root: unknown): LiteralComparison[] {
  const found: LiteralComparison[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    const operator = node['class'] === 'COMPARISON' ? COMPARISON_OPERATORS[String(node['type'])] : undefined;
    if (operator) {
      const left = node['left'] as Node;
      const right = node['right'] as Node;
      const literal = (n: Node) =>
        n['class'] === 'CONSTANT' && (n['value'] as { type?: { id?: string } })?.type?.id === 'VARCHAR';
      const column = (n: Node) => (n['class'] === 'COLUMN_REF' ? (n['column_names'] as string[]).at(-1) : undefined);
      const [col, lit, literalFirst] = literal(right) ? [column(left), right, false] : [column(right), left, true];
      if (col && literal(lit)) {
        found.push({
          column: col,
          operator,
          literalFirst,
          literalLength: [...String((lit['value'] as { value: unknown }).value)].length,
          offset: Number(node['query_location']),
        });
      }
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(root);
  return found;
}

/** Walks any part of the tree; a query node opens a scope for the CTEs it defines. */
function scoped(value: unknown, ctes: ReadonlySet<string>, sql: string, tables: TableReference[]): void {
  if (Array.isArray(value)) {
    for (const item of value) scoped(item, ctes, sql, tables);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const node = value as Node;
  let scope = ctes;
  if (node['cte_map'] && typeof node['cte_map'] === 'object') {
    const inner = new Set(ctes);
    for (const entry of (node['cte_map'] as { map?: { key?: string; value?: unknown }[] }).map ?? []) {
      // A CTE sees the ones before it (and itself, for WITH RECURSIVE, which DuckDB resolves in its own node).
      scoped(entry.value, inner, sql, tables);
      if (typeof entry.key === 'string') inner.add(entry.key.toLowerCase());
    }
    scope = inner;
  }
  if (node['type'] === 'BASE_TABLE' && typeof node['table_name'] === 'string') {
    const reference = {
      catalog: String(node['catalog_name'] ?? ''),
      schema: String(node['schema_name'] ?? ''),
      table: node['table_name'],
      offset: Number(node['query_location'] ?? 0),
    };
    if (reference.schema !== '' || reference.catalog !== '' || !scope.has(reference.table.toLowerCase())) {
      tables.push(reference);
    }
  }
  if (node['type'] === 'TABLE_FUNCTION') {
    const name = String((node['function'] as Node | undefined)?.['function_name'] ?? '');
    if (!TABLE_FUNCTIONS.has(name.toLowerCase())) {
      throw new QueryRejectedError(
        `FUNCTION_NOT_FOUND: ${lineColumn(sql, node['query_location'])}Table function '${name}' not registered`,
      );
    }
  }
  for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') scoped(child, scope, sql, tables);
}

/** Athena's names of a query node's result columns (see {@link StatementShape.outputNames}). */
function outputNames(node: unknown): (string | undefined)[] | undefined {
  const query = node as Node | undefined;
  if (query?.['type'] === 'SET_OPERATION_NODE') return outputNames(query['left']);
  if (query?.['type'] !== 'SELECT_NODE') return undefined;
  const names: (string | undefined)[] = [];
  for (const item of (query['select_list'] as Node[] | undefined) ?? []) {
    if (typeof item['alias'] === 'string' && item['alias'] !== '') {
      names.push(item['alias']);
    } else if (item['class'] === 'COLUMN_REF') {
      names.push((item['column_names'] as string[] | undefined)?.at(-1));
    } else if (item['class'] === 'STAR') {
      const from = query['from_table'] as Node | undefined;
      const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
      const plain =
        !item['relation_name'] && !item['columns'] && empty(item['exclude_list']) && empty(item['replace_list']);
      const inner =
        plain && from?.['type'] === 'SUBQUERY' ? outputNames((from['subquery'] as Node)['node']) : undefined;
      if (!inner) return undefined;
      names.push(...inner);
    } else {
      names.push(`_col${names.length}`);
    }
  }
  return names;
}

interface SerializedSql {
  error?: boolean;
  error_type?: string;
  error_message?: string;
  position?: string | number;
  statements?: unknown[];
}

type Node = Record<string, unknown>;
