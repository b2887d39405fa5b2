import { SqlNotAllowedError } from '../errors';
import { ADHOC_FUNCTIONS, FILE_OR_SYSTEM_FUNCTION } from './adhocFunctions';

/** What a query may read: `database.<table>` for the tables listed. */
export interface ReadableTables {
  readonly database: string;
  readonly tables: readonly string[];
}

/** A node of node-sql-parser's tree (Trino build): plain JSON. */
type Node = Record<string, unknown>;

/** A common table expression's name: a plain identifier (never a quoted path a file reader would take). */
const CTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Table-valued expressions allowed in FROM: only UNNEST (Trino's relation syntax); every table function is refused. */
const FROM_FUNCTIONS: ReadonlySet<string> = new Set(['unnest']);

/**
 * Checks the tables and functions of one parsed SELECT with scoped name resolution, and returns the dataset
 * tables it reads:
 * - a common table expression hides a table only inside the statement or subquery whose WITH defines it, for the
 *   CTEs after it and its body (and the set operation it heads, unless the WITH sits inside parentheses); any
 *   other unqualified name is a table, and must be one of `database.<table>`;
 * - every function is called by its plain name and is in {@link ADHOC_FUNCTIONS}; in FROM only UNNEST;
 * - every table reference in the tree was resolved by the walk (a construct the walk does not know is refused,
 *   not let through).
 */
export function checkScopes(statement: Node, readable: ReadableTables): string[] {
  const walk = new ScopeWalk(readable);
  walk.select(statement, new Set());
  for (const node of everyNode(statement)) {
    const isCall = node['type'] === 'function' || node['type'] === 'aggr_func';
    if (isCall && !FROM_FUNCTIONS.has(functionName(node).toLowerCase())) checkFunction(node);
    if (isTableReference(node) && !walk.resolved.has(node)) {
      throw new SqlNotAllowedError(
        `Table ${tableName(node)} is used where ad-hoc SQL cannot check it; rewrite the query.`,
      );
    }
  }
  return [...walk.tables].sort();
}

class ScopeWalk {
  readonly tables = new Set<string>();
  readonly resolved = new Set<Node>();

  constructor(private readonly readable: ReadableTables) {}

  select(node: Node, outer: ReadonlySet<string>): void {
    const into = node['into'] as { position?: unknown } | undefined;
    if (into?.position) throw new SqlNotAllowedError('SELECT … INTO is not allowed: ad-hoc SQL only reads.');
    const scope = new Set(outer);
    for (const cte of (node['with'] as Node[] | null) ?? []) {
      const name = String((cte['name'] as Node | undefined)?.['value'] ?? '');
      if (!CTE_NAME.test(name)) {
        throw new SqlNotAllowedError(
          `Name the common table expression ${JSON.stringify(name)} with a plain identifier (letters, digits, _).`,
        );
      }
      // Trino's WITH is not recursive: a CTE sees the ones before it, not itself.
      this.expression(cte['stmt'], scope);
      scope.add(name.toLowerCase());
    }
    for (const item of (node['from'] as Node[] | null) ?? []) this.fromItem(item, scope);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'with' || key === 'from' || key === '_next') continue;
      this.expression(value, scope);
    }
    const next = node['_next'] as Node | undefined;
    // `(WITH x AS … SELECT …) UNION ALL SELECT … FROM x`: the parenthesised WITH does not reach the next branch.
    if (next) this.select(next, node['parentheses_symbol'] ? outer : scope);
  }

  private fromItem(item: Node, scope: ReadonlySet<string>): void {
    if (isTableReference(item)) {
      this.table(item, scope);
    } else {
      const expr = item['expr'] as Node | undefined;
      if (expr && (expr['type'] === 'function' || expr['type'] === 'aggr_func')) {
        const name = functionName(expr);
        if (!FROM_FUNCTIONS.has(name.toLowerCase())) {
          throw new SqlNotAllowedError(
            `Table function ${name} is not allowed in ad-hoc SQL: read ${this.readableList()} (UNNEST is allowed).`,
          );
        }
        this.expression(expr['args'], scope);
      } else {
        this.expression(expr, scope);
      }
    }
    for (const [key, value] of Object.entries(item)) {
      if (key !== 'expr' && key !== 'db' && key !== 'table') this.expression(value, scope);
    }
  }

  private table(ref: Node, scope: ReadonlySet<string>): void {
    this.resolved.add(ref);
    const db = ref['db'] === null || ref['db'] === undefined ? undefined : String(ref['db']).toLowerCase();
    const table = String(ref['table']).toLowerCase();
    if (db === undefined && scope.has(table)) return;
    if (db !== this.readable.database || !this.readable.tables.includes(table)) {
      throw new SqlNotAllowedError(`Table ${tableName(ref)} is not readable: use ${this.readableList()}.`);
    }
    this.tables.add(table);
  }

  /** Any expression: functions are checked, subqueries walked in the scope they appear in. */
  private expression(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.expression(item, scope);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if (node['type'] === 'select' && 'columns' in node) {
      this.select(node, scope);
      return;
    }
    if (node['ast'] && typeof node['ast'] === 'object') {
      this.expression(node['ast'], scope);
      return;
    }
    if (node['type'] === 'function' || node['type'] === 'aggr_func') checkFunction(node);
    for (const child of Object.values(node)) this.expression(child, scope);
  }

  private readableList(): string {
    return this.readable.tables.map((t) => `${this.readable.database}.${t}`).join(' or ');
  }
}

function checkFunction(node: Node): void {
  const name = functionName(node);
  if (name.includes('.')) {
    throw new SqlNotAllowedError(
      `Function ${name} is not allowed: call functions by their plain name, without a schema or catalog.`,
    );
  }
  const lower = name.toLowerCase();
  if (FILE_OR_SYSTEM_FUNCTION.test(lower)) {
    throw new SqlNotAllowedError(
      `Function ${name} is not allowed in ad-hoc SQL: it reads files, the environment or settings.`,
    );
  }
  if (!ADHOC_FUNCTIONS.has(lower)) {
    throw new SqlNotAllowedError(
      `Function ${name} is not allowed in ad-hoc SQL: it is not one of the Trino functions on the allow-list (docs/api.md, "Ad-hoc SQL").`,
    );
  }
}

/** `round`, `main.getenv`, `COUNT`: the name as written, qualified with its schema when it has one. */
function functionName(node: Node): string {
  const name = node['name'];
  if (typeof name === 'string') return name;
  const n = name as { name?: unknown; schema?: { value?: unknown } } | undefined;
  const parts = (Array.isArray(n?.name) ? n.name : [n?.name]).map((p) =>
    String((p as Node | undefined)?.['value'] ?? ''),
  );
  const schema = n?.schema?.value;
  return [...(schema ? [String(schema)] : []), ...parts].filter((p) => p !== '').join('.') || '(unnamed)';
}

function isTableReference(node: Node): boolean {
  return typeof node['table'] === 'string' && 'db' in node && node['type'] !== 'column_ref';
}

function tableName(ref: Node): string {
  return ref['db'] ? `${String(ref['db'])}.${String(ref['table'])}` : String(ref['table']);
}

function* everyNode(value: unknown, depth = 0): Generator<Node> {
  if (depth > 500 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) yield* everyNode(item, depth + 1);
    return;
  }
  yield value as Node;
  for (const child of Object.values(value)) yield* everyNode(child, depth + 1);
}
