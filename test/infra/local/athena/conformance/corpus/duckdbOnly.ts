import type { RefusedQuery } from '../trinoCorpus';

/**
 * More DuckDB-only SQL: syntax DuckDB reads and Trino's grammar has no rule for, and DuckDB functions Trino
 * (Athena engine v3) does not register (`SHOW FUNCTIONS` in Athena lists none of them).
 */
export const MORE_DUCKDB_ONLY: readonly RefusedQuery[] = [
  { sql: 'SELECT 7 // 2', error: /^SYNTAX_ERROR: line 1:\d+: / },
  { sql: 'SELECT 2 ** 3', error: /^SYNTAX_ERROR: line 1:\d+: / },
  { sql: "SELECT {'a': 1}", error: /^SYNTAX_ERROR: line 1:8: / },
  { sql: 'SELECT DISTINCT ON (x) x FROM (VALUES 1) t(x)', error: /^SYNTAX_ERROR: line 1:\d+: / },
  { sql: 'SELECT * REPLACE (x + 1 AS x) FROM (VALUES 1) t(x)', error: /^SYNTAX_ERROR: line 1:\d+: / },
  { sql: 'SELECT x FROM (VALUES 1, 2) t(x) ORDER BY ALL', error: /^SYNTAX_ERROR: line 1:\d+: / },
  { sql: 'SELECT #1 FROM (VALUES (1, 2)) t(x, y)', error: /^SYNTAX_ERROR: line 1:8: / },
  { sql: 'SELECT x FROM (VALUES (1), (2)) t(x) USING SAMPLE 2', error: /^SYNTAX_ERROR: line 1:38: / },
  { sql: 'SELECT x FROM (VALUES (1), (2)) t(x) LIMIT 50%', error: /^SYNTAX_ERROR: line 1:46: / },
  {
    sql: "SELECT date_part('year', DATE '2020-01-01')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'date_part' not registered/,
  },
  { sql: "SELECT len('abc')", error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'len' not registered/ },
  { sql: 'SELECT ifnull(NULL, 1)', error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'ifnull' not registered/ },
  { sql: 'SELECT nvl(NULL, 1)', error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'nvl' not registered/ },
  {
    sql: 'SELECT array_length(ARRAY[1])',
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'array_length' not registered/,
  },
  {
    sql: 'SELECT list_contains(ARRAY[1], 1)',
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'list_contains' not registered/,
  },
  { sql: 'SELECT list_sort(ARRAY[2, 1])', error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'list_sort' not registered/ },
  {
    sql: "SELECT array_to_string(ARRAY['a'], ',')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'array_to_string' not registered/,
  },
  {
    sql: "SELECT string_split('a,b', ',')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'string_split' not registered/,
  },
  {
    sql: "SELECT regexp_full_match('a', 'a')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'regexp_full_match' not registered/,
  },
  {
    sql: "SELECT epoch(TIMESTAMP '2020-01-01 00:00:00')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'epoch' not registered/,
  },
  { sql: 'SELECT make_date(2020, 1, 1)', error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'make_date' not registered/ },
  {
    sql: "SELECT datediff('day', DATE '2020-01-01', DATE '2020-01-02')",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'datediff' not registered/,
  },
  { sql: "SELECT printf('%d', 1)", error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'printf' not registered/ },
  { sql: 'SELECT today()', error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'today' not registered/ },
  {
    sql: 'SELECT arg_max(x, x) FROM (VALUES 1, 2) t(x)',
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'arg_max' not registered/,
  },
  {
    sql: "SELECT group_concat(x) FROM (VALUES 'a', 'b') t(x)",
    error: /^FUNCTION_NOT_FOUND: line 1:8: Function 'group_concat' not registered/,
  },
];
