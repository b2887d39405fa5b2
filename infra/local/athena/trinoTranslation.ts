import type { DuckDBConnection } from '@duckdb/node-api';
import { constantValue, isConstant, isStringConstant, type Node, parseTreeJson } from './parseTree';
import { REWRITES } from './trinoRewrites';
import { timeZoneRewrite, zonedLiteral, zonedResultColumns } from './trinoTimeZones';

/** Integer types: a cast to them from a double rounds half away from zero in Trino (DuckDB: half to even). */
const INTEGER_TYPES: ReadonlySet<string> = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

/**
 * Translates a Trino statement's parse tree (DuckDB's parser, which reads the Trino forms examlake uses) into
 * the DuckDB statement with Trino's meaning. The tree is changed in place; the caller renders it back to SQL
 * with `json_deserialize_sql`. Templates are parsed once by `parser` and kept.
 */
export async function translateTree(parser: DuckDBConnection, root: unknown): Promise<void> {
  await walk(parser, root);
  await zonedResultColumns((template, args, original) => instantiate(parser, template, args, original), root);
}

async function walk(parser: DuckDBConnection, value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = await walk(parser, value[i]);
    return value;
  }
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  for (const key of Object.keys(node)) node[key] = await walk(parser, node[key]);
  return translateNode(parser, node);
}

async function translateNode(parser: DuckDBConnection, node: Node): Promise<Node> {
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
  const lambdaForm = await lambdaRewrite(parser, node);
  if (lambdaForm) return lambdaForm;
  if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string' && !node['is_operator']) {
    const name = node['function_name'].toLowerCase();
    // The parser writes `overlay(s PLACING r FROM f)` as `main.overlay(s, r, f)`.
    const unqualified = node['schema'] === '' || node['schema'] === undefined || name === 'overlay';
    const rewrite = unqualified ? REWRITES[name] : undefined;
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

/** A lambda's parameter names and body. */
function lambdaParts(node: Node | undefined): { params: string[]; body: Node } | undefined {
  if (node?.['class'] !== 'LAMBDA') return undefined;
  const lhs = node['lhs'] as Node;
  const refs = lhs['class'] === 'COLUMN_REF' ? [lhs] : ((lhs['children'] as Node[] | undefined) ?? []);
  const params = refs.map((r) => String((r['column_names'] as string[] | undefined)?.[0] ?? ''));
  return { params, body: node['expr'] as Node };
}

/** The expression with each column reference to `name` (a lambda parameter) replaced. */
function replaceColumns(value: unknown, replacements: ReadonlyMap<string, Node>): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceColumns(v, replacements));
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  const names = node['column_names'];
  if (node['class'] === 'COLUMN_REF' && Array.isArray(names) && names.length === 1) {
    const replacement = replacements.get(String(names[0]));
    if (replacement) return structuredClone(replacement);
  }
  const out: Node = {};
  for (const [key, v] of Object.entries(node)) out[key] = replaceColumns(v, replacements);
  return out;
}

/**
 * Trino's higher-order functions whose lambdas take other parameters than DuckDB's: map functions (a key and a
 * value; DuckDB's lambdas see an entry) and `reduce` with an output function.
 */
