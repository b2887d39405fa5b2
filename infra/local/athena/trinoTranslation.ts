import type { DuckDBConnection } from '@duckdb/node-api';
import { jodaToStrftime, mysqlToStrftime } from './datetimeFormats';
import { lineColumn, QueryRejectedError } from './statementTables';

/** A node of DuckDB's serialized parse tree (`json_serialize_sql`). */
export type Node = Record<string, unknown>;

/**
 * A rewrite of one Trino function call into DuckDB: an expression template whose `__argN` column references
 * (1-based) stand for the call's translated arguments; undefined when the call is left as written.
 */
type Rewrite = (args: readonly Node[]) => string | undefined;

const nullIfAnyNull = (name: string) => (args: readonly Node[]) =>
  args.length < 2
    ? undefined
    : `CASE WHEN ${args.map((_, i) => `__arg${i + 1} IS NULL`).join(' OR ')} THEN NULL ELSE ${name}(${argList(args)}) END`;

function argList(args: readonly Node[]): string {
  return args.map((_, i) => `__arg${i + 1}`).join(', ');
}

/**
 * Trino functions whose DuckDB namesake answers differently, or which DuckDB spells differently, and what they
 * become. Functions both engines share with the same meaning are not listed; the macros of `trinoFunctions.ts`
 * cover the plain renames.
 */
