import type { CorpusQuery } from '../trinoCorpus';

/** URL and UUID functions (`functions/url.md`, `functions/uuid.md`), with the values of Trino's URL tests. */
const DOC = 'functions/url.md';
const TESTS = 'core/trino-main/src/test/java/io/trino/operator/scalar/TestUrlFunctions.java';
const UUID = 'functions/uuid.md';
const URL = 'http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1';

export const URL_FUNCTIONS: readonly CorpusQuery[] = [
  { sql: "SELECT url_extract_protocol('http://localhost:8080/req_path')", expected: ['http'], source: DOC },
  { sql: "SELECT url_extract_protocol('https://127.0.0.1:8080/req_path')", expected: ['https'], source: DOC },
  { sql: "SELECT url_extract_protocol('ftp://path/file')", expected: ['ftp'], source: DOC },
  { sql: `SELECT url_extract_host('${URL}')`, expected: ['example.com'], source: TESTS },
  { sql: `SELECT url_extract_port('${URL}')`, expected: ['8080'], source: TESTS },
  { sql: "SELECT url_extract_port('http://example.com/path1/p.php')", expected: [null], source: TESTS },
  { sql: `SELECT url_extract_path('${URL}')`, expected: ['/path1/p.php'], source: TESTS },
  { sql: `SELECT url_extract_query('${URL}')`, expected: ['k1=v1&k2=v2'], source: TESTS },
  { sql: `SELECT url_extract_fragment('${URL}')`, expected: ['Ref1'], source: TESTS },
  { sql: "SELECT url_extract_host('https://username:password@example.com')", expected: ['example.com'], source: TESTS },
  {
    sql: "SELECT url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k2')",
    expected: ['v2'],
    source: TESTS,
  },
  {
    sql: "SELECT url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k3')",
    expected: [''],
    source: TESTS,
  },
  {
    sql: "SELECT url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k5')",
    expected: [null],
    source: TESTS,
  },
  {
    sql: "SELECT url_extract_parameter('http://example.com/path1/p.php?k=a=b=c&x=y#Ref1', 'k')",
    expected: ['a=b=c'],
    source: TESTS,
  },
  { sql: "SELECT url_encode('http://test?a=b&c=d')", expected: ['http%3A%2F%2Ftest%3Fa%3Db%26c%3Dd'], source: TESTS },
  { sql: "SELECT url_encode('~@:.-*_+ ')", expected: ['%7E%40%3A.-*_%2B+'], source: TESTS },
  { sql: "SELECT url_decode('http%3A%2F%2Ftest%3Fa%3Db%26c%3Dd')", expected: ['http://test?a=b&c=d'], source: TESTS },
  { sql: "SELECT url_decode('%7E%40%3A.-*_%2B+')", expected: ['~@:.-*_+ '], source: TESTS },
  { sql: 'SELECT typeof(uuid())', expected: ['uuid'], source: UUID },
  { sql: 'SELECT length(CAST(uuid() AS VARCHAR))', expected: ['36'], source: UUID },
  { sql: 'SELECT uuid() = uuid()', expected: ['false'], source: UUID },
  {
    sql: "SELECT CAST('12151fd2-7586-11e9-8f9e-2a86e4085a59' AS UUID)",
    expected: ['12151fd2-7586-11e9-8f9e-2a86e4085a59'],
    source: 'language/types.md',
  },
];
