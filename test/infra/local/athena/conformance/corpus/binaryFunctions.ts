import type { CorpusQuery } from '../trinoCorpus';

/**
 * Binary functions (`functions/binary.md`). GetQueryResults writes a varbinary as spaced hex; these queries
 * read them through `to_hex`, `from_utf8` or a number, with the values of Trino's tests of the functions.
 */
const TESTS = 'core/trino-main/src/test/java/io/trino/operator/scalar/TestVarbinaryFunctions.java';
const HMAC_SHA256 = 'D3D72F9FACDE059DA3A4EB43A9ABDD4B35118E0FEF00E6D16FB04BB332AF0484';

export const BINARY_FUNCTIONS: readonly CorpusQuery[] = [
  { sql: "SELECT to_hex(CAST('hello world' AS VARBINARY))", expected: ['68656C6C6F20776F726C64'], source: TESTS },
  { sql: "SELECT to_hex(X'58' || X'F7')", expected: ['58F7'], source: TESTS },
  { sql: "SELECT to_hex(concat(X'CAFFEE', X'F7', X'DE58'))", expected: ['CAFFEEF7DE58'], source: TESTS },
  {
    sql: "SELECT length(CAST('abc' AS VARBINARY))",
    expected: ['3'],
    source: TESTS,
  },
  { sql: "SELECT to_base64(CAST('hello world' AS VARBINARY))", expected: ['aGVsbG8gd29ybGQ='], source: TESTS },
  { sql: "SELECT from_utf8(from_base64('aGVsbG8gd29ybGQ='))", expected: ['hello world'], source: TESTS },
  { sql: "SELECT to_base64url(CAST('hello world' AS VARBINARY))", expected: ['aGVsbG8gd29ybGQ='], source: TESTS },
  { sql: "SELECT to_hex(from_hex('617a6f'))", expected: ['617A6F'], source: TESTS },
  { sql: "SELECT to_hex(md5(CAST('' AS VARBINARY)))", expected: ['D41D8CD98F00B204E9800998ECF8427E'], source: TESTS },
  {
    sql: "SELECT to_hex(md5(CAST('hashme' AS VARBINARY)))",
    expected: ['533F6357E0210E67D91F651BC49E1278'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(sha1(CAST('hashme' AS VARBINARY)))",
    expected: ['FB78992E561929A6967D5328F49413FA99048D06'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(sha256(CAST('' AS VARBINARY)))",
    expected: ['E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(sha256(CAST('hashme' AS VARBINARY)))",
    expected: ['02208B9403A87DF9F4ED6B2EE2657EFAA589026B4CCE9ACCC8E8A5BF3D693C86'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(xxhash64(CAST('' AS VARBINARY)))",
    expected: ['EF46DB3751D8E999'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(xxhash64(CAST('hashme' AS VARBINARY)))",
    expected: ['F9D96E0E1165E892'],
    source: TESTS,
  },
  { sql: "SELECT crc32(to_utf8('CRC me!'))", expected: ['38028046'], source: TESTS },
  { sql: "SELECT crc32(to_utf8('1234567890'))", expected: ['639479525'], source: TESTS },
  { sql: "SELECT crc32(to_utf8('ABCDEFGHIJKLM'))", expected: ['4223167559'], source: TESTS },
  {
    sql: "SELECT to_hex(hmac_sha256(CAST('hashme' AS VARBINARY), CAST('key' AS VARBINARY)))",
    expected: [HMAC_SHA256],
    source: TESTS,
  },
  { sql: 'SELECT to_hex(to_big_endian_32(1))', expected: ['00000001'], source: TESTS },
  { sql: 'SELECT to_hex(to_big_endian_64(9223372036854775807))', expected: ['7FFFFFFFFFFFFFFF'], source: TESTS },
  { sql: "SELECT from_big_endian_64(from_hex('0000000000000001'))", expected: ['1'], source: TESTS },
  { sql: "SELECT from_big_endian_32(from_hex('80000001'))", expected: ['-2147483647'], source: TESTS },
  {
    sql: 'SELECT to_hex(to_ieee754_64(1.0))',
    expected: ['3FF0000000000000'],
    source: TESTS,
  },
  { sql: 'SELECT to_hex(to_ieee754_32(CAST(3.14 AS REAL)))', expected: ['4048F5C3'], source: TESTS },
  { sql: 'SELECT to_hex(to_ieee754_64(-infinity()))', expected: ['FFF0000000000000'], source: TESTS },
  {
    sql: "SELECT from_ieee754_64(from_hex('3FF0000000000000'))",
    expected: ['1.0'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(lpad(X'1234', 7, X'4524'))",
    expected: ['45244524451234'],
    source: TESTS,
  },
  {
    sql: "SELECT to_hex(rpad(X'1234', 7, X'45'))",
    expected: ['12344545454545'],
    source: TESTS,
  },
  {
    sql: "SELECT from_utf8(reverse(CAST('hello' AS VARBINARY)))",
    expected: ['olleh'],
    source: TESTS,
  },
  {
    sql: "SELECT from_utf8(substr(CAST('Quadratically' AS VARBINARY), 5, 6))",
    expected: ['ratica'],
    source: TESTS,
  },
  {
    sql: "SELECT from_utf8(substr(CAST('Quadratically' AS VARBINARY), -5))",
    expected: ['cally'],
    source: TESTS,
  },
];
