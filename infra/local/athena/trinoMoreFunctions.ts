/**
 * DuckDB macros for Trino functions DuckDB lacks, each following Trino's definition (functions/*.md and the
 * function's implementation where the documentation is silent). Installed with the other Trino macros.
 */
export const MORE_TRINO_MACROS: readonly string[] = [
  // Luhn's checksum: from the right, every second digit doubled (less 9 when over 9); valid when the sum ends in 0.
  `CREATE MACRO luhn_check(s) AS CASE WHEN s IS NULL THEN NULL ELSE list_sum(list_transform(range(length(s)), __i ->
     CASE WHEN __i % 2 = 1 THEN (CAST(substr(reverse(s), __i + 1, 1) AS INTEGER) * 2) % 10
       + (CAST(substr(reverse(s), __i + 1, 1) AS INTEGER) * 2) // 10
     ELSE CAST(substr(reverse(s), __i + 1, 1) AS INTEGER) END)) % 10 = 0 END`,
  // Each space-separated word with its first letter upper-cased and the rest lower-cased.
  `CREATE MACRO title_case(s) AS
     array_to_string(list_transform(string_split(s, ' '), __w -> upper(__w[1]) || lower(__w[2:])), ' ')`,
  // The 1-based position of the first match at or after `start` (-1 when none); the text before `start` is kept
  // out of the match.
  `CREATE MACRO trino_regexp_position(s, p, start) AS CASE
     WHEN s IS NULL OR p IS NULL OR start IS NULL THEN NULL
     WHEN regexp_matches(substr(s, start), p) THEN
       CAST(length(regexp_extract(substr(s, start), '^([\\s\\S]*?)(?:' || p || ')', 1)) + start AS INTEGER)
     ELSE -1 END`,
  // 1,000-based unit symbols with three significant digits (Trino's FormatNumberFunction).
  `CREATE MACRO trino_format_scaled(f, unit) AS
     regexp_replace(printf('%.' || CAST(CASE WHEN f < 10 THEN 2 WHEN f < 100 THEN 1 ELSE 0 END AS VARCHAR) || 'f',
       round(f, CASE WHEN f < 10 THEN 2 WHEN f < 100 THEN 1 ELSE 0 END)), '\\.?0*$', '') || unit`,
  `CREATE MACRO trino_thousands(c) AS CASE WHEN abs(c) >= 1000000000000000 THEN 5 WHEN abs(c) >= 1000000000000 THEN 4
     WHEN abs(c) >= 1000000000 THEN 3 WHEN abs(c) >= 1000000 THEN 2 WHEN abs(c) >= 1000 THEN 1 ELSE 0 END`,
  `CREATE MACRO format_number(x) AS CASE WHEN x IS NULL THEN NULL ELSE trino_format_scaled(
     CAST(trunc(x) AS BIGINT) / power(1000.0, trino_thousands(CAST(trunc(x) AS BIGINT))),
     ['', 'K', 'M', 'B', 'T', 'Q'][1 + trino_thousands(CAST(trunc(x) AS BIGINT))]) END`,
  // A data size (`2.3MB`) in bytes, 1024-based units, the fraction truncated; a decimal(38,0) as in Trino.
  `CREATE MACRO parse_data_size(s) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN NOT regexp_matches(s, '^\\d+(\\.\\d+)?(B|kB|MB|GB|TB|PB|EB|ZB|YB)$')
       THEN error('INVALID_FUNCTION_ARGUMENT: Invalid data size: ''' || s || '''')
     ELSE CAST(trunc(CAST(regexp_extract(s, '^([\\d.]+)', 1) AS DOUBLE) * power(1024.0,
       list_position(['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'], regexp_extract(s, '([A-Za-z]+)$', 1)) - 1))
       AS DECIMAL(38, 0)) END`,
  // A duration (`42.8ms`, `5m`) as an interval day to second, rounded to milliseconds.
  `CREATE MACRO parse_duration(s) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN NOT regexp_matches(trim(s), '^\\d+(\\.\\d+)?\\s*(ns|us|ms|s|m|h|d)$')
       THEN error('INVALID_FUNCTION_ARGUMENT: duration is not a valid data duration string: ' || s)
     ELSE to_milliseconds(CAST(round(CAST(regexp_extract(trim(s), '^([\\d.]+)', 1) AS DOUBLE) *
       [0.000001, 0.001, 1, 1000, 60000, 3600000, 86400000][list_position(['ns', 'us', 'ms', 's', 'm', 'h', 'd'],
         regexp_extract(trim(s), '([a-z]+)$', 1))]) AS BIGINT)) END`,
  // Seconds as weeks, days, hours, minutes and seconds, the zero parts left out (`1 minute, 36 seconds`).
  `CREATE MACRO trino_time_part(n, unit) AS
     CASE WHEN n = 0 THEN NULL ELSE CAST(n AS VARCHAR) || ' ' || unit || CASE WHEN n = 1 THEN '' ELSE 's' END END`,
  `CREATE MACRO human_readable_seconds(x) AS CASE WHEN x IS NULL THEN NULL
     WHEN CAST(round(x) AS BIGINT) = 0 THEN '0 seconds'
     ELSE array_to_string(list_filter([
       trino_time_part(CAST(round(x) AS BIGINT) // 604800, 'week'),
       trino_time_part(CAST(round(x) AS BIGINT) % 604800 // 86400, 'day'),
       trino_time_part(CAST(round(x) AS BIGINT) % 86400 // 3600, 'hour'),
       trino_time_part(CAST(round(x) AS BIGINT) % 3600 // 60, 'minute'),
       trino_time_part(CAST(round(x) AS BIGINT) % 60, 'second')], __p -> __p IS NOT NULL), ', ') END`,
  // ISO 8601 dates, also as week dates (`2020-W10`, `2020-W10-3`) and ordinal dates (`2020-123`).
  `CREATE MACRO trino_iso_week_monday(y) AS
     make_date(y, 1, 4) - CAST(isodow(make_date(y, 1, 4)) - 1 AS INTEGER)`,
  `CREATE MACRO from_iso8601_date(s) AS CASE
     WHEN regexp_matches(s, '^\\d{4}-?W\\d{2}(-?\\d)?$') THEN
       trino_iso_week_monday(CAST(s[1:4] AS INTEGER))
       + CAST((CAST(regexp_extract(s, 'W(\\d{2})', 1) AS INTEGER) - 1) * 7
         + coalesce(TRY_CAST(nullif(regexp_extract(s, 'W\\d{2}-?(\\d)$', 1), '') AS INTEGER), 1) - 1 AS INTEGER)
     WHEN regexp_matches(s, '^\\d{4}-?\\d{3}$') THEN
       make_date(CAST(s[1:4] AS INTEGER), 1, 1) + CAST(CAST(right(s, 3) AS INTEGER) - 1 AS INTEGER)
     ELSE CAST(s AS DATE) END`,
  // Values and how often each occurs, in order of first occurrence (NULLs not counted).
  `CREATE MACRO array_histogram(a) AS map_from_entries(list_transform(
     list_filter(a, (__x, __i) -> __x IS NOT NULL AND list_position(a, __x) = __i),
     __x -> {'key': __x, 'value': CAST(len(list_filter(a, __y -> __y = __x)) AS BIGINT)}))`,
  // Consecutive n-element windows; the whole array when it has n elements or fewer.
  `CREATE MACRO ngrams(a, n) AS CASE WHEN n >= len(a) THEN [a]
     ELSE list_transform(range(1, len(a) - n + 2), __i -> a[__i:__i + n - 1]) END`,
];
