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
    [/(?<=\*\s*)\bREPLACE\s*\(/i, "mismatched input 'REPLACE'"],
    [/(?<=\bSELECT\s+DISTINCT\s+)ON\b/i, "mismatched input 'ON'"],
    [/(?<=\bORDER\s+BY\s+)ALL\b/i, "mismatched input 'ALL'"],
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
    if (
      node['class'] === 'FUNCTION' &&
      node['is_operator'] &&
      (node['function_name'] === '//' || node['function_name'] === '**')
    ) {
      // DuckDB's integer division and power operators; Trino reads two operators and fails at the second.
      const symbol = String(node['function_name']).charAt(0);
      throw new QueryRejectedError(
        `SYNTAX_ERROR: ${lineColumn(sql, Number(location) + 1)}mismatched input '${symbol}'`,
      );
    }
    if (node['class'] === 'FUNCTION' && node['function_name'] === 'struct_pack' && node['schema'] === 'main') {
      // A DuckDB struct literal (`{'a': 1}`); the node is placed just after the `{`.
      throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, Number(location) - 1)}mismatched input '{'`);
    }
    if (node['class'] === 'OPERATOR' && node['type'] === 'OPERATOR_COALESCE') {
      // DuckDB's parser makes ifnull(a, b) a COALESCE; the name before its first argument tells them apart.
      const first = Number((node['children'] as Node[] | undefined)?.[0]?.['query_location']);
      const called = first >= 0 ? /([A-Za-z_]\w*)\s*\(\s*$/.exec(masked.slice(0, first)) : null;
      if (called && DUCKDB_ONLY_FUNCTIONS.has((called[1] as string).toLowerCase())) {
        throw new QueryRejectedError(
          `FUNCTION_NOT_FOUND: ${lineColumn(sql, called.index)}Function '${(called[1] as string).toLowerCase()}' not registered`,
        );
      }
    }
    if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string') {
      const name = node['function_name'].toLowerCase();
      if (name === 'list_value' && node['schema'] === 'main') {
        // The node is placed at its first element, just after the `[`.
        throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, Number(location) - 1)}mismatched input '['`);
      }
      // `extract(field FROM x)` is DuckDB's main.date_part; only a date_part written as such is DuckDB's.
      const extract = name === 'date_part' && node['schema'] === 'main';
      if (DUCKDB_ONLY_FUNCTIONS.has(name) && !extract) {
        throw new QueryRejectedError(
          `FUNCTION_NOT_FOUND: ${lineColumn(sql, location)}Function '${name}' not registered`,
        );
      }
    }
    if (node['class'] === 'POSITIONAL_REFERENCE') {
      // DuckDB's `#1` (the first column); `#` is no Trino token.
      throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, location)}mismatched input '#'`);
    }
    if (node['type'] === 'SELECT_NODE' && node['sample']) {
      // DuckDB's `USING SAMPLE n` after FROM (Trino samples a table: `TABLESAMPLE BERNOULLI (p)`).
      const at = /\bUSING\s+SAMPLE\b/i.exec(masked)?.index ?? 0;
      throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, at)}mismatched input 'USING'`);
    }
    for (const modifier of node['type'] === 'SELECT_NODE' ? ((node['modifiers'] as Node[] | undefined) ?? []) : []) {
      if (modifier['type'] === 'LIMIT_PERCENT_MODIFIER') {
        // DuckDB's `LIMIT 10%` (a share of the rows); Trino's LIMIT takes a count.
        const at = masked.indexOf('%', Number((modifier['limit'] as Node | undefined)?.['query_location'] ?? 0));
        throw new QueryRejectedError(`SYNTAX_ERROR: ${lineColumn(sql, at)}mismatched input '%'`);
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
  'date_part',
  'datepart',
  'today',
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
