import type { Node } from './parseTree';
import type { Rewrite } from './trinoRewrites';

/**
 * Trino string, binary, bitwise, URL, math, array, date and aggregate functions DuckDB lacks, as DuckDB macros
 * (expression templates: the query text is never rewritten). Names DuckDB already has with another meaning are
 * translated on the parse tree instead ({@link FAMILY_REWRITES}).
 */
export const FAMILY_MACROS: readonly string[] = [
  // Strings.
  'CREATE MACRO codepoint(s) AS CAST(unicode(s) AS INTEGER)',
  'CREATE MACRO levenshtein_distance(a, b) AS CAST(levenshtein(a, b) AS BIGINT)',
  'CREATE MACRO hamming_distance(a, b) AS CAST(hamming(a, b) AS BIGINT)',
  'CREATE MACRO from_utf8(b) AS decode(b)',
  // The 1-based position of the n-th occurrence (from the end when n < 0), 0 when there is none.
  `CREATE MACRO trino_positions(s, sub) AS
     list_filter(range(1, length(s) - length(sub) + 2), i -> substr(s, i, length(sub)) = sub)`,
  `CREATE MACRO trino_strpos_instance(s, sub, n) AS CAST(coalesce((CASE WHEN n > 0 THEN trino_positions(s, sub)
     ELSE list_reverse(trino_positions(s, sub)) END)[abs(n)], 0) AS BIGINT)`,
  `CREATE MACRO split_to_map(s, entry_delimiter, key_delimiter) AS map_from_entries(list_transform(
     string_split(s, entry_delimiter),
     e -> {'key': split_part(e, key_delimiter, 1), 'value': substr(e, strpos(e, key_delimiter) + length(key_delimiter))}))`,
  `CREATE MACRO split_to_multimap(s, entry_delimiter, key_delimiter) AS map_from_entries(list_transform(
     list_filter(string_split(s, entry_delimiter), (e, i) -> list_position(
       list_transform(string_split(s, entry_delimiter), x -> split_part(x, key_delimiter, 1)),
       split_part(e, key_delimiter, 1)) = i),
     e -> {'key': split_part(e, key_delimiter, 1), 'value': list_transform(
       list_filter(string_split(s, entry_delimiter), x -> split_part(x, key_delimiter, 1) = split_part(e, key_delimiter, 1)),
       x -> substr(x, strpos(x, key_delimiter) + length(key_delimiter)))}))`,
  // Soundex as Trino's (Apache Commons Codec, American English: H and W do not separate equal codes).
  "CREATE MACRO trino_soundex_code(c) AS substr('01230120022455012623010202', ascii(c) - 64, 1)",
  // The letters with H and W dropped after the first; a code is written unless 0 or the previous letter's.
  `CREATE MACRO trino_soundex_letters(s) AS list_filter(list_filter(string_split(upper(s), ''),
     c -> regexp_matches(c, '^[A-Z]$')), (c, i) -> i = 1 OR c NOT IN ('H', 'W'))`,
  `CREATE MACRO soundex(s) AS CASE WHEN len(trino_soundex_letters(s)) = 0 THEN '' ELSE rpad(left(
     trino_soundex_letters(s)[1] || array_to_string(list_transform(range(2, len(trino_soundex_letters(s)) + 1),
       j -> CASE WHEN trino_soundex_code(trino_soundex_letters(s)[j]) NOT IN ('0', trino_soundex_code(trino_soundex_letters(s)[j - 1]))
         THEN trino_soundex_code(trino_soundex_letters(s)[j]) ELSE '' END), ''), 4), 4, '0') END`,
  // URLs (RFC 2396 as Trino reads it; Trino's url_encode is Java's URLEncoder: space as +, `.-*_` kept).
  `CREATE MACRO url_extract_port(u) AS CAST(nullif(regexp_extract(u,
     '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?[^/:?#]*:([0-9]+)', 1), '') AS BIGINT)`,
  `CREATE MACRO url_extract_parameter(u, name) AS (
     SELECT CASE WHEN p IS NULL THEN NULL WHEN strpos(p, '=') = 0 THEN '' ELSE substr(p, strpos(p, '=') + 1) END
     FROM (SELECT list_filter(string_split(regexp_extract(u, '^[^?#]*\\?([^#]*)', 1), '&'),
       e -> split_part(e, '=', 1) = name)[1] AS p))`,
  // Binary.
  "CREATE MACRO to_base64url(b) AS replace(replace(to_base64(b), '+', '-'), '/', '_')",
  // xxHash64 (XXH64, seed 0) of a varbinary, in 64-bit arithmetic kept by taking 128-bit results modulo 2^64;
  // the 4 accumulators of 32-byte stripes are independent folds, the tail is folded 8, 4 and 1 bytes at a time.
  `CREATE MACRO trino_xx_mod(x) AS CAST(CAST(x AS UHUGEINT) % CAST('18446744073709551616' AS UHUGEINT) AS UBIGINT)`,
  `CREATE MACRO trino_xx_mul(a, b) AS trino_xx_mod(CAST(a AS UHUGEINT) * CAST(b AS UHUGEINT))`,
  `CREATE MACRO trino_xx_add(a, b) AS trino_xx_mod(CAST(a AS UHUGEINT) + CAST(b AS UHUGEINT))`,
  `CREATE MACRO trino_xx_rotl(v, n) AS trino_xx_mod(CAST(CAST(v AS UBIGINT) % (CAST(1 AS UBIGINT) << (64 - n)) AS UHUGEINT) * CAST(CAST(1 AS UBIGINT) << n AS UHUGEINT) + CAST(CAST(v AS UBIGINT) >> (64 - n) AS UHUGEINT))`,
  `CREATE MACRO trino_xx_round(acc, lane) AS trino_xx_mul(trino_xx_rotl(trino_xx_add(acc, trino_xx_mul(lane, CAST('14029467366897019727' AS UBIGINT))), 31), CAST('11400714785074694791' AS UBIGINT))`,
  `CREATE MACRO trino_xx_merge(acc, v) AS trino_xx_add(trino_xx_mul(xor(acc, trino_xx_round(0, v)), CAST('11400714785074694791' AS UBIGINT)), CAST('9650029242287828579' AS UBIGINT))`,
  `CREATE MACRO trino_xx_le(b, o, n) AS CAST(('0x' || array_to_string(list_transform(range(n - 1, -1, -1), j -> substr(hex(b), 2 * (o + j) + 1, 2)), '')) AS UBIGINT)`,
  `CREATE MACRO trino_xx_stripes(b) AS octet_length(b) // 32`,
  `CREATE MACRO trino_xx_lane_acc(b, k, init) AS list_reduce(list_transform(range(trino_xx_stripes(b)), s -> trino_xx_le(b, 32 * s + 8 * k, 8)), (acc, lane) -> trino_xx_round(acc, lane), CAST(init AS UBIGINT))`,
  `CREATE MACRO trino_xx_head(b) AS CASE WHEN octet_length(b) < 32 THEN CAST('2870177450012600261' AS UBIGINT) ELSE
  trino_xx_merge(trino_xx_merge(trino_xx_merge(trino_xx_merge(
    trino_xx_add(trino_xx_add(trino_xx_add(trino_xx_rotl(trino_xx_lane_acc(b, 0, CAST('6983438078262162902' AS UBIGINT)), 1), trino_xx_rotl(trino_xx_lane_acc(b, 1, CAST('14029467366897019727' AS UBIGINT)), 7)), trino_xx_rotl(trino_xx_lane_acc(b, 2, 0), 12)), trino_xx_rotl(trino_xx_lane_acc(b, 3, CAST('7046029288634856825' AS UBIGINT)), 18)),
    trino_xx_lane_acc(b, 0, CAST('6983438078262162902' AS UBIGINT))), trino_xx_lane_acc(b, 1, CAST('14029467366897019727' AS UBIGINT))), trino_xx_lane_acc(b, 2, 0)), trino_xx_lane_acc(b, 3, CAST('7046029288634856825' AS UBIGINT))) END`,
  `CREATE MACRO trino_xx_tail8(b, h) AS list_reduce(list_transform(range((octet_length(b) % 32) // 8), i -> trino_xx_le(b, 32 * trino_xx_stripes(b) + 8 * i, 8)),
  (acc, lane) -> trino_xx_add(trino_xx_mul(trino_xx_rotl(xor(acc, trino_xx_round(0, lane)), 27), CAST('11400714785074694791' AS UBIGINT)), CAST('9650029242287828579' AS UBIGINT)), h)`,
  `CREATE MACRO trino_xx_tail4(b, h) AS CASE WHEN octet_length(b) % 8 >= 4 THEN
  trino_xx_add(trino_xx_mul(trino_xx_rotl(xor(h, trino_xx_mul(trino_xx_le(b, octet_length(b) - octet_length(b) % 8, 4), CAST('11400714785074694791' AS UBIGINT))), 23), CAST('14029467366897019727' AS UBIGINT)), CAST('1609587929392839161' AS UBIGINT))
  ELSE h END`,
  `CREATE MACRO trino_xx_tail1(b, h) AS list_reduce(list_transform(range(octet_length(b) % 4), i -> trino_xx_le(b, octet_length(b) - octet_length(b) % 4 + i, 1)),
  (acc, byte) -> trino_xx_mul(trino_xx_rotl(xor(acc, trino_xx_mul(byte, CAST('2870177450012600261' AS UBIGINT))), 11), CAST('11400714785074694791' AS UBIGINT)), h)`,
  `CREATE MACRO trino_xx_avalanche(h) AS xor(trino_xx_mul(xor(trino_xx_mul(xor(h, h >> 33), CAST('14029467366897019727' AS UBIGINT)), trino_xx_mul(xor(h, h >> 33), CAST('14029467366897019727' AS UBIGINT)) >> 29), CAST('1609587929392839161' AS UBIGINT)),
  trino_xx_mul(xor(trino_xx_mul(xor(h, h >> 33), CAST('14029467366897019727' AS UBIGINT)), trino_xx_mul(xor(h, h >> 33), CAST('14029467366897019727' AS UBIGINT)) >> 29), CAST('1609587929392839161' AS UBIGINT)) >> 32)`,
  `CREATE MACRO xxhash64(b) AS from_hex(lpad(hex(trino_xx_avalanche(trino_xx_tail1(b, trino_xx_tail4(b, trino_xx_tail8(b, trino_xx_add(trino_xx_head(b), octet_length(b))))))), 16, '0'))`,
  // IEEE 754 encodings, from the value's exponent and mantissa (subnormals, signed zero, NaN and infinities too).
  `CREATE MACRO trino_ieee_exponent(a) AS CAST(floor(log2(a)) AS INTEGER) - CASE WHEN pow(2, floor(log2(a))) > a THEN 1 ELSE 0 END + CASE WHEN pow(2, floor(log2(a)) + 1) <= a THEN 1 ELSE 0 END`,
  `CREATE MACRO trino_ieee_sign(x, ebits, mbits) AS CASE WHEN x < 0 OR (x = 0 AND 1 / x < 0) THEN CAST(pow(2, ebits + mbits) AS UHUGEINT) ELSE CAST(0 AS UHUGEINT) END`,
  `CREATE MACRO trino_ieee_bits(x, ebits, mbits) AS CASE
  WHEN isnan(x) THEN CAST((pow(2, ebits) - 1) * pow(2, mbits) + pow(2, mbits - 1) AS UHUGEINT)
  WHEN isinf(x) THEN trino_ieee_sign(x, ebits, mbits) + CAST((pow(2, ebits) - 1) * pow(2, mbits) AS UHUGEINT)
  WHEN x = 0 THEN trino_ieee_sign(x, ebits, mbits)
  WHEN trino_ieee_exponent(abs(x)) < 2 - pow(2, ebits - 1) THEN trino_ieee_sign(x, ebits, mbits) + CAST(abs(x) / pow(2, 2 - pow(2, ebits - 1) - mbits) AS UHUGEINT)
  ELSE trino_ieee_sign(x, ebits, mbits) + CAST(trino_ieee_exponent(abs(x)) + pow(2, ebits - 1) - 1 AS UHUGEINT) * CAST(pow(2, mbits) AS UHUGEINT)
    + CAST((abs(x) / pow(2, trino_ieee_exponent(abs(x))) - 1) * pow(2, mbits) AS UHUGEINT) END`,
  `CREATE MACRO to_ieee754_64(x) AS from_hex(lpad(hex(trino_ieee_bits(CAST(x AS DOUBLE), 11, 52)), 16, '0'))`,
  `CREATE MACRO to_ieee754_32(x) AS from_hex(lpad(hex(trino_ieee_bits(CAST(x AS DOUBLE), 8, 23)), 8, '0'))`,
  `CREATE MACRO trino_ieee_value(u, ebits, mbits) AS (CASE WHEN u >> (ebits + mbits) = 1 THEN -1 ELSE 1 END) * (CASE
  WHEN (u >> mbits) & ((CAST(1 AS UBIGINT) << ebits) - 1) = (CAST(1 AS UBIGINT) << ebits) - 1
    THEN (CASE WHEN u & ((CAST(1 AS UBIGINT) << mbits) - 1) = 0 THEN CAST('Infinity' AS DOUBLE) ELSE CAST('NaN' AS DOUBLE) END)
  WHEN (u >> mbits) & ((CAST(1 AS UBIGINT) << ebits) - 1) = 0
    THEN CAST(u & ((CAST(1 AS UBIGINT) << mbits) - 1) AS DOUBLE) * pow(2, 2 - pow(2, ebits - 1) - mbits)
  ELSE (1 + CAST(u & ((CAST(1 AS UBIGINT) << mbits) - 1) AS DOUBLE) / pow(2, mbits))
    * pow(2, CAST((u >> mbits) & ((CAST(1 AS UBIGINT) << ebits) - 1) AS DOUBLE) - pow(2, ebits - 1) + 1) END)`,
  `CREATE MACRO from_ieee754_64(b) AS trino_ieee_value(CAST(('0x' || hex(b)) AS UBIGINT), 11, 52)`,
  `CREATE MACRO from_ieee754_32(b) AS CAST(trino_ieee_value(CAST(('0x' || hex(b)) AS UBIGINT), 8, 23) AS FLOAT)`,
  `CREATE MACRO trino_byte(b, i) AS CAST(('0x' || substr(hex(b), 2 * i + 1, 2)) AS UBIGINT)`,
  `CREATE MACRO crc32(b) AS CAST(xor(list_reduce(list_transform(range(octet_length(b)), i -> trino_byte(b, i)),
     (crc, byte) -> list_reduce(range(8), (c, k) -> CASE WHEN c & 1 = 1 THEN xor(c >> 1, 3988292384) ELSE c >> 1 END,
       xor(crc, byte)), CAST(4294967295 AS UBIGINT)), 4294967295) AS BIGINT)`,
  "CREATE MACRO to_big_endian_64(n) AS from_hex(lpad(hex(CAST(n AS BIGINT)), 16, '0'))",
  "CREATE MACRO to_big_endian_32(n) AS from_hex(right(lpad(hex(CAST(n AS BIGINT)), 16, '0'), 8))",
  `CREATE MACRO from_big_endian_64(b) AS CAST(CASE WHEN CAST(('0x' || hex(b)) AS UBIGINT) >= 9223372036854775808
     THEN CAST(CAST(('0x' || hex(b)) AS UBIGINT) AS HUGEINT) - 18446744073709551616
     ELSE CAST(('0x' || hex(b)) AS UBIGINT) END AS BIGINT)`,
  `CREATE MACRO from_big_endian_32(b) AS CAST(CASE WHEN CAST(('0x' || hex(b)) AS BIGINT) >= 2147483648
     THEN CAST(('0x' || hex(b)) AS BIGINT) - 4294967296 ELSE CAST(('0x' || hex(b)) AS BIGINT) END AS INTEGER)`,
  // Functions of strings, arrays and varbinary: one overload per type (DuckDB's own take strings or lists only).
  'CREATE MACRO trino_length(b BLOB) AS octet_length(b), (s) AS length(s)',
  `CREATE MACRO trino_lpad(b BLOB, n, p) AS from_hex(lpad(hex(b), 2 * n, hex(p))), (s, n, p) AS lpad(s, n, p)`,
  `CREATE MACRO trino_rpad(b BLOB, n, p) AS from_hex(rpad(hex(b), 2 * n, hex(p))), (s, n, p) AS rpad(s, n, p)`,
  `CREATE MACRO trino_reverse(b BLOB) AS from_hex(array_to_string(list_reverse(list_transform(range(octet_length(b)),
     i -> substr(hex(b), 2 * i + 1, 2))), '')), (s VARCHAR) AS reverse(s), (a) AS list_reverse(a)`,
  // substr: a start of 0, or before the start, gives an empty result in Trino (DuckDB: from the first character).
  `CREATE MACRO trino_substr(b BLOB, i) AS from_hex(CASE WHEN i = 0 OR -i > octet_length(b) THEN ''
       ELSE substr(hex(b), 2 * (CASE WHEN i > 0 THEN i ELSE octet_length(b) + i + 1 END) - 1) END),
     (b BLOB, i, n) AS from_hex(CASE WHEN i = 0 OR -i > octet_length(b) THEN ''
       ELSE substr(hex(b), 2 * (CASE WHEN i > 0 THEN i ELSE octet_length(b) + i + 1 END) - 1, 2 * n) END),
     (s, i) AS CASE WHEN i = 0 OR -i > length(s) THEN substr(s, 1, 0) ELSE substr(s, i) END,
     (s, i, n) AS CASE WHEN i = 0 OR -i > length(s) THEN substr(s, 1, 0) ELSE substr(s, i, n) END`,
  // sign keeps a floating-point argument's type (DuckDB's sign is a tinyint; Trino's sign of a decimal is decimal(1,0)).
  `CREATE MACRO trino_sign(x DOUBLE) AS CAST(sign(x) AS DOUBLE), (x FLOAT) AS CAST(sign(x) AS FLOAT),
     (x DECIMAL(38, 18)) AS sign(x), (x BIGINT) AS sign(x), (x HUGEINT) AS sign(x), (x) AS sign(x)`,
  // concat_ws over an array joins its non-NULL elements (DuckDB's writes the array as text).
  `CREATE MACRO trino_concat_ws(sep, a VARCHAR[]) AS CASE WHEN sep IS NOT NULL
       THEN array_to_string(list_filter(a, x -> x IS NOT NULL), sep) END,
     (sep, s VARCHAR) AS concat_ws(sep, s), (sep, x) AS concat_ws(sep, x)`,
  // Cosine similarity and distance of dense vectors (arrays) and of sparse ones (maps of name to value).
  `CREATE MACRO trino_cosine_similarity(a MAP(VARCHAR, DOUBLE), b MAP(VARCHAR, DOUBLE)) AS
     list_sum(list_transform(map_keys(a), k -> coalesce(a[k] * b[k], 0)))
       / (sqrt(list_sum(list_transform(map_values(a), v -> v * v))) * sqrt(list_sum(list_transform(map_values(b), v -> v * v)))),
     (a, b) AS list_cosine_similarity(a, b)`,
  `CREATE MACRO trino_cosine_distance(a MAP(VARCHAR, DOUBLE), b MAP(VARCHAR, DOUBLE)) AS 1 - trino_cosine_similarity(a, b),
     (a, b) AS list_cosine_distance(a, b)`,
  // A timestamp as text has its milliseconds in Trino (2020-01-01 10:00:00.000).
  `CREATE MACRO trino_varchar(x TIMESTAMP) AS strftime(x, '%Y-%m-%d %H:%M:%S.%g'), (x DATE) AS CAST(x AS VARCHAR),
     (x) AS CAST(x AS VARCHAR)`,
  // Trino has two interval types; DuckDB one, so its value tells them apart (a zero interval is day to second).
  `CREATE MACRO trino_typeof(x INTERVAL) AS CASE WHEN datepart('day', x) = 0 AND datepart('microseconds', x) = 0
       AND datepart('hour', x) = 0 AND datepart('minute', x) = 0 AND (datepart('year', x) <> 0 OR datepart('month', x) <> 0)
       THEN 'interval year to month' ELSE 'interval day to second' END,
     (x) AS trino_type_name(typeof(x))`,
  // Bitwise (two's complement on 64 bits).
  'CREATE MACRO bitwise_and(x, y) AS CAST(x AS BIGINT) & CAST(y AS BIGINT)',
  'CREATE MACRO bitwise_or(x, y) AS CAST(x AS BIGINT) | CAST(y AS BIGINT)',
  'CREATE MACRO bitwise_xor(x, y) AS xor(CAST(x AS BIGINT), CAST(y AS BIGINT))',
  'CREATE MACRO bitwise_not(x) AS ~CAST(x AS BIGINT)',
  'CREATE MACRO bitwise_left_shift(v, s) AS CASE WHEN s >= 64 THEN 0 ELSE CAST(v AS BIGINT) << s END',
  `CREATE MACRO bitwise_right_shift(v, s) AS CASE WHEN s >= 64 THEN 0 WHEN s = 0 THEN CAST(v AS BIGINT)
     ELSE (CAST(v AS BIGINT) >> s) & (CAST(9223372036854775807 AS BIGINT) >> (s - 1)) END`,
  `CREATE MACRO bitwise_right_shift_arithmetic(v, s) AS CASE WHEN s >= 64 THEN (CASE WHEN v < 0 THEN -1 ELSE 0 END)
     ELSE CAST(v AS BIGINT) >> s END`,
  'CREATE MACRO bitwise_and_agg(x) AS bit_and(CAST(x AS BIGINT))',
  'CREATE MACRO bitwise_or_agg(x) AS bit_or(CAST(x AS BIGINT))',
  // Math.
  'CREATE MACRO e() AS exp(1)',
  'CREATE MACRO truncate(x) AS trunc(x)',
  'CREATE MACRO is_finite(x) AS isfinite(x)',
  'CREATE MACRO is_infinite(x) AS isinf(x)',
  `CREATE MACRO from_base(s, radix) AS list_reduce(list_transform(string_split(lower(s), ''),
     c -> CAST(strpos('0123456789abcdefghijklmnopqrstuvwxyz', c) - 1 AS BIGINT)), (acc, d) -> acc * radix + d, CAST(0 AS BIGINT))`,
  // Arrays (Trino keeps the first occurrence's order).
  'CREATE MACRO array_max(a) AS list_max(a)',
  'CREATE MACRO array_min(a) AS list_min(a)',
  'CREATE MACRO array_union(a, b) AS list_filter(a || b, (x, i) -> list_position(a || b, x) = i)',
  `CREATE MACRO array_except(a, b) AS list_filter(list_filter(a, (x, i) -> list_position(a, x) = i),
     x -> NOT list_contains(b, x))`,
  'CREATE MACRO array_remove(a, e) AS list_filter(a, x -> x IS NULL OR x <> e)',
  `CREATE MACRO arrays_overlap(a, b) AS CASE
     WHEN len(list_intersect(list_filter(a, x -> x IS NOT NULL), list_filter(b, x -> x IS NOT NULL))) > 0 THEN true
     WHEN len(list_filter(a, x -> x IS NULL)) > 0 OR len(list_filter(b, x -> x IS NULL)) > 0 THEN NULL
     ELSE false END`,
  `CREATE MACRO contains_sequence(a, s) AS len(s) = 0 OR coalesce(list_bool_or(list_transform(
     range(1, len(a) - len(s) + 2), i -> list_slice(a, i, i + len(s) - 1) = s)), false)`,
  // Date and time.
  'CREATE MACRO day_of_month(d) AS day(d)',
  'CREATE MACRO week_of_year(d) AS week(d)',
  'CREATE MACRO yow(d) AS isoyear(d)',
  'CREATE MACRO last_day_of_month(d) AS last_day(d)',
  // Aggregates.
  `CREATE MACRO multimap_agg(k, v) AS map_from_entries(list_transform(list_distinct(list(k)),
     kk -> {'key': kk, 'value': list_transform(list_filter(list({'k': k, 'v': v}), e -> e.k = kk), e -> e.v)}))`,
];