const REWRITES: Readonly<Record<string, Rewrite>> = {
  // Trino's date_diff counts whole units elapsed (DuckDB's date_diff counts boundaries crossed; date_sub is Trino's).
  date_diff: (a) => (a.length === 3 ? 'date_sub(__arg1, __arg2, __arg3)' : undefined),
  // concat is NULL when any argument is (DuckDB's skips NULLs); `||` propagates NULL in both engines.
  concat: (a) => (a.length >= 2 ? a.map((_, i) => `__arg${i + 1}`).join(' || ') : undefined),
  greatest: nullIfAnyNull('greatest'),
  least: nullIfAnyNull('least'),
  split_part: (a) =>
    a.length === 3
      ? 'CASE WHEN __arg3 > len(string_split(__arg1, __arg2)) THEN NULL ELSE split_part(__arg1, __arg2, __arg3) END'
      : undefined,
  regexp_extract: (a) =>
    a.length === 2 || a.length === 3
      ? `CASE WHEN regexp_matches(__arg1, __arg2) THEN nullif(regexp_extract(__arg1, __arg2${a.length === 3 ? ', __arg3' : ''}), '') END`
      : undefined,
  regexp_replace: (a) => {
    if (a.length === 2) return "regexp_replace(__arg1, __arg2, '', 'g')";
    if (a.length !== 3) return undefined;
    const replacement = a[2] as Node;
    if (isStringConstant(replacement)) {
      const value = constantValue(replacement);
      return `regexp_replace(__arg1, __arg2, ${sqlLiteral(javaReplacement(value))}, 'g')`;
    }
    return "regexp_replace(__arg1, __arg2, regexp_replace(__arg3, '\\$(\\d)', '\\\\\\1', 'g'), 'g')";
  },
  regexp_count: (a) => (a.length === 2 ? 'CAST(len(regexp_extract_all(__arg1, __arg2)) AS BIGINT)' : undefined),
  max_by: (a) => (a.length === 2 ? 'arg_max_null(__arg1, __arg2)' : `arg_max(${argList(a)})`),
  min_by: (a) => (a.length === 2 ? 'arg_min_null(__arg1, __arg2)' : `arg_min(${argList(a)})`),
  replace: (a) => (a.length === 2 ? "replace(__arg1, __arg2, '')" : undefined),
  if: (a) =>
    a.length === 2
      ? 'CASE WHEN __arg1 THEN __arg2 END'
      : a.length === 3
        ? 'CASE WHEN __arg1 THEN __arg2 ELSE __arg3 END'
        : undefined,
  sequence: (a) =>
    a.length === 2
      ? 'generate_series(__arg1, __arg2, CASE WHEN __arg1 <= __arg2 THEN 1 ELSE -1 END)'
      : a.length === 3
        ? 'generate_series(__arg1, __arg2, __arg3)'
        : undefined,
  transform: (a) => (a.length === 2 ? 'list_transform(__arg1, __arg2)' : undefined),
  filter: (a) => (a.length === 2 ? 'list_filter(__arg1, __arg2)' : undefined),
  any_match: (a) => (a.length === 2 ? 'list_bool_or(list_transform(__arg1, __arg2))' : undefined),
  all_match: (a) => (a.length === 2 ? 'coalesce(list_bool_and(list_transform(__arg1, __arg2)), true)' : undefined),
  none_match: (a) => (a.length === 2 ? 'NOT coalesce(list_bool_or(list_transform(__arg1, __arg2)), false)' : undefined),
  array_join: (a) =>
    a.length === 2
      ? 'array_to_string(__arg1, __arg2)'
      : a.length === 3
        ? 'array_to_string(list_transform(__arg1, __x -> coalesce(CAST(__x AS VARCHAR), __arg3)), __arg2)'
        : undefined,
  slice: (a) =>
    a.length === 3
      ? 'CASE WHEN __arg2 > 0 THEN list_slice(__arg1, __arg2, __arg2 + __arg3 - 1) ELSE list_slice(__arg1, len(__arg1) + 1 + __arg2, len(__arg1) + __arg2 + __arg3) END'
      : undefined,
  cosine_similarity: (a) => (a.length === 2 ? 'list_cosine_similarity(__arg1, __arg2)' : undefined),
  cosine_distance: (a) => (a.length === 2 ? 'list_cosine_distance(__arg1, __arg2)' : undefined),
  euclidean_distance: (a) => (a.length === 2 ? 'list_distance(__arg1, __arg2)' : undefined),
  dot_product: (a) => (a.length === 2 ? 'list_dot_product(__arg1, __arg2)' : undefined),
  every: (a) => (a.length === 1 ? 'bool_and(__arg1)' : undefined),
  json_parse: (a) => (a.length === 1 ? 'json(__arg1)' : undefined),
  json_format: (a) => (a.length === 1 ? 'CAST(json(__arg1) AS VARCHAR)' : undefined),
  is_json_scalar: (a) => (a.length === 1 ? "json_type(__arg1) NOT IN ('ARRAY', 'OBJECT')" : undefined),
  json_array_contains: (a) =>
    a.length === 2
      ? "CASE WHEN json_type(__arg1) = 'ARRAY' THEN list_contains(CAST(json(__arg1) AS JSON[]), to_json(__arg2)) END"
      : undefined,
  json_array_get: (a) =>
    a.length === 2
      ? "json_extract(__arg1, CASE WHEN __arg2 >= 0 THEN '$[' || CAST(__arg2 AS VARCHAR) || ']' ELSE '$[#' || CAST(__arg2 AS VARCHAR) || ']' END)"
      : undefined,
  json_size: (a) =>
    a.length === 2
      ? "CAST(CASE json_type(__arg1, __arg2) WHEN 'ARRAY' THEN json_array_length(__arg1, __arg2) WHEN 'OBJECT' THEN len(json_keys(__arg1, __arg2)) ELSE 0 END AS BIGINT)"
      : undefined,
  url_extract_host: (a) => (a.length === 1 ? url('([^/:?#]*)', 1) : undefined),
  url_extract_protocol: (a) => (a.length === 1 ? url('', 0, true) : undefined),
  url_extract_path: (a) => (a.length === 1 ? url('[^/?#]*([^?#]*)', 1) : undefined),
  url_extract_query: (a) => (a.length === 1 ? url('[^?#]*\\?([^#]*)', 1) : undefined),
  url_extract_fragment: (a) => (a.length === 1 ? url('[^#]*#(.*)', 1) : undefined),
  date_parse: (a) =>
    a.length === 2 && isStringConstant(a[1] as Node)
      ? `strptime(__arg1, ${sqlLiteral(mysqlToStrftime(constantValue(a[1] as Node)))})`
      : undefined,
  format_datetime: (a) =>
    a.length === 2 && isStringConstant(a[1] as Node)
      ? `strftime(__arg1, ${sqlLiteral(jodaToStrftime(constantValue(a[1] as Node)))})`
      : undefined,
  typeof: (a) =>
    a.length !== 1
      ? undefined
      : isStringConstant(a[0] as Node)
        ? // A string literal is a varchar of its length in Trino.
          sqlLiteral(`varchar(${[...constantValue(a[0] as Node)].length})`)
        : 'trino_type_name(typeof(__arg1))',
  format: (a) => {
    if (a.length < 1 || !isStringConstant(a[0] as Node)) return undefined;
    const kinds = javaFormatConversions(constantValue(a[0] as Node));
    if (!kinds) return undefined;
    // Java's %s formats any value; DuckDB's printf only strings.
    const args = a
      .slice(1)
      .map((_, i) => (kinds.get(i + 1) === 's' ? `CAST(__arg${i + 2} AS VARCHAR)` : `__arg${i + 2}`));
    return `printf(__arg1${args.map((x) => `, ${x}`).join('')})`;
  },
  regexp_split: (a) => (a.length === 2 ? 'regexp_split_to_array(__arg1, __arg2)' : undefined),
  trim_array: (a) => (a.length === 2 ? 'list_slice(__arg1, 1, len(__arg1) - __arg2)' : undefined),
};

