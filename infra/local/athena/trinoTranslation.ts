import type { DuckDBConnection } from '@duckdb/node-api';
import { constantValue, isConstant, isStringConstant, type Node, parseTreeJson } from './parseTree';
import { FAMILY_REWRITES } from './trinoFamilyFunctions';
import { lambdaRewrite } from './trinoLambdas';
import { literalForm } from './trinoLiterals';
import { REWRITES } from './trinoRewrites';
import { instantiate, substitute } from './trinoTemplates';
import { timeZoneRewrite, zonedLiteral, zonedResultColumns } from './trinoTimeZones';

/** Integer types: a cast to them from a double rounds half away from zero in Trino (DuckDB: half to even). */
const INTEGER_TYPES: ReadonlySet<string> = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

/**
 * Translates a Trino statement's parse tree (DuckDB's parser, which reads the Trino forms examlake uses) into
 * the DuckDB statement with Trino's meaning. The tree is changed in place; the caller renders it back to SQL
 * with `json_deserialize_sql`. Templates are parsed once by `parser` and kept.
 */
export async function translateTree(parser: DuckDBConnection, root: unknown, sql = ''): Promise<void> {
  await walk(parser, root, sql);
  await zonedResultColumns((template, args, original) => instantiate(parser, template, args, original), root);
}

async function walk(parser: DuckDBConnection, value: unknown, sql: string): Promise<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = await walk(parser, value[i], sql);
    return value;
  }
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  for (const key of Object.keys(node)) node[key] = await walk(parser, node[key], sql);
  return translateNode(parser, node, sql);
}

async function translateNode(parser: DuckDBConnection, node: Node, sql: string): Promise<Node> {
  const literal = literalForm(node, sql);
  if (literal) return instantiate(parser, literal.template, literal.args, node);
  const zonedForm = await timeZoneRewrite(
    (template, args, original) => instantiate(parser, template, args, original),
    node,
  );
  if (zonedForm) return zonedForm;
  const sample = node['sample'] as { method?: string; is_percentage?: boolean } | null | undefined;
  if (sample && (sample.method === 'Bernoulli' || sample.method === 'System')) {
    // Trino's `TABLESAMPLE BERNOULLI (n)` and `SYSTEM (n)` take a percentage; DuckDB's parser reads a row count.
    sample.is_percentage = true;
  }
  const unnest = await unnestOfSeveral(parser, node);
  if (unnest) return unnest;
  if (node['class'] === 'OPERATOR' && node['type'] === 'OPERATOR_TRY') {
    // Trino's TRY gives NULL where the expression fails; DuckDB's TRY does the same but refuses the volatile
    // `error()` of the division guard, and a division by zero inside it is NULL in DuckDB already.
    node['children'] = withoutDivisionGuards(node['children']) as Node[];
    return node;
  }
  const lambdaForm = await lambdaRewrite(parser, node);
  if (lambdaForm) return lambdaForm;
  if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string' && !node['is_operator']) {
    const name = node['function_name'].toLowerCase();
    // `extract(field FROM x)` is DuckDB's `main.date_part('field', x)`; a date_part written as such is refused.
    const extract = name === 'date_part' && node['schema'] === 'main';
    // The parser writes `overlay(s PLACING r FROM f)` as `main.overlay(s, r, f)`.
    const unqualified = node['schema'] === '' || node['schema'] === undefined || name === 'overlay';
    const rewrite = unqualified
      ? (REWRITES[name] ?? FAMILY_REWRITES[name])
      : extract
        ? FAMILY_REWRITES[name]
        : undefined;
    if (name === 'typeof' || !node['distinct']) {
      const template = rewrite?.(node['children'] as Node[]);
      if (template) return instantiate(parser, template, node['children'] as Node[], node);
    }
  }
  if (node['class'] === 'FUNCTION' && node['function_name'] === '||' && node['is_operator']) {
    // An array and an element (a constant): Trino appends or prepends it; DuckDB wants two arrays.
    const [left, right] = node['children'] as Node[];
    const isArray = (n: Node | undefined) => n?.['class'] === 'OPERATOR' && n['type'] === 'ARRAY_CONSTRUCTOR';
    if (isArray(left) && isConstant(right))
      return instantiate(parser, 'list_append(__arg1, __arg2)', [left as Node, right as Node], node);
    if (isConstant(left) && isArray(right))
      return instantiate(parser, 'list_prepend(__arg1, __arg2)', [left as Node, right as Node], node);
  }
  if (node['class'] === 'FUNCTION' && (node['function_name'] === '/' || node['function_name'] === '%')) {
    const children = node['children'] as Node[];
    if (children.length === 2) {
      children[1] = await instantiate(parser, 'trino_divisor(__arg1)', [children[1] as Node], undefined);
    }
  }
  if (node['class'] === 'CAST' && (node['cast_type'] as Node | undefined)?.['id'] === 'TIMESTAMP') {
    const zone = timestampLiteral(node);
    if (zone) return zonedLiteral(node, zone);
  }
  const castType = node['cast_type'] as { id?: string; type_info?: { name?: string } } | undefined;
  if (node['class'] === 'CAST' && castType?.id === 'UNBOUND' && castType.type_info?.name?.toUpperCase() === 'JSON') {
    const child = node['child'] as Node;
    // Trino's CAST(x AS JSON) makes a JSON value of x (a string becomes a JSON string). A JSON literal
    // (`JSON '[1, 2]'`) is a cast the parser does not place (location -1): its text is the JSON.
    if (Number(node['query_location']) >= 0) return instantiate(parser, 'to_json(__arg1)', [child], node);
  }
  const inner = node['child'] as Node | undefined;
  const innerType = inner?.['cast_type'] as { type_info?: { name?: string } } | undefined;
  if (
    node['class'] === 'CAST' &&
    castType?.id === 'VARCHAR' &&
    inner?.['class'] === 'CAST' &&
    innerType?.type_info?.name?.toUpperCase() === 'JSON'
  ) {
    // A JSON scalar cast to varchar is its value (`abc` for `"abc"`, NULL for `null`), not its text.
    return instantiate(parser, "json_extract_string(__arg1, '$')", [inner], node);
  }
  if (node['class'] === 'CAST' && !node['try_cast'] && castType?.id === 'VARCHAR') {
    return instantiate(parser, 'trino_varchar(__arg1)', [node['child'] as Node], node);
  }
  if (node['class'] === 'CAST' && !node['try_cast']) {
    const target = (node['cast_type'] as Node | undefined)?.['id'];
    if (typeof target === 'string' && INTEGER_TYPES.has(target) && !isConstant(node['child'] as Node)) {
      // A double cast to an integer type rounds half away from zero in Trino (DuckDB: half to even).
      return instantiate(
        parser,
        `coalesce(CAST(CASE WHEN typeof(__arg1) IN ('DOUBLE', 'FLOAT') THEN round(TRY_CAST(__arg1 AS DOUBLE)) END AS ${target}), CAST(__arg1 AS ${target}))`,
        [node['child'] as Node],
        node,
      );
    }
  }
  return node;
}

