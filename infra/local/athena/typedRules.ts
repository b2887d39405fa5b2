import type { DuckDBConnection } from '@duckdb/node-api';
import { type Node, visit } from './parseTree';
import { instantiate } from './trinoTemplates';

/** An exact numeric type as Trino sees it: a decimal, or an integer type (its precision, scale 0). */
export interface ExactType {
  readonly precision: number;
  readonly scale: number;
  /** False for integer types (Trino converts them to `decimal(p,0)` when they meet a decimal). */
  readonly decimal: boolean;
}

/** The exact numeric (or date) columns of the tables a query reads, by lower-cased name (names of two types left out). */
export type ExactColumns = ReadonlyMap<string, ExactType | 'date'>;

const MAX_PRECISION = 38;

const INTEGER_PRECISION: Readonly<Record<string, number>> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19 };

/** The exact type of a DuckDB column type (`DECIMAL(7,2)`, `INTEGER`), `date`, undefined for any other. */
export function exactTypeOf(duckdbType: string): ExactType | 'date' | undefined {
  const upper = duckdbType.toUpperCase();
  if (upper === 'DATE') return 'date';
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return { precision: Number(decimal[1]), scale: Number(decimal[2]), decimal: true };
  const integer = INTEGER_PRECISION[upper];
  return integer ? { precision: integer, scale: 0, decimal: false } : undefined;
}

/** Functions whose Trino meaning may depend on their arguments' types (decimal or date rules below). */
const TYPED_FUNCTIONS: ReadonlySet<string> = new Set(['avg', '/', '+', '-', 'date_trunc', 'date_add']);

/** Whether the translated tree calls anything whose meaning depends on types known once the tables are. */
export function mayNeedTypedRules(tree: unknown): boolean {
  let found = false;
  visit(tree, (node) => {
    if (node['class'] === 'FUNCTION' && TYPED_FUNCTIONS.has(String(node['function_name']).toLowerCase())) found = true;
  });
  return found;
}

/** Functions giving a date. */
const DATE_FUNCTIONS: ReadonlySet<string> = new Set(['current_date', 'from_iso8601_date', 'date', 'last_day_of_month']);

/**
 * The translated tree with Trino's rules where they depend on types and DuckDB's differ. Dates: a date plus or
 * minus an interval, and `date_trunc`/`date_add` of a date, are dates (DuckDB: timestamps). Decimals (DuckDB
 * gives a double for both):
 * - `avg` of a `decimal(p,s)` is a `decimal(p,s)`, the exact mean rounded half away from zero;
 * - `a / b` with a decimal operand is a `decimal(min(38, p1 + s2 + max(0, s2 - s1)), max(s1, s2))`, the exact
 *   quotient rounded half away from zero (an integer operand counts as `decimal(10,0)` for integer, 19 for bigint).
 * Types are inferred from the tree: decimal and integer literals, casts, the tables' columns (`columns`), `+ - * /`,
 * `CASE`, `sum`, `min`, `max`, `abs`, `count` (bigint). Computed in integers (HUGEINT units of the last decimal place), so no double
 * rounding enters. Undefined when nothing changed.
 */