/**
 * The conversion of each argument (1-based) of a Java format string, or undefined when it uses a conversion
 * DuckDB's printf does not know (dates and times: `%tY`).
 */
function javaFormatConversions(format: string): Map<number, string> | undefined {
  const kinds = new Map<number, string>();
  let next = 1;
  for (const m of format.matchAll(/%(\d+\$)?[-#+ 0,(]*\d*(?:\.\d+)?([a-zA-Z%])/g)) {
    const conversion = m[2] as string;
    if (conversion === '%' || conversion === 'n') continue;
    if (/[tT]/.test(conversion)) return undefined;
    const index = m[1] ? Number.parseInt(m[1], 10) : next++;
    kinds.set(index, conversion.toLowerCase());
  }
  return kinds;
}

/** A template reading part of a URL (RFC 3986's layout: `scheme://authority/path?query#fragment`). */
function url(rest: string, group: number, protocolOnly = false): string {
  const pattern = protocolOnly ? '^([a-zA-Z][a-zA-Z0-9+.-]*):' : `^[a-zA-Z][a-zA-Z0-9+.-]*://${rest}`;
  return `CASE WHEN regexp_matches(__arg1, ${sqlLiteral(pattern)}) THEN regexp_extract(__arg1, ${sqlLiteral(pattern)}, ${protocolOnly ? 1 : group}) END`;
}

/** Integer types: a cast to them from a double rounds half away from zero in Trino (DuckDB: half to even). */
const INTEGER_TYPES: ReadonlySet<string> = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

/**
 * Translates a Trino statement's parse tree (DuckDB's parser, which reads the Trino forms examlake uses) into
 * the DuckDB statement with Trino's meaning. The tree is changed in place; the caller renders it back to SQL
 * with `json_deserialize_sql`. Templates are parsed once by `parser` and kept.
 */
export async function translateTree(parser: DuckDBConnection, root: unknown): Promise<void> {
  await walk(parser, root);
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
  const lambdaForm = await lambdaRewrite(parser, node);
  if (lambdaForm) return lambdaForm;
  if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string' && !node['is_operator']) {
    const name = node['function_name'].toLowerCase();
    const rewrite = node['schema'] === '' || node['schema'] === undefined ? REWRITES[name] : undefined;
    if (name === 'typeof' || !node['distinct']) {
      const template = rewrite?.(node['children'] as Node[]);
      if (template) return instantiate(parser, template, node['children'] as Node[], node);
    }
  }
  if (node['class'] === 'FUNCTION' && (node['function_name'] === '/' || node['function_name'] === '%')) {
    const children = node['children'] as Node[];
    if (children.length === 2) {
      children[1] = await instantiate(parser, 'trino_divisor(__arg1)', [children[1] as Node], undefined);
    }
  }
  if (node['class'] === 'CAST' && (node['cast_type'] as Node | undefined)?.['id'] === 'TIMESTAMP') {
    timestampLiteral(node);
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
 * and one with a zone (`... UTC`, `... +01:00`, `... America/Los_Angeles`) typed `timestamp with time zone`.
 */
function timestampLiteral(node: Node): void {
  const child = node['child'] as Node;
  if (!isStringConstant(child)) return;
  const m = /^(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2})(:\d{2}(?:\.\d+)?)?)?\s*(.*)$/.exec(
    constantValue(child).trim(),
  );
  if (!m) return;
  const [, date, hhmm, seconds, zone] = m as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string,
  ];
  const time = hhmm ? `${hhmm}${seconds ?? ':00'}` : '00:00:00';
  (child['value'] as { value: string }).value = `${date} ${time}${zone ? ` ${zone}` : ''}`;
  if (zone) node['cast_type'] = { id: 'TIMESTAMP WITH TIME ZONE', type_info: null };
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
  const output = lambdaParts(args[3]);
  if (name === 'reduce' && args.length === 4 && output && output.params.length === 1) {
    const reduced = await instantiate(parser, 'list_reduce(__arg1, __arg3, __arg2)', args.slice(0, 3), undefined);
    const result = replaceColumns(output.body, new Map([[output.params[0] as string, reduced]])) as Node;
    result['alias'] = node['alias'];
    return result;
  }
  return undefined;
}

