import { type Node, visit } from './parseTree';
import { lineColumn, QueryRejectedError } from './QueryRejectedError';

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
