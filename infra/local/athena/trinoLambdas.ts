import type { DuckDBConnection } from '@duckdb/node-api';
import { constantValue, isStringConstant, type Node } from './parseTree';
import { instantiate, templateTree } from './trinoTemplates';

/**
 * Trino's higher-order functions whose lambdas DuckDB's do not match (map functions, reduce with an output
 * function, zip_with, map_zip_with, reduce_agg, regexp_replace with a lambda, array_sort with a comparator),
 * rewritten on the parse tree by putting each lambda parameter's meaning into the lambda's body.
 */

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
export async function lambdaRewrite(parser: DuckDBConnection, node: Node): Promise<Node | undefined> {
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