/**
 * A Trino timestamp literal as DuckDB reads it: seconds added where Trino lets them out (`'2012-10-31 01:00'`),
 * and one with a zone (`... UTC`, `... +01:00`, `... America/Los_Angeles`) typed `timestamp with time zone`;
 * that zone is returned.
 */
function timestampLiteral(node: Node): string | undefined {
  const child = node['child'] as Node;
  if (!isStringConstant(child)) return undefined;
  const m = /^(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2})(:\d{2}(?:\.\d+)?)?)?\s*(.*)$/.exec(
    constantValue(child).trim(),
  );
  if (!m) return undefined;
  const [, date, hhmm, seconds, zone] = m as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string,
  ];
  const time = hhmm ? `${hhmm}${seconds ?? ':00'}` : '00:00:00';
  // DuckDB reads an offset only when written straight after the time (`01:00:00+05:30`), a zone name after a space.
  const separator = /^[+-]\d/.test(zone) ? '' : ' ';
  (child['value'] as { value: string }).value = `${date} ${time}${zone ? `${separator}${zone}` : ''}`;
  if (zone) node['cast_type'] = { id: 'TIMESTAMP WITH TIME ZONE', type_info: null };
  return zone || undefined;
}

/**
 * Trino's `UNNEST(a, b, …) [WITH ORDINALITY] AS t(x, y, …)`: the arrays side by side, the shorter padded with
 * NULLs. DuckDB's UNNEST table function takes one list; its `unnest` in a select list pads the same way, so the
 * table function becomes a subquery of one `unnest` per array (and the position, for WITH ORDINALITY). An array
 * of rows unnests to one column per field, as does a map (written as `MAP(...)`) to its keys and values.
 */
async function unnestOfSeveral(parser: DuckDBConnection, node: Node): Promise<Node | undefined> {
  const fn = node['function'] as Node | undefined;
  const args = (fn?.['children'] as Node[] | undefined) ?? [];
  if (node['type'] !== 'TABLE_FUNCTION' || String(fn?.['function_name']).toLowerCase() !== 'unnest') return undefined;
  const ordinality = node['with_ordinality'] === 'WITH_ORDINALITY';
  const aliases = ((node['column_name_alias'] as string[] | undefined) ?? []).length;
  // One array named with several columns holds rows (or, written as MAP(...), a map's entries): one column a field.
  const fields = args.length === 1 && aliases > (ordinality ? 2 : 1);
  if (args.length < 2 && !fields) return undefined;
  const isMap = fields && String((args[0] as Node)['function_name']).toLowerCase() === 'map';
  const columns = fields
    ? [`unnest(${isMap ? 'map_entries(__arg1)' : '__arg1'}, recursive := true)`]
    : args.map((_, i) => `unnest(__arg${i + 1}) AS __c${i + 1}`);
  if (ordinality) {
    const longest = args.map((_, i) => `len(__arg${i + 1})`).join(', ');
    columns.push(`unnest(range(1, greatest(${longest}) + 1)) AS __c${args.length + 1}`);
  }
  const reader = await parser.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [`SELECT ${columns.join(', ')}`]);
  const select = (parseTreeJson(String(reader.getRows()[0]?.[0])) as { statements: { node: Node }[] }).statements[0]
    ?.node;
  if (!select) return undefined;
  return {
    type: 'SUBQUERY',
    alias: node['alias'],
    sample: null,
    query_location: node['query_location'],
    subquery: { node: substitute(select, args), named_param_map: [] },
    column_name_alias: node['column_name_alias'],
  };
}

/** The expression with each `trino_divisor(x)` (the division-by-zero guard added below) replaced by x. */
function withoutDivisionGuards(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDivisionGuards);
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  if (node['class'] === 'FUNCTION' && node['function_name'] === 'trino_divisor') {
    return withoutDivisionGuards((node['children'] as Node[])[0]);
  }
  const out: Node = {};
  for (const [key, v] of Object.entries(node)) out[key] = withoutDivisionGuards(v);
  return out;
}
