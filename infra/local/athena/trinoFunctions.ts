import { FAMILY_MACROS } from './trinoFamilyFunctions';
import { MORE_TRINO_MACROS } from './trinoMoreFunctions';
import { TIME_ZONE_MACROS } from './trinoTimeZones';

/**
 * DuckDB macros standing in for the Trino (Athena engine v3) functions examlake's queries use and DuckDB lacks
 * or spells differently. A macro is an expression template, so the query text itself is never rewritten.
 * Functions both engines share (date_trunc, date_diff, regexp_like, count_if, arbitrary, …) are DuckDB's own;
 * `docs/local-stack.md` lists the differences that remain.
 */
const MYSQL_TO_STRFTIME: readonly (readonly [string, string])[] = [
  // Trino's date_format/date_parse take MySQL specifiers; %M (month name) must be mapped before %i becomes %M.
  ['%M', '%B'],
  ['%i', '%M'],
  ['%s', '%S'],
  ['%W', '%A'],
  ['%h', '%I'],
  ['%T', '%H:%M:%S'],
  ['%r', '%I:%M:%S %p'],
  ['%c', '%-m'],
  ['%e', '%-d'],
  ['%k', '%-H'],
  ['%l', '%-I'],
  ['%v', '%V'],
];

function mysqlFormat(arg: string): string {
  return MYSQL_TO_STRFTIME.reduce((expr, [from, to]) => `replace(${expr}, '${from}', '${to}')`, arg);
}

export const TRINO_MACROS: readonly string[] = [
  ...TIME_ZONE_MACROS,
  ...MORE_TRINO_MACROS,
  // `/` and `%` by zero fail in Trino (except on doubles, which give Infinity or NaN); DuckDB answers NULL.
  `CREATE MACRO trino_divisor(b) AS CASE
     WHEN b = 0 AND typeof(b) NOT IN ('DOUBLE', 'FLOAT') THEN error('DIVISION_BY_ZERO: Division by zero')
     ELSE b END`,
  // Trino writes a year-to-month interval as `3-5`, a day-to-second one as `2 03:00:00.000`.
  `CREATE MACRO trino_interval_ms(i) AS
     datepart('day', i) * 86400000 + datepart('hour', i) * 3600000 + datepart('minute', i) * 60000
     + datepart('millisecond', i)`,
  `CREATE MACRO trino_interval_text(i) AS CASE
     WHEN i IS NULL THEN NULL
     WHEN trino_interval_ms(i) = 0 AND datepart('year', i) * 12 + datepart('month', i) <> 0 THEN
       CAST(datepart('year', i) AS VARCHAR) || '-' || CAST(datepart('month', i) AS VARCHAR)
     ELSE (CASE WHEN trino_interval_ms(i) < 0 THEN '-' ELSE '' END) || printf('%d %02d:%02d:%02d.%03d',
       abs(trino_interval_ms(i)) // 86400000, abs(trino_interval_ms(i)) % 86400000 // 3600000,
       abs(trino_interval_ms(i)) % 3600000 // 60000, abs(trino_interval_ms(i)) % 60000 // 1000,
       abs(trino_interval_ms(i)) % 1000) END`,
  // Trino's typeof names.
  `CREATE MACRO trino_type_name(t) AS CASE
     WHEN t = 'FLOAT' THEN 'real'
     WHEN t = 'TIMESTAMP' THEN 'timestamp(3)'
     WHEN t = 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp(3) with time zone'
     WHEN t = '"NULL"' THEN 'unknown'
     WHEN t = 'BLOB' THEN 'varbinary'
     WHEN t LIKE 'MAP(%' THEN lower(t)
     WHEN t LIKE '%[]' THEN 'array(' || lower(t[1:-3]) || ')'
     ELSE lower(replace(t, ' ', '')) END`,
  'CREATE MACRO approx_percentile(x, p) AS approx_quantile(x, p)',
  'CREATE MACRO approx_distinct(x) AS approx_count_distinct(x)',
  `CREATE MACRO date_format(ts, fmt) AS strftime(ts, ${mysqlFormat('fmt')})`,
  'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  // A date is written as a date, a timestamp without its zone (Trino: 2020-01-01T10:00:00.000).
  `CREATE MACRO to_iso8601(x) AS CASE typeof(x) WHEN 'DATE' THEN strftime(x, '%Y-%m-%d')
     WHEN 'TIMESTAMP' THEN strftime(x, '%Y-%m-%dT%H:%M:%S.%g') ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%gZ') END`,
  'CREATE MACRO from_unixtime(n) AS to_timestamp(n)',
  'CREATE MACRO to_unixtime(ts) AS epoch(ts)',
  // An array's element (1-based; a negative index counts from the end) or a map's value for a key, NULL when absent:
  // DuckDB's subscript means both.
  'CREATE MACRO element_at(container, i) AS container[i]',
  'CREATE MACRO cardinality(x) AS len(x)',
  'CREATE MACRO day_of_week(d) AS isodow(d)',
  'CREATE MACRO dow(d) AS isodow(d)',
  'CREATE MACRO day_of_year(d) AS dayofyear(d)',
  'CREATE MACRO doy(d) AS dayofyear(d)',
  'CREATE MACRO year_of_week(d) AS isoyear(d)',
  "CREATE MACRO date_add(unit, n, ts) AS ts + CAST(CAST(n AS VARCHAR) || ' ' || unit AS INTERVAL)",
  'CREATE MACRO json_extract_scalar(j, path) AS json_extract_string(j, path)',
  'CREATE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern)',
  'CREATE MACRO is_nan(x) AS isnan(x)',
  "CREATE MACRO nan() AS CAST('NaN' AS DOUBLE)",
  "CREATE MACRO infinity() AS CAST('Infinity' AS DOUBLE)",
  `CREATE MACRO width_bucket(x, low, high, n) AS CASE
     WHEN x IS NULL THEN NULL
     WHEN x < low THEN CAST(0 AS BIGINT)
     WHEN x >= high THEN CAST(n + 1 AS BIGINT)
     ELSE CAST(floor((x - low) * n / (high - low)) AS BIGINT) + 1 END`,
  // Partner student keys (issue 16): Trino's varbinary functions. HMAC (RFC 2104) from DuckDB's sha256 (hex text)
  // with the key padded to SHA-256's 64-byte block; keys longer than a block (which HMAC hashes first) are not
  // supported here.
  'CREATE MACRO to_utf8(s) AS encode(s)',
  `CREATE MACRO hmac_block_pad__(k, c) AS from_hex(array_to_string(list_transform(range(64), i -> printf('%02x', xor(
     CASE WHEN i < octet_length(k) THEN CAST(('0x' || substr(hex(k), 2 * i + 1, 2)) AS INTEGER) ELSE 0 END, c))), ''))`,
  'CREATE MACRO hmac_sha256(m, k) AS from_hex(sha256(hmac_block_pad__(k, 92) || from_hex(sha256(hmac_block_pad__(k, 54) || m))))',
  ...FAMILY_MACROS,
];
