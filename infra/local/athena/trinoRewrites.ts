import { sqlString } from '../../../etl/sql/sqlText';
import { jodaToStrftime, mysqlToStrftime } from './datetimeFormats';
import { constantValue, isStringConstant, type Node, visit } from './parseTree';

/**
 * A rewrite of one Trino function call into DuckDB: an expression template whose `__argN` column references
 * (1-based) stand for the call's translated arguments; undefined when the call is left as written.
 */
export type Rewrite = (args: readonly Node[]) => string | undefined;

const nullIfAnyNull = (name: string) => (args: readonly Node[]) =>
  args.length < 2
    ? undefined
    : `CASE WHEN ${args.map((_, i) => `__arg${i + 1} IS NULL`).join(' OR ')} THEN NULL ELSE ${name}(${argList(args)}) END`;

/** A date literal or cast (`DATE '2020-01-01'`). */
function isDate(node: Node | undefined): boolean {
  return node?.['class'] === 'CAST' && (node['cast_type'] as Node | undefined)?.['id'] === 'DATE';
}

/** Whether an expression holds an interval: a cast to one, an interval literal (`to_months(...)`) or a duration. */
function mentionsInterval(node: Node | undefined): boolean {
  let found = false;
  visit(node, (n) => {
    const castType = n['cast_type'] as { id?: unknown } | undefined;
    const name = typeof n['function_name'] === 'string' ? n['function_name'].toLowerCase() : '';
    if (
      castType?.id === 'INTERVAL' ||
      /^to_(years|months|days|hours|minutes|seconds|milliseconds|microseconds|weeks)$/.test(name) ||
      name === 'parse_duration' ||
      name === 'trino_parse_duration'
    ) {
      found = true;
    }
  });
  return found;
}

function argList(args: readonly Node[]): string {
  return args.map((_, i) => `__arg${i + 1}`).join(', ');
}

/** Functions giving a map (after translation: Trino's map functions become DuckDB's map_from_entries). */
const MAP_FUNCTIONS: ReadonlySet<string> = new Set([
  'map',
  'map_from_entries',
  'map_concat',
  'histogram',
  'multimap_agg',
  'array_histogram',
]);

/**
 * Trino functions whose DuckDB namesake answers differently, or which DuckDB spells differently, and what they
 * become. Functions both engines share with the same meaning are not listed; the macros of `trinoFunctions.ts`
 * cover the plain renames.
 */