export async function withTypedRules(
  parser: DuckDBConnection,
  tree: unknown,
  tableColumns: ExactColumns,
): Promise<unknown | undefined> {
  // A name a subquery or CTE gives to an expression (an alias, a column list) may not be the table's column where
  // it is read, so it is left untyped. The outermost select list's own aliases are read by no expression typed here.
  const outermost = new Set(
    ((tree as { statements?: { node?: Node }[] }).statements?.[0]?.node?.['select_list'] as Node[] | undefined) ?? [],
  );
  const aliases = new Set<string>();
  visit(tree, (node) => {
    if (typeof node['alias'] === 'string' && node['alias'] !== '' && !outermost.has(node)) {
      aliases.add(node['alias'].toLowerCase());
    }
    for (const name of (node['column_name_alias'] as unknown[] | undefined) ?? [])
      aliases.add(String(name).toLowerCase());
  });
  const columns: ExactColumns = new Map([...tableColumns].filter(([name]) => !aliases.has(name)));
  let changed = false;
  const types = new WeakMap<Node, ExactType>();
  const dates = new WeakSet<Node>();
  const rewrite = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = await rewrite(value[i]);
      return value;
    }
    if (!value || typeof value !== 'object') return value;
    let node = value as Node;
    for (const key of Object.keys(node)) node[key] = await rewrite(node[key]);
    const children = (node['children'] as Node[] | undefined) ?? [];
    const typeOf = (n: Node | undefined) => (n ? types.get(n) : undefined);
    const name = node['class'] === 'FUNCTION' ? String(node['function_name']).toLowerCase() : '';
    if (name === 'avg' && !node['distinct'] && children.length === 1 && typeOf(children[0])?.decimal) {
      const type = typeOf(children[0]) as ExactType;
      node = await instantiate(parser, decimalAverage(type.precision, type.scale), children, node);
      changed = true;
      types.set(node, type);
      return node;
    }
    if (name === '/' && node['is_operator'] && children.length === 2) {
      const [a, b] = [typeOf(children[0]), typeOf(children[1])];
      if (a && b && (a.decimal || b.decimal)) {
        const scale = Math.max(a.scale, b.scale);
        const precision = Math.min(MAX_PRECISION, a.precision + b.scale + Math.max(0, b.scale - a.scale));
        node = await instantiate(parser, decimalDivision(a.scale, b.scale, precision, scale), children, node);
        changed = true;
        types.set(node, { precision, scale, decimal: true });
        return node;
      }
    }
    const dateForm = dateRule(node, name, children, dates, columns);
    if (dateForm) {
      node = await instantiate(parser, dateForm, children, node);
      changed = true;
    }
    if (dateForm || isDate(node, name, columns)) {
      dates.add(node);
      return node;
    }
    const type = inferType(node, children, typeOf, columns);
    if (type) types.set(node, type);
    return node;
  };
  const result = await rewrite(tree);
  return changed ? result : undefined;
}

/** Whether a node gives a date by its own form (a cast, a date function, a date column). */
function isDate(node: Node, name: string, columns: ExactColumns): boolean {
  if (node['class'] === 'CAST') return (node['cast_type'] as Node | undefined)?.['id'] === 'DATE';
  if (node['class'] === 'COLUMN_REF') {
    return columns.get(String((node['column_names'] as string[]).at(-1)).toLowerCase()) === 'date';
  }
  return DATE_FUNCTIONS.has(name);
}

/** The template keeping a date arithmetic's result a date, or undefined. */
function dateRule(
  node: Node,
  name: string,
  children: readonly Node[],
  dates: WeakSet<Node>,
  columns: ExactColumns,
): string | undefined {
  if (node['class'] !== 'FUNCTION') return undefined;
  const date = (i: number) =>
    children[i] !== undefined && (dates.has(children[i] as Node) || isDate(children[i] as Node, '', columns));
  if (node['is_operator'] && children.length === 2 && (name === '+' || name === '-')) {
    if (date(0) && !date(1)) return `CAST(__arg1 ${name} __arg2 AS DATE)`;
    if (name === '+' && date(1) && !date(0)) return 'CAST(__arg1 + __arg2 AS DATE)';
  }
  if (!node['is_operator'] && name === 'date_trunc' && children.length === 2 && date(1)) {
    return 'CAST(date_trunc(__arg1, __arg2) AS DATE)';
  }
  if (!node['is_operator'] && name === 'date_add' && children.length === 3 && date(2)) {
    return 'CAST(date_add(__arg1, __arg2, __arg3) AS DATE)';
  }
  return undefined;
}