function columnName(node: Node | undefined): string | undefined {
  const names = node?.['class'] === 'COLUMN_REF' ? (node['column_names'] as string[]) : undefined;
  return names?.length === 1 ? String(names[0]).toLowerCase() : undefined;
}

/** Trino functions whose DuckDB namesake means something else, as parse-tree rewrites (`trinoRewrites.ts`). */
export const FAMILY_REWRITES: Readonly<Record<string, Rewrite>> = {
  // strpos with an instance: DuckDB's takes two arguments.
  strpos: (a) => (a.length === 3 ? 'trino_strpos_instance(__arg1, __arg2, __arg3)' : undefined),
  substr: (a) => (a.length === 2 || a.length === 3 ? `trino_substr(${argList(a)})` : undefined),
  substring: (a) => (a.length === 2 || a.length === 3 ? `trino_substr(${argList(a)})` : undefined),
  length: (a) => (a.length === 1 ? 'trino_length(__arg1)' : undefined),
  lpad: (a) => (a.length === 3 ? 'trino_lpad(__arg1, __arg2, __arg3)' : undefined),
  rpad: (a) => (a.length === 3 ? 'trino_rpad(__arg1, __arg2, __arg3)' : undefined),
  sign: (a) => (a.length === 1 ? 'trino_sign(__arg1)' : undefined),
  split: (a) =>
    a.length === 3
      ? `CASE WHEN len(string_split(__arg1, __arg2)) <= __arg3 THEN string_split(__arg1, __arg2)
         ELSE list_slice(string_split(__arg1, __arg2), 1, __arg3 - 1)
           || [array_to_string(list_slice(string_split(__arg1, __arg2), __arg3, len(string_split(__arg1, __arg2))), __arg2)] END`
      : undefined,
  concat_ws: (a) => (a.length === 2 ? 'trino_concat_ws(__arg1, __arg2)' : undefined),
  // Trino's hashes of a varbinary are varbinary (DuckDB's: hex text).
  md5: (a) => (a.length === 1 ? 'from_hex(md5(__arg1))' : undefined),
  sha1: (a) => (a.length === 1 ? 'from_hex(sha1(__arg1))' : undefined),
  sha256: (a) => (a.length === 1 ? 'from_hex(sha256(__arg1))' : undefined),
  bit_count: (a) =>
    a.length === 2
      ? `CAST(CASE WHEN __arg2 >= 64 THEN bit_count(CAST(__arg1 AS BIGINT))
         ELSE bit_count(CAST(__arg1 AS BIGINT) & ((CAST(1 AS BIGINT) << __arg2) - 1)) END AS BIGINT)`
      : undefined,
  // Java's Math.cbrt is exact on cubes (DuckDB's cbrt(27) is 3.0000000000000004): one Newton step.
  cbrt: (a) =>
    a.length === 1
      ? `CASE WHEN cbrt(__arg1) = 0 OR NOT isfinite(cbrt(__arg1)) THEN cbrt(__arg1)
         ELSE cbrt(__arg1) - (cbrt(__arg1) * cbrt(__arg1) * cbrt(__arg1) - __arg1) / (3 * cbrt(__arg1) * cbrt(__arg1)) END`
      : undefined,
  to_base: (a) => (a.length === 2 ? 'lower(to_base(__arg1, __arg2))' : undefined),
  random: (a) =>
    a.length === 1
      ? 'CAST(floor(random() * __arg1) AS BIGINT)'
      : a.length === 2
        ? 'CAST(__arg1 + floor(random() * (__arg2 - __arg1)) AS BIGINT)'
        : undefined,
  width_bucket: (a) => (a.length === 2 ? 'CAST(len(list_filter(__arg2, b -> b <= __arg1)) AS BIGINT)' : undefined),
  array_distinct: (a) => (a.length === 1 ? 'list_filter(__arg1, (x, i) -> list_position(__arg1, x) = i)' : undefined),
  array_position: (a) => (a.length === 2 ? 'CAST(coalesce(list_position(__arg1, __arg2), 0) AS BIGINT)' : undefined),
  // Trino's repeat makes an array (DuckDB's repeats a string).
  repeat: (a) => (a.length === 2 ? 'list_transform(range(__arg2), __i -> __arg1)' : undefined),
  reverse: (a) => (a.length === 1 ? 'trino_reverse(__arg1)' : undefined),
  url_encode: (a) =>
    a.length === 1
      ? `array_to_string(list_transform(string_split(__arg1, ''), c -> CASE
         WHEN regexp_matches(c, '^[A-Za-z0-9.*_-]$') THEN c WHEN c = ' ' THEN '+'
         ELSE array_to_string(list_transform(range(octet_length(encode(c))),
           i -> '%' || upper(substr(hex(encode(c)), 2 * i + 1, 2))), '') END), '')`
      : undefined,
  url_decode: (a) => (a.length === 1 ? "url_decode(replace(__arg1, '+', ' '))" : undefined),
  // normalize(s) and normalize(s, NFC) (a keyword, read as a column name); the other forms are not supported.
  normalize: (a) =>
    a.length === 1 || (a.length === 2 && columnName(a[1]) === 'nfc') ? 'nfc_normalize(__arg1)' : undefined,
  millisecond: (a) => (a.length === 1 ? 'CAST(millisecond(__arg1) % 1000 AS BIGINT)' : undefined),
  date_part: (a) => {
    const field = a[0];
    if (a.length !== 2 || field?.['class'] !== 'CONSTANT') return undefined;
    const name = String((field['value'] as { value?: unknown }).value ?? '').toLowerCase();
    const duckdb = EXTRACT_FIELDS[name];
    return duckdb ? `date_part('${duckdb}', __arg2)` : undefined;
  },
};

/** Trino's extract fields DuckDB names otherwise (Trino's day of week is ISO: Monday 1 to Sunday 7). */
const EXTRACT_FIELDS: Readonly<Record<string, string>> = {
  day_of_week: 'isodow',
  dow: 'isodow',
  day_of_month: 'day',
  day_of_year: 'doy',
  year_of_week: 'isoyear',
  yow: 'isoyear',
};

function argList(args: readonly Node[]): string {
  return args.map((_, i) => `__arg${i + 1}`).join(', ');
}