export const REWRITES: Readonly<Record<string, Rewrite>> = {
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
      return `regexp_replace(__arg1, __arg2, ${sqlString(javaReplacement(value))}, 'g')`;
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
    isDate(a[0])
      ? // Dates step by a day (or the interval given); DuckDB's generate_series steps timestamps.
        `CAST(generate_series(CAST(__arg1 AS TIMESTAMP), CAST(__arg2 AS TIMESTAMP), ${
          a.length === 3 ? '__arg3' : "CASE WHEN __arg1 <= __arg2 THEN INTERVAL '1' DAY ELSE INTERVAL '-1' DAY END"
        }) AS DATE[])`
      : a.length === 2
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
  // Dense vectors (arrays) and sparse ones (maps), by the macros' parameter types (trinoFamilyFunctions.ts).
  cosine_similarity: (a) => (a.length === 2 ? 'trino_cosine_similarity(__arg1, __arg2)' : undefined),
  cosine_distance: (a) => (a.length === 2 ? 'trino_cosine_distance(__arg1, __arg2)' : undefined),
  euclidean_distance: (a) => (a.length === 2 ? 'list_distance(__arg1, __arg2)' : undefined),
  dot_product: (a) => (a.length === 2 ? 'list_dot_product(__arg1, __arg2)' : undefined),
  every: (a) => (a.length === 1 ? 'bool_and(__arg1)' : undefined),
  json_parse: (a) => (a.length === 1 ? 'json(__arg1)' : undefined),
  json_format: (a) => (a.length === 1 ? 'CAST(json(__arg1) AS VARCHAR)' : undefined),
  is_json_scalar: (a) => (a.length === 1 ? "json_type(__arg1) NOT IN ('ARRAY', 'OBJECT')" : undefined),
  // A map's size where the argument is written as a map (DuckDB's len takes lists only); arrays use the macro.
  cardinality: (a) =>
    a.length === 1 && MAP_FUNCTIONS.has(String((a[0] as Node)['function_name'] ?? '').toLowerCase())
      ? 'CAST(len(map_keys(__arg1)) AS BIGINT)'
      : undefined,
  // Trino's json_array leaves NULLs out (ABSENT ON NULL, its default); DuckDB's keeps them.
  json_array: (a) =>
    a.length >= 1
      ? `CAST(to_json(list_filter(CAST(json_array(${argList(a)}) AS JSON[]), __j -> json_type(__j) <> 'NULL')) AS JSON)`
      : undefined,
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
  url_extract_host: (a) => (a.length === 1 ? url('(?:[^@/?#]*@)?([^/:?#]*)', 1) : undefined),
  url_extract_protocol: (a) => (a.length === 1 ? url('', 0, true) : undefined),
  url_extract_path: (a) => (a.length === 1 ? url('[^/?#]*([^?#]*)', 1) : undefined),
  url_extract_query: (a) => (a.length === 1 ? url('[^?#]*\\?([^#]*)', 1) : undefined),
  url_extract_fragment: (a) => (a.length === 1 ? url('[^#]*#(.*)', 1) : undefined),
  date_parse: (a) =>
    a.length === 2 && isStringConstant(a[1] as Node)
      ? `strptime(__arg1, ${sqlString(mysqlToStrftime(constantValue(a[1] as Node)))})`
      : undefined,
  format_datetime: (a) =>
    a.length === 2 && isStringConstant(a[1] as Node)
      ? `strftime(__arg1, ${sqlString(jodaToStrftime(constantValue(a[1] as Node)))})`
      : undefined,
  typeof: (a) =>
    a.length !== 1
      ? undefined
      : isStringConstant(a[0] as Node)
        ? // A string literal is a varchar of its length in Trino.
          sqlString(`varchar(${[...constantValue(a[0] as Node)].length})`)
        : (a[0] as Node)['class'] === 'CONSTANT' && (a[0] as Node & { value?: { is_null?: boolean } }).value?.is_null
          ? "'unknown'"
          : // Only an expression holding an interval takes the interval overload: DuckDB may bind other
            // arguments (a decimal quotient) to it.
            mentionsInterval(a[0])
            ? 'trino_typeof(__arg1)'
            : 'trino_type_name(typeof(__arg1))',
  format: (a) => {
    if (a.length < 1 || !isStringConstant(a[0] as Node)) return undefined;
    const kinds = javaFormatConversions(constantValue(a[0] as Node));
    if (!kinds) return javaDateFormat(constantValue(a[0] as Node), a.length - 1);
    // Java's %s formats any value; DuckDB's printf only strings.
    const args = a
      .slice(1)
      .map((_, i) => (kinds.get(i + 1) === 's' ? `CAST(__arg${i + 2} AS VARCHAR)` : `__arg${i + 2}`));
    return `printf(__arg1${args.map((x) => `, ${x}`).join('')})`;
  },
  // overlay(s PLACING r FROM f [FOR n]) reaches DuckDB as overlay(s, r, f[, n]).
  overlay: (a) =>
    a.length === 3
      ? 'substr(__arg1, 1, __arg3 - 1) || __arg2 || substr(__arg1, __arg3 + length(__arg2))'
      : a.length === 4
        ? 'substr(__arg1, 1, __arg3 - 1) || __arg2 || substr(__arg1, __arg3 + __arg4)'
        : undefined,
  regexp_position: (a) =>
    a.length === 2
      ? 'trino_regexp_position(__arg1, __arg2, 1)'
      : a.length === 3
        ? 'trino_regexp_position(__arg1, __arg2, __arg3)'
        : undefined,
  // Every n-element combination in index order (n of 2 or 3 as written in the query).
  combinations: (a) => {
    const n = a.length === 2 && a[1]?.['class'] === 'CONSTANT' ? Number(constantValue(a[1] as Node)) : undefined;
    if (n === 2) {
      return 'flatten(list_transform(range(1, len(__arg1) + 1), __i -> list_transform(range(__i + 1, len(__arg1) + 1), __j -> [__arg1[__i], __arg1[__j]])))';
    }
    if (n === 3) {
      return 'flatten(flatten(list_transform(range(1, len(__arg1) + 1), __i -> list_transform(range(__i + 1, len(__arg1) + 1), __j -> list_transform(range(__j + 1, len(__arg1) + 1), __k -> [__arg1[__i], __arg1[__j], __arg1[__k]])))))';
    }
    return undefined;
  },
  // A map of the group's key/value pairs; a NULL key left out, a repeated key once (Trino keeps one of its values).
  map_agg: (a) =>
    a.length === 2
      ? "map_from_entries(list_filter(list({'key': __arg1, 'value': __arg2}) FILTER (WHERE __arg1 IS NOT NULL), (__e, __i) -> list_position(list_transform(list({'key': __arg1, 'value': __arg2}) FILTER (WHERE __arg1 IS NOT NULL), __x -> __x.key), __e.key) = __i))"
      : undefined,
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

/** Java's date and time conversions (`%tA`, `%1$tY`) as strftime's. */
const JAVA_DATE_CONVERSIONS: Readonly<Record<string, string>> = {
  A: '%A',
  a: '%a',
  B: '%B',
  b: '%b',
  h: '%b',
  C: '%C',
  Y: '%Y',
  y: '%y',
  m: '%m',
  d: '%d',
  e: '%-d',
  j: '%j',
  H: '%H',
  k: '%-H',
  I: '%I',
  l: '%-I',
  M: '%M',
  S: '%S',
  L: '%g',
  p: '%p',
  F: '%Y-%m-%d',
  D: '%m/%d/%y',
  T: '%H:%M:%S',
  R: '%H:%M',
  r: '%I:%M:%S %p',
};

/**
 * A Java format string with date and time conversions (`format('%1$tA, %1$tB %1$te, %1$tY', d)`) as a
 * concatenation: each date conversion a strftime of its argument, each other conversion a printf of its own,
 * literal text as written. Undefined for a conversion neither knows, or an argument the format does not have.
 */
function javaDateFormat(format: string, argCount: number): string | undefined {
  const parts: string[] = [];
  let next = 1;
  let last = 0;
  for (const m of format.matchAll(/%(\d+\$)?([-#+ 0,(]*\d*(?:\.\d+)?)([tT]?)([a-zA-Z%])/g)) {
    const literal = format.slice(last, m.index);
    if (literal) parts.push(sqlString(literal));
    last = (m.index ?? 0) + m[0].length;
    const [, position, flags, dateMark, conversion] = m as unknown as [
      string,
      string | undefined,
      string,
      string,
      string,
    ];
    if (conversion === '%' || conversion === 'n') {
      parts.push(sqlString(conversion === '%' ? '%' : '\n'));
      continue;
    }
    const index = position ? Number.parseInt(position, 10) : next++;
    if (index < 1 || index > argCount) return undefined;
    const arg = `__arg${index + 1}`;
    if (dateMark) {
      const strftime = JAVA_DATE_CONVERSIONS[conversion];
      if (!strftime || flags) return undefined;
      const text = `strftime(CAST(${arg} AS TIMESTAMP), ${sqlString(strftime)})`;
      parts.push(dateMark === 'T' || conversion === 'p' ? `${dateMark === 'T' ? 'upper' : 'lower'}(${text})` : text);
    } else {
      const value = conversion.toLowerCase() === 's' ? `CAST(${arg} AS VARCHAR)` : arg;
      parts.push(`printf(${sqlString(`%${flags}${conversion}`)}, ${value})`);
    }
  }
  const tail = format.slice(last);
  if (tail) parts.push(sqlString(tail));
  return parts.length === 0 ? "''" : parts.join(' || ');
}

/** A template reading part of a URL (RFC 3986's layout: `scheme://authority/path?query#fragment`). */
function url(rest: string, group: number, protocolOnly = false): string {
  const pattern = protocolOnly ? '^([a-zA-Z][a-zA-Z0-9+.-]*):' : `^[a-zA-Z][a-zA-Z0-9+.-]*://${rest}`;
  return `CASE WHEN regexp_matches(__arg1, ${sqlString(pattern)}) THEN regexp_extract(__arg1, ${sqlString(pattern)}, ${protocolOnly ? 1 : group}) END`;
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