/** The template's tree with each `__argN` replaced by argument N; the original's alias and location kept. */
async function instantiate(
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

/** DuckDB's parse tree location of a node the parser did not place (2^64 - 1). */
const NO_LOCATION = '18446744073709551615';

/** Reads `json_serialize_sql` output; "no location" (beyond a double's precision) becomes -1. */
export function parseTreeJson(text: string): unknown {
  return JSON.parse(text.replaceAll(`:${NO_LOCATION}`, ':-1'));
}

/** Writes a tree for `json_deserialize_sql`, with "no location" as DuckDB wrote it. */
export function treeJson(tree: unknown): string {
  return JSON.stringify(tree).replaceAll('"query_location":-1', `"query_location":${NO_LOCATION}`);
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

function isConstant(node: Node | undefined): boolean {
  return node?.['class'] === 'CONSTANT';
}

function isStringConstant(node: Node): boolean {
  const value = node['value'] as { type?: { id?: string }; is_null?: boolean } | undefined;
  return node['class'] === 'CONSTANT' && value?.type?.id === 'VARCHAR' && !value.is_null;
}

function constantValue(node: Node): string {
  return String((node['value'] as { value: unknown }).value);
}

function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A Java (Trino) regexp replacement (`$1`, `\$`) as RE2's (`\1`, `$`). */
export function javaReplacement(java: string): string {
  let out = '';
  for (let i = 0; i < java.length; i += 1) {
    const ch = java[i] as string;
    if (ch === '\\' && i + 1 < java.length) {
      const next = java[i + 1] as string;
      out += next === '\\' ? '\\\\' : next;
      i += 1;
    } else if (ch === '$' && /\d/.test(java[i + 1] ?? '')) {
      out += `\\${java[i + 1]}`;
      i += 1;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Refuses what Athena's Trino parser or analyzer refuses and DuckDB would run: DuckDB-only syntax and
 * functions, so a query that runs locally runs on AWS too. `masked` is the query with its string literals,
 * quoted identifiers and comments blanked (same length), for the forms the tree does not record.
 */
export function refuseDuckDbOnly(sql: string, root: unknown): void {
  const masked = maskLiterals(sql);
  const textForms: readonly (readonly [RegExp, string])[] = [
    [/::/, "mismatched input '::'. Expecting: <expression>"],
    [/\bAS\s+STRING\s*\)/i, 'Unknown type: string'],
    [/\bILIKE\b/i, "mismatched input 'ILIKE'"],
    [/\bQUALIFY\b/i, "mismatched input 'QUALIFY'"],
    [/\bGROUP\s+BY\s+ALL\b/i, "mismatched input 'ALL'"],
    [/\bEXCLUDE\s*\(/i, "mismatched input 'EXCLUDE'"],
  ];
  const fromFirst = /^[\s(]*FROM\b/i.exec(masked);
  if (fromFirst) {
    const at = fromFirst[0].length - 4;
    throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, at)}mismatched input 'FROM'`);
  }
  for (const [pattern, message] of textForms) {
    const m = pattern.exec(masked);
    if (m) throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, m.index)}${message}`);
  }
  visit(root, (node) => {
    const location = node['query_location'];
    if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string') {
      const name = node['function_name'].toLowerCase();
      if (name === 'list_value' && node['schema'] === 'main') {
        // The node is placed at its first element, just after the `[`.
        throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, Number(location) - 1)}mismatched input '['`);
      }
      if (DUCKDB_ONLY_FUNCTIONS.has(name)) {
        throw new QueryRejectedError(
          `FUNCTION_NOT_FOUND: ${lineColumn(sql, location)}Function '${name}' not registered`,
        );
      }
    }
    if (node['type'] === 'SELECT_NODE') {
      const from = node['from_table'] as Node | undefined;
      const first = (node['select_list'] as Node[] | undefined)?.[0];
      const fromAt = Number(from?.['query_location']);
      const selectAt = Number(first?.['query_location']);
      if (from?.['type'] !== 'EMPTY' && fromAt >= 0 && selectAt >= 0 && fromAt < selectAt) {
        // FROM-first syntax: the table comes before the select list.
        const at = masked.toUpperCase().lastIndexOf('FROM', fromAt);
        throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, at)}mismatched input 'FROM'`);
      }
      for (const modifier of (node['modifiers'] as Node[] | undefined) ?? []) {
        const limit = modifier['limit'] as Node | null | undefined;
        const offset = modifier['offset'] as Node | null | undefined;
        if (modifier['type'] === 'LIMIT_MODIFIER' && limit && offset) {
          const limitAt = Number(limit['query_location']);
          const offsetAt = Number(offset['query_location']);
          if (limitAt >= 0 && offsetAt >= 0 && offsetAt > limitAt) {
            const at = masked.toUpperCase().lastIndexOf('OFFSET', offsetAt);
            throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, at)}mismatched input 'OFFSET'`);
          }
        }
      }
    }
  });
}

/**
 * Functions DuckDB has and Trino (Athena engine v3) does not, which analysts coming from DuckDB or Postgres
 * reach for; each has a Trino spelling (`date_format`, `array_agg`/`listagg`, `ARRAY[...]`, `regexp_like`, …).
 */
const DUCKDB_ONLY_FUNCTIONS: ReadonlySet<string> = new Set([
  'strftime',
  'strptime',
  'string_agg',
  'group_concat',
  'list_value',
  'list_transform',
  'list_filter',
  'list_reduce',
  'list_aggregate',
  'list_sort',
  'list_distinct',
  'list_contains',
  'list_slice',
  'list_extract',
  'array_to_string',
  'string_split',
  'str_split',
  'regexp_matches',
  'regexp_full_match',
  'epoch',
  'epoch_ms',
  'to_timestamp',
  'make_date',
  'make_timestamp',
  'datediff',
  'datesub',
  'date_sub',
  'strlen',
  'len',
  'list',
  'arg_max',
  'arg_min',
  'argmax',
  'argmin',
  'struct_pack',
  'struct_extract',
  'ifnull',
  'nvl',
  'printf',
  'glob',
  'read_csv',
  'read_parquet',
  'read_json',
  'getenv',
  'current_setting',
  'unnest_tokens',
  'array_length',
  'regexp_split_to_array',
  'string_to_array',
  'median',
  'mode',
  'fsum',
  'favg',
  'first',
  'last',
  'hash',
  'md5_number',
  'suffix',
  'prefix',
  'contains_any',
  'list_has',
  'list_has_any',
  'list_has_all',
  'flatten_list',
]);

function visit(value: unknown, fn: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) visit(v, fn);
    return;
  }
  if (!value || typeof value !== 'object') return;
  fn(value as Node);
  for (const v of Object.values(value)) visit(v, fn);
}

/** The SQL with string literals, quoted identifiers and comments replaced by spaces (offsets unchanged). */
export function maskLiterals(sql: string, fill = ' '): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const two = sql.slice(i, i + 2);
    let end = -1;
    if (ch === "'" || ch === '"') {
      end = i + 1;
      for (;;) {
        const close = sql.indexOf(ch, end);
        if (close < 0) {
          end = sql.length;
          break;
        }
        if (sql[close + 1] === ch) {
          end = close + 2;
          continue;
        }
        end = close + 1;
        break;
      }
    } else if (two === '--') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
    } else if (two === '/*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    }
    if (end > i) {
      out += sql.slice(i, end).replace(/[^\n]/g, fill);
      i = end;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/**
 * Trino's `VALUES 1, 2` (rows of one column without parentheses) as DuckDB's parser needs it, `VALUES (1), (2)`:
 * each top-level item of a VALUES list whose first row has no parentheses is put in them. Found on the text with
 * its literals and comments masked (DuckDB's parser cannot read the form, so there is no tree to work on); a
 * query without that form is returned unchanged.
 */
export function parenthesizedValues(sql: string): string {
  const masked = maskLiterals(sql, '_');
  const keyword = /\bVALUES\b/gi;
  const inserts: { at: number; text: string }[] = [];
  for (let m = keyword.exec(masked); m; m = keyword.exec(masked)) {
    let i = m.index + m[0].length;
    while (i < masked.length && /\s/.test(masked[i] as string)) i += 1;
    if (i >= masked.length || masked[i] === '(') continue;
    let depth = 0;
    let itemStart = i;
    for (; i <= masked.length; i += 1) {
      const ch = masked[i];
      const atEnd =
        i === masked.length ||
        (depth === 0 &&
          (ch === ')' || ch === ';' || /^(ORDER|LIMIT|OFFSET|FETCH|UNION|EXCEPT|INTERSECT)\b/i.test(masked.slice(i))));
      if (atEnd || (depth === 0 && ch === ',')) {
        let end = i;
        while (end > itemStart && /\s/.test(masked[end - 1] as string)) end -= 1;
        inserts.push({ at: itemStart, text: '(' }, { at: end, text: ')' });
        if (atEnd) break;
        itemStart = i + 1;
        while (itemStart < masked.length && /\s/.test(masked[itemStart] as string)) itemStart += 1;
        continue;
      }
      if (ch === '(') depth += 1;
      if (ch === ')') depth -= 1;
    }
  }
  if (inserts.length === 0) return sql;
  let out = sql;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** Decimal columns of the tables a query reads, by lower-cased name. */
export type DecimalColumns = ReadonlyMap<string, { readonly precision: number; readonly scale: number }>;

/** The columns a translated tree averages directly (`avg(score)`), lower-cased. */
export function averagedColumns(tree: unknown): string[] {
  const names: string[] = [];
  visit(tree, (node) => {
    const child = (node['children'] as Node[] | undefined)?.[0];
    if (isAverageOfColumn(node) && child) {
      names.push(String((child['column_names'] as string[]).at(-1)).toLowerCase());
    }
  });
  return names;
}

function isAverageOfColumn(node: Node): boolean {
  const children = node['children'] as Node[] | undefined;
  return (
    node['class'] === 'FUNCTION' &&
    String(node['function_name']).toLowerCase() === 'avg' &&
    !node['distinct'] &&
    children?.length === 1 &&
    children[0]?.['class'] === 'COLUMN_REF'
  );
}

/**
 * The translated tree with `avg` of each decimal column giving Trino's answer: a `decimal(p,s)` of the column's
 * own type, the exact mean rounded half away from zero (DuckDB's `avg` of a decimal is a double). Computed from
 * the decimal sum in integers, so no double rounding enters. Undefined when the tree averages no decimal column.
 */
export async function withDecimalAverages(
  parser: DuckDBConnection,
  tree: unknown,
  decimals: DecimalColumns,
): Promise<unknown | undefined> {
  let changed = false;
  const rewrite = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = await rewrite(value[i]);
      return value;
    }
    if (!value || typeof value !== 'object') return value;
    const node = value as Node;
    if (isAverageOfColumn(node)) {
      const column = (node['children'] as Node[])[0] as Node;
      const type = decimals.get(String((column['column_names'] as string[]).at(-1)).toLowerCase());
      if (type) {
        changed = true;
        return instantiate(parser, decimalAverage(type.precision, type.scale), [column], node);
      }
    }
    for (const key of Object.keys(node)) node[key] = await rewrite(node[key]);
    return node;
  };
  const result = await rewrite(tree);
  return changed ? result : undefined;
}

function decimalAverage(precision: number, scale: number): string {
  // units: the sum in units of the last decimal place; the mean in those units, rounded half away from zero.
  const units = `CAST(sum(__arg1) * ${10 ** scale} AS HUGEINT)`;
  const mean = `(2 * abs(${units}) + count(__arg1)) // (2 * count(__arg1)) * sign(${units})`;
  const scaled =
    scale === 0
      ? `CAST(${mean} AS DECIMAL(38, 0))`
      : `CAST(${mean} AS DECIMAL(38, 0)) * CAST('${(10 ** -scale).toFixed(scale)}' AS DECIMAL(${scale + 1}, ${scale}))`;
  return `CAST(${scaled} AS DECIMAL(${precision}, ${scale}))`;
}

/**
 * Trino's `listagg(x, sep) WITHIN GROUP (ORDER BY y)` as DuckDB's parser reads it, `listagg(x, sep ORDER BY y)`
 * (DuckDB's parser refuses WITHIN GROUP on listagg). Found on the masked text like {@link parenthesizedValues}.
 */
export function listaggWithinGroup(sql: string): string {
  let out = sql;
  for (;;) {
    const masked = maskLiterals(out, '_');
    const call = /\blistagg\s*\(/gi;
    let rewritten = false;
    for (let m = call.exec(masked); m; m = call.exec(masked)) {
      const open = m.index + m[0].length - 1;
      const close = matchingParen(masked, open);
      if (close < 0) break;
      const within = /^\s*WITHIN\s+GROUP\s*\(\s*ORDER\s+BY\b/i.exec(masked.slice(close + 1));
      if (!within) continue;
      const groupOpen = masked.indexOf('(', close + 1);
      const groupClose = matchingParen(masked, groupOpen);
      if (groupClose < 0) break;
      const orderBy = out.slice(groupOpen + 1, groupClose).trim();
      out = `${out.slice(0, close)} ${orderBy})${out.slice(groupClose + 1)}`;
      rewritten = true;
      break;
    }
    if (!rewritten) return out;
  }
}

function matchingParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i += 1) {
    if (masked[i] === '(') depth += 1;
    if (masked[i] === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}
