/**
 * The functions ad-hoc SQL may call: an allow-list of Trino's (Athena engine v3) scalar, aggregate and window
 * functions that compute on their arguments only. Anything else is refused before the query runs, named in the
 * problem: a function that reads files, the environment or settings (DuckDB's `read_csv`, `glob`, `getenv`,
 * `current_setting`, …, which the local engine has; Trino's table functions) can then never run, whatever the engine
 * offers. An allow-list rather than a deny-list because the engines' function sets grow with every release:
 * a new file reader is refused until someone adds it here on purpose. Names are matched unqualified only
 * (`main.getenv` is refused as qualified).
 *
 * `CAST`, `TRY_CAST`, `EXTRACT`, `CASE`, `INTERVAL` and typed literals are syntax, not calls, and need no entry.
 */
export const ADHOC_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    // Aggregates
    'count count_if sum avg min max min_by max_by arbitrary any_value array_agg approx_distinct approx_percentile',
    'approx_most_frequent bitwise_and_agg bitwise_or_agg bool_and bool_or every checksum corr covar_pop covar_samp',
    'geometric_mean histogram kurtosis listagg map_agg map_union multimap_agg numeric_histogram regr_intercept',
    'regr_slope skewness stddev stddev_pop stddev_samp variance var_pop var_samp set_agg set_union',
    // Window functions
    'row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value',
    // Mathematics
    'abs cbrt ceil ceiling degrees e exp floor ln log log2 log10 mod pi pow power radians rand random round sign',
    'sqrt truncate width_bucket greatest least acos asin atan atan2 cos cosh sin sinh tan tanh is_finite',
    'is_infinite is_nan nan infinity from_base to_base beta_cdf inverse_beta_cdf normal_cdf inverse_normal_cdf',
    'wilson_interval_lower wilson_interval_upper bitwise_and bitwise_or bitwise_xor bitwise_not',
    // Strings and regular expressions
    'chr codepoint concat concat_ws format format_number hamming_distance length levenshtein_distance lower lpad',
    'ltrim luhn_check position replace reverse rpad rtrim soundex split split_part split_to_map strpos',
    'starts_with substr substring translate trim upper normalize to_utf8 from_utf8 regexp_count regexp_extract',
    'regexp_extract_all regexp_like regexp_position regexp_replace regexp_split to_hex from_hex md5 sha1 sha256',
    'sha512 xxhash64 crc32',
    // Dates and times
    'current_date current_time current_timestamp current_timezone localtime localtimestamp now date date_add',
    'date_diff date_format date_parse date_trunc day day_of_month day_of_week day_of_year dow doy',
    'format_datetime from_iso8601_date from_iso8601_timestamp from_unixtime hour human_readable_seconds',
    'last_day_of_month millisecond minute month parse_datetime parse_duration quarter second timezone_hour',
    'timezone_minute to_iso8601 to_milliseconds to_unixtime week week_of_year year year_of_week yow at_timezone',
    'with_timezone',
    // Conditionals and types
    'coalesce nullif if try typeof',
    // Arrays, maps and lambdas
    'array_distinct array_except array_intersect array_join array_max array_min array_position array_remove',
    'array_sort array_union arrays_overlap cardinality contains element_at filter flatten reduce repeat sequence',
    'slice transform zip zip_with map map_keys map_values map_entries map_filter map_concat transform_keys',
    'transform_values any_match all_match none_match combinations ngrams',
    // JSON
    'json_extract json_extract_scalar json_format json_parse json_size json_array_length json_array_get',
    'json_array_contains is_json_scalar',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Names that read files, the environment, settings or the engine's state, for a sharper message (they are
 * refused anyway, being absent from {@link ADHOC_FUNCTIONS}).
 */
export const FILE_OR_SYSTEM_FUNCTION =
  /^(read_\w*|parquet_\w*|glob|sniff_csv|iceberg_\w*|delta_scan|query|query_table|getenv|current_setting|pragma_\w*|duckdb_\w*|system|sql_auto_complete|load|install|which_secret|json_execute_serialized_sql)$/i;