async function lambdaRewrite(parser: DuckDBConnection, node: Node): Promise<Node | undefined> {
  if (node['class'] !== 'FUNCTION' || node['is_operator'] || typeof node['function_name'] !== 'string')
    return undefined;
  const name = node['function_name'].toLowerCase();
  const args = (node['children'] as Node[] | undefined) ?? [];
  const mapForms: Readonly<Record<string, string>> = {
    map_filter: 'map_from_entries(list_filter(map_entries(__arg1), __e -> __arg2))',
    transform_values: "map_from_entries(list_transform(map_entries(__arg1), __e -> {'key': __e.key, 'value': __arg2}))",
    transform_keys: "map_from_entries(list_transform(map_entries(__arg1), __e -> {'key': __arg2, 'value': __e.value}))",
  };
  const mapForm = mapForms[name];
  const lambda = lambdaParts(args[1]);
  if (mapForm && args.length === 2 && lambda && lambda.params.length === 2) {
    const key = await templateTree(parser, '__e.key');
    const value = await templateTree(parser, '__e.value');
    const body = replaceColumns(
      lambda.body,
      new Map([
        [lambda.params[0] as string, key],
        [lambda.params[1] as string, value],
      ]),
    ) as Node;
    return instantiate(parser, mapForm, [args[0] as Node, body], node);
  }
  const pair = lambdaParts(args[2]);
  if (name === 'zip_with' && args.length === 3 && pair?.params.length === 2) {
    // Trino pads the shorter array with NULLs; DuckDB's a[i] past the end is NULL.
    const body = replaceColumns(
      pair.body,
      new Map([
        [pair.params[0] as string, await instantiate(parser, '__arg1[__zi]', [args[0] as Node], undefined)],
        [pair.params[1] as string, await instantiate(parser, '__arg1[__zi]', [args[1] as Node], undefined)],
      ]),
    ) as Node;
    return instantiate(
      parser,
      'list_transform(range(1, greatest(len(__arg1), len(__arg2)) + 1), __zi -> __arg3)',
      [args[0] as Node, args[1] as Node, body],
      node,
    );
  }
  if (name === 'map_zip_with' && args.length === 3 && pair?.params.length === 3) {
    // The keys of both maps in order of first appearance; a key missing from one map gives NULL for its value.
    const body = replaceColumns(
      pair.body,
      new Map([
        [pair.params[0] as string, await templateTree(parser, '__mk')],
        [pair.params[1] as string, await instantiate(parser, '__arg1[__mk]', [args[0] as Node], undefined)],
        [pair.params[2] as string, await instantiate(parser, '__arg1[__mk]', [args[1] as Node], undefined)],
      ]),
    ) as Node;
    return instantiate(
      parser,
      "map_from_entries(list_transform(list_filter(map_keys(__arg1) || map_keys(__arg2), (__k, __i) -> list_position(map_keys(__arg1) || map_keys(__arg2), __k) = __i), __mk -> {'key': __mk, 'value': __arg3}))",
      [args[0] as Node, args[1] as Node, body],
      node,
    );
  }
  if (name === 'reduce_agg' && args.length === 4 && lambdaParts(args[2])?.params.length === 2) {
    // The input function applied in order over the group's values (the combine function only merges partial
    // states, which one ordered pass does not make).
    return instantiate(parser, 'list_reduce(list(__arg1), __arg3, __arg2)', args.slice(0, 3), node);
  }
  const replacer = lambdaParts(args[2]);
  if (
    name === 'regexp_replace' &&
    args.length === 3 &&
    replacer?.params.length === 1 &&
    isStringConstant(args[1] as Node)
  ) {
    // Each match replaced by the lambda of its groups (x[1] is group 1): the text between matches is DuckDB's
    // regexp_split_to_array, group g of every match regexp_extract_all(s, p, g).
    const groups = capturingGroups(constantValue(args[1] as Node));
    const list = `[${Array.from({ length: groups }, (_, g) => `regexp_extract_all(__arg1, __arg2, ${g + 1})[__ri]`).join(', ')}]`;
    const matchGroups = await instantiate(parser, list, [args[0] as Node, args[1] as Node], undefined);
    const body = replaceColumns(replacer.body, new Map([[replacer.params[0] as string, matchGroups]])) as Node;
    return instantiate(
      parser,
      "CASE WHEN __arg1 IS NOT NULL THEN regexp_split_to_array(__arg1, __arg2)[1] || array_to_string(list_transform(range(1, len(regexp_split_to_array(__arg1, __arg2))), __ri -> coalesce(__arg3, '') || regexp_split_to_array(__arg1, __arg2)[__ri + 1]), '') END",
      [args[0] as Node, args[1] as Node, body],
      node,
    );
  }
  const comparator = lambdaParts(args[1]);
  if (name === 'array_sort' && args.length === 2 && comparator?.params.length === 2) {
    // Sorted by the comparator: each element's rank is the number of elements it orders after (ties by position).
    const compare = replaceColumns(
      comparator.body,
      new Map([
        [comparator.params[0] as string, await instantiate(parser, '__arg1[__sj]', [args[0] as Node], undefined)],
        [comparator.params[1] as string, await instantiate(parser, '__arg1[__si]', [args[0] as Node], undefined)],
      ]),
    ) as Node;
    return instantiate(
      parser,
      "list_transform(list_sort(list_transform(range(1, len(__arg1) + 1), __si -> {'r': len(list_filter(range(1, len(__arg1) + 1), __sj -> __arg2 < 0 OR (__arg2 = 0 AND __sj < __si))), 'i': __si})), __se -> __arg1[__se.i])",
      [args[0] as Node, compare],
      node,
    );
  }
  const output = lambdaParts(args[3]);
  if (name === 'reduce' && args.length === 4 && output && output.params.length === 1) {
    const reduced = await instantiate(parser, 'list_reduce(__arg1, __arg3, __arg2)', args.slice(0, 3), undefined);
    const result = replaceColumns(output.body, new Map([[output.params[0] as string, reduced]])) as Node;
    result['alias'] = node['alias'];
    return result;
  }
  return undefined;
}

/** The number of capturing groups in a regular expression (`(...)` but not `(?:...)` or an escaped parenthesis). */
function capturingGroups(pattern: string): number {
  let count = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] === '\\') i += 1;
    else if (pattern[i] === '[') {
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (pattern[i] === '(' && pattern[i + 1] !== '?') count += 1;
  }
  return count;
}

/** The template's tree with each `__argN` replaced by argument N; the original's alias and location kept. */
export async function instantiate(
  parser: DuckDBConnection,
  template: string,
  args: readonly Node[],
  original: Node | undefined,
): Promise<Node> {
  const tree = structuredClone(await templateTree(parser, template));
  const filled = substitute(tree, args) as Node;
  if (original) {
    filled['alias'] = original['alias'];
    filled['query_location'] = original['query_location'];
  }
  return filled;
}

function substitute(value: unknown, args: readonly Node[]): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, args));
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  const names = node['column_names'];
  if (node['class'] === 'COLUMN_REF' && Array.isArray(names) && names.length === 1) {
    const m = /^__arg(\d+)$/.exec(String(names[0]));
    if (m) {
      const arg = structuredClone(args[Number(m[1]) - 1]) as Node;
      // A placeholder's alias is the template's (a struct field name), not the argument's.
      if (node['alias']) arg['alias'] = node['alias'];
      return arg;
    }
  }
  const out: Node = {};
  for (const [key, v] of Object.entries(node)) out[key] = substitute(v, args);
  return out;
}

const templates = new Map<string, Node>();

async function templateTree(parser: DuckDBConnection, template: string): Promise<Node> {
  const known = templates.get(template);
  if (known) return known;
  const reader = await parser.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [`SELECT ${template}`]);
  const tree = parseTreeJson(String(reader.getRows()[0]?.[0])) as { error?: boolean; statements?: { node: Node }[] };
  const expression = (tree.statements?.[0]?.node['select_list'] as Node[] | undefined)?.[0];
  if (tree.error || !expression) throw new Error(`Translation template does not parse: ${template}`);
  templates.set(template, expression);
  return expression;
}