function inferType(
  node: Node,
  children: readonly Node[],
  typeOf: (n: Node | undefined) => ExactType | undefined,
  columns: ExactColumns,
): ExactType | undefined {
  if (node['class'] === 'CONSTANT') {
    const type = (node['value'] as { type?: { id?: string; type_info?: { width?: number; scale?: number } } }).type;
    if (type?.id === 'DECIMAL') {
      return { precision: Number(type.type_info?.width), scale: Number(type.type_info?.scale), decimal: true };
    }
    const exact = type?.id ? exactTypeOf(type.id) : undefined;
    return exact === 'date' ? undefined : exact;
  }
  if (node['class'] === 'COLUMN_REF') {
    const type = columns.get(String((node['column_names'] as string[]).at(-1)).toLowerCase());
    return type === 'date' ? undefined : type;
  }
  if (node['class'] === 'CAST' && !node['try_cast']) {
    const cast = node['cast_type'] as { id?: string; type_info?: { width?: number; scale?: number } } | undefined;
    if (cast?.id === 'DECIMAL') {
      return { precision: Number(cast.type_info?.width), scale: Number(cast.type_info?.scale), decimal: true };
    }
    const type = cast?.id ? exactTypeOf(cast.id) : undefined;
    return type === 'date' ? undefined : type;
  }
  if (node['class'] === 'CASE') {
    const branches = [
      ...((node['case_checks'] as { then_expr: Node }[] | undefined) ?? []).map((c) => c.then_expr),
      node['else_expr'] as Node,
    ].filter((b) => b && !(b['class'] === 'CONSTANT' && (b['value'] as { is_null?: boolean }).is_null));
    const types = branches.map(typeOf);
    if (types.length === 0 || types.some((t) => !t)) return undefined;
    return (types as ExactType[]).reduce(commonType);
  }
  if (node['class'] !== 'FUNCTION') return undefined;
  const name = String(node['function_name']).toLowerCase();
  const [a, b] = [typeOf(children[0]), typeOf(children[1])];
  if (node['is_operator'] && children.length === 2 && a && b) {
    if (!a.decimal && !b.decimal) return undefined;
    if (name === '+' || name === '-') {
      const scale = Math.max(a.scale, b.scale);
      const integer = Math.max(a.precision - a.scale, b.precision - b.scale);
      return { precision: Math.min(MAX_PRECISION, integer + scale + 1), scale, decimal: true };
    }
    if (name === '*') {
      return { precision: Math.min(MAX_PRECISION, a.precision + b.precision), scale: a.scale + b.scale, decimal: true };
    }
    return undefined;
  }
  if (children.length === 1 && a?.decimal) {
    if (name === 'sum') return { precision: MAX_PRECISION, scale: a.scale, decimal: true };
    if (['min', 'max', 'abs', 'trino_divisor', '-'].includes(name)) return a;
  }
  if (name === 'trino_divisor' && children.length === 1) return a;
  if (['count', 'count_star', 'count_if', 'approx_distinct', 'length', 'cardinality'].includes(name)) {
    return { precision: 19, scale: 0, decimal: false };
  }
  return undefined;
}

/** Trino's common super type of two exact types (a CASE's branches). */
function commonType(a: ExactType, b: ExactType): ExactType {
  if (!a.decimal && !b.decimal) return a.precision >= b.precision ? a : b;
  const scale = Math.max(a.scale, b.scale);
  const integer = Math.max(a.precision - a.scale, b.precision - b.scale);
  return { precision: Math.min(MAX_PRECISION, integer + scale), scale, decimal: true };
}

/** A decimal's value in units of its last place (`1.25` at scale 2 is 125), exactly, as a HUGEINT. */
function units(arg: string, scale: number): string {
  return `CAST(replace(CAST(CAST(${arg} AS DECIMAL(38, ${scale})) AS VARCHAR), '.', '') AS HUGEINT)`;
}

/** A HUGEINT count of units of the `scale`th decimal place as a `decimal(precision, scale)`. */
function fromUnits(count: string, precision: number, scale: number): string {
  const value =
    scale === 0
      ? `CAST(${count} AS DECIMAL(38, 0))`
      : `CAST(${count} AS DECIMAL(38, 0)) * CAST('${(10 ** -scale).toFixed(scale)}' AS DECIMAL(${scale + 1}, ${scale}))`;
  return `CAST(${value} AS DECIMAL(${precision}, ${scale}))`;
}

/** n / d in integers, rounded half away from zero. */
function roundedQuotient(n: string, d: string): string {
  return `((2 * abs(${n}) + abs(${d})) // (2 * abs(${d})) * sign(${n}) * sign(${d}))`;
}

function decimalDivision(scaleA: number, scaleB: number, precision: number, scale: number): string {
  // a / b at `scale` = (unitsA / 10^sa) / (unitsB / 10^sb) * 10^s = unitsA * 10^(s + sb - sa) / unitsB.
  const shift = `CAST('${10n ** BigInt(scale + scaleB - scaleA)}' AS HUGEINT)`;
  return fromUnits(
    roundedQuotient(`(${units('__arg1', scaleA)} * ${shift})`, units('__arg2', scaleB)),
    precision,
    scale,
  );
}

function decimalAverage(precision: number, scale: number): string {
  return fromUnits(roundedQuotient(units('sum(__arg1)', scale), 'count(__arg1)'), precision, scale);
}
