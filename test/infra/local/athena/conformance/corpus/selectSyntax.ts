import type { CorpusQuery } from '../trinoCorpus';

/**
 * Query syntax (`sql/select.md`, `sql/values.md`): grouping sets, UNNEST, set operations, VALUES, WITH,
 * joins, subqueries and row limits, over small VALUES tables whose results follow from the forms' definitions.
 */
const SELECT = 'sql/select.md';
const VALUES = 'sql/values.md';
const T = "(VALUES ('a', 'x', 1), ('a', 'y', 2), ('b', 'x', 3)) t(g, h, v)";

export const SELECT_SYNTAX: readonly CorpusQuery[] = [
  {
    sql: `SELECT g, h, sum(v) FROM ${T} GROUP BY GROUPING SETS ((g), (h), ()) ORDER BY g, h`,
    expected: ['a', null, '3'],
    source: SELECT,
  },
  {
    sql: `SELECT count(*) FROM (SELECT g, h FROM ${T} GROUP BY GROUPING SETS ((g), (h), ()))`,
    expected: ['5'],
    source: SELECT,
  },
  { sql: `SELECT count(*) FROM (SELECT g, h FROM ${T} GROUP BY ROLLUP (g, h))`, expected: ['6'], source: SELECT },
  { sql: `SELECT count(*) FROM (SELECT g, h FROM ${T} GROUP BY CUBE (g, h))`, expected: ['8'], source: SELECT },
  {
    sql: `SELECT g, h, sum(v) FROM ${T} GROUP BY ROLLUP (g, h) ORDER BY g, h`,
    expected: ['a', 'x', '1'],
    source: SELECT,
  },
  {
    sql: `SELECT g, h, sum(v) FROM ${T} GROUP BY ROLLUP (g, h) ORDER BY g NULLS FIRST, h NULLS FIRST`,
    expected: [null, null, '6'],
    source: SELECT,
  },
  {
    sql: `SELECT g, h, grouping(g, h) FROM ${T} GROUP BY ROLLUP (g, h) ORDER BY grouping(g, h) DESC`,
    expected: [null, null, '3'],
    source: SELECT,
  },
  {
    sql: `SELECT array_agg(gr ORDER BY gr) FROM (SELECT grouping(g, h) AS gr FROM ${T} GROUP BY CUBE (g, h))`,
    expected: ['[0, 0, 0, 1, 1, 2, 2, 3]'],
    source: SELECT,
  },
  {
    sql: `SELECT g, sum(v) FROM ${T} GROUP BY g, ROLLUP (h) HAVING h IS NULL ORDER BY g DESC`,
    expected: ['b', '3'],
    source: SELECT,
  },
  { sql: `SELECT g, count(*) FROM ${T} GROUP BY 1 ORDER BY 2 DESC`, expected: ['a', '2'], source: SELECT },
  { sql: `SELECT DISTINCT g FROM ${T} ORDER BY g DESC`, expected: ['b'], source: SELECT },
  { sql: `SELECT count(DISTINCT h) FROM ${T}`, expected: ['2'], source: SELECT },
  { sql: 'SELECT x FROM UNNEST(ARRAY[3, 1, 2]) AS t(x) ORDER BY x', expected: ['1'], source: SELECT },
  {
    sql: 'SELECT array_agg(x ORDER BY x) FROM UNNEST(ARRAY[3, 1, 2]) AS t(x)',
    expected: ['[1, 2, 3]'],
    source: SELECT,
  },
  {
    sql: "SELECT x, n FROM UNNEST(ARRAY['a', 'b']) WITH ORDINALITY AS t(x, n) ORDER BY n DESC",
    expected: ['b', '2'],
    source: SELECT,
  },
  {
    sql: "SELECT a, b FROM UNNEST(ARRAY[1, 2], ARRAY['x', 'y', 'z']) AS t(a, b) ORDER BY b DESC",
    expected: [null, 'z'],
    source: SELECT,
  },
  {
    sql: "SELECT a, b, n FROM UNNEST(ARRAY[1, 2], ARRAY['x', 'y', 'z']) WITH ORDINALITY AS t(a, b, n) ORDER BY n DESC",
    expected: [null, 'z', '3'],
    source: SELECT,
  },
  {
    sql: 'SELECT id, a, b FROM (VALUES (1, ARRAY[1, 2], ARRAY[3])) s(id, x, y) CROSS JOIN UNNEST(x, y) AS t(a, b) ORDER BY a DESC',
    expected: ['1', '2', null],
    source: SELECT,
  },
  {
    sql: 'SELECT id, x FROM (VALUES (1, ARRAY[10, 20])) t(id, arr) CROSS JOIN UNNEST(arr) AS u(x) ORDER BY x DESC',
    expected: ['1', '20'],
    source: SELECT,
  },
  {
    sql: 'SELECT id, x, n FROM (VALUES (1, ARRAY[10, 20])) t(id, arr) CROSS JOIN UNNEST(arr) WITH ORDINALITY AS u(x, n) ORDER BY n DESC',
    expected: ['1', '20', '2'],
    source: SELECT,
  },
  {
    sql: "SELECT k, v FROM UNNEST(MAP(ARRAY['a', 'b'], ARRAY[1, 2])) AS t(k, v) ORDER BY k",
    expected: ['a', '1'],
    source: SELECT,
  },
  {
    sql: "SELECT x, y FROM UNNEST(ARRAY[ROW(2, 'b'), ROW(1, 'a')]) AS t(x, y) ORDER BY x",
    expected: ['1', 'a'],
    source: SELECT,
  },
  { sql: 'SELECT count(*) FROM (SELECT 1 UNION SELECT 1)', expected: ['1'], source: SELECT },
  { sql: 'SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 1)', expected: ['2'], source: SELECT },
  {
    sql: 'SELECT * FROM (VALUES 1, 2, 3) t(x) INTERSECT SELECT * FROM (VALUES 2, 3, 4) u(x) ORDER BY 1',
    expected: ['2'],
    source: SELECT,
  },
  {
    sql: 'SELECT * FROM (VALUES 1, 2, 3) t(x) EXCEPT SELECT * FROM (VALUES 2, 3, 4) u(x)',
    expected: ['1'],
    source: SELECT,
  },
  {
    sql: 'SELECT count(*) FROM (SELECT * FROM (VALUES 1, 2) t(x) UNION DISTINCT SELECT * FROM (VALUES 2, 3) u(x))',
    expected: ['3'],
    source: SELECT,
  },
  {
    sql: 'SELECT x FROM (VALUES 3) t(x) UNION ALL SELECT x FROM (VALUES 1) u(x) ORDER BY x',
    expected: ['1'],
    source: SELECT,
  },
  { sql: "VALUES (1, 'a'), (2, 'b')", expected: ['1', 'a'], source: VALUES },
  { sql: 'VALUES 1, 2, 3', expected: ['1'], source: VALUES },
  {
    sql: "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t (id, name) ORDER BY id DESC",
    expected: ['2', 'b'],
    source: VALUES,
  },
  { sql: 'SELECT sum(x) FROM (VALUES 1, 2, 3) AS t(x)', expected: ['6'], source: VALUES },
  { sql: 'WITH t AS (SELECT 1 AS x) SELECT x + 1 FROM t', expected: ['2'], source: SELECT },
  {
    sql: 'WITH a AS (SELECT 2 AS x), b AS (SELECT x * 10 AS y FROM a) SELECT y FROM b',
    expected: ['20'],
    source: SELECT,
  },
  {
    sql: 'WITH t(x, y) AS (SELECT 1, 2) SELECT x + y FROM t',
    expected: ['3'],
    source: SELECT,
  },
  { sql: 'SELECT x FROM (VALUES 1, 2, 3) t(x) ORDER BY x OFFSET 1 LIMIT 1', expected: ['2'], source: SELECT },
  {
    sql: 'SELECT x FROM (VALUES 1, 2, 3) t(x) ORDER BY x DESC OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY',
    expected: ['2'],
    source: SELECT,
  },
  {
    sql: 'SELECT count(*) FROM (SELECT x FROM (VALUES 1, 2, 2, 3) t(x) ORDER BY x FETCH FIRST 2 ROWS WITH TIES)',
    expected: ['3'],
    source: SELECT,
    differs: 'FETCH FIRST ... WITH TIES does not parse',
  },
  { sql: 'SELECT count(*) FROM (SELECT x FROM (VALUES 1, 2, 3) t(x) LIMIT 2)', expected: ['2'], source: SELECT },
  { sql: 'SELECT x FROM (VALUES 1, NULL, 2) t(x) ORDER BY x NULLS FIRST', expected: [null], source: SELECT },
  { sql: 'SELECT x FROM (VALUES 1, NULL, 2) t(x) ORDER BY x DESC', expected: ['2'], source: SELECT },
  { sql: 'SELECT (SELECT max(x) FROM (VALUES 1, 5) t(x))', expected: ['5'], source: SELECT },
  { sql: 'SELECT EXISTS (SELECT 1 WHERE false)', expected: ['false'], source: SELECT },
  {
    sql: 'SELECT x FROM (VALUES 1, 2, 3) t(x) WHERE x IN (SELECT y + 1 FROM (VALUES 1, 2) u(y)) ORDER BY x',
    expected: ['2'],
    source: SELECT,
  },
  {
    sql: 'SELECT x, (SELECT count(*) FROM (VALUES 1, 2, 3) u(y) WHERE y < x) FROM (VALUES 3) t(x)',
    expected: ['3', '2'],
    source: SELECT,
  },
  {
    sql: 'SELECT x, y FROM (VALUES 1, 2) t(x), LATERAL (SELECT x * 10 AS y) ORDER BY x',
    expected: ['1', '10'],
    source: SELECT,
  },
  {
    sql: "SELECT t.id, name, score FROM (VALUES (1, 'a'), (2, 'b')) t(id, name) JOIN (VALUES (2, 90)) s(id, score) ON t.id = s.id",
    expected: ['2', 'b', '90'],
    source: SELECT,
  },
  {
    sql: "SELECT id, name, score FROM (VALUES (1, 'a'), (2, 'b')) t(id, name) JOIN (VALUES (2, 90)) s(id, score) USING (id)",
    expected: ['2', 'b', '90'],
    source: SELECT,
  },
  {
    sql: "SELECT t.id, score FROM (VALUES (1, 'a'), (2, 'b')) t(id, name) LEFT JOIN (VALUES (2, 90)) s(id, score) ON t.id = s.id ORDER BY t.id",
    expected: ['1', null],
    source: SELECT,
  },
  {
    sql: 'SELECT count(*) FROM (VALUES 1, 2) t(x) FULL OUTER JOIN (VALUES 2, 3) u(y) ON x = y',
    expected: ['3'],
    source: SELECT,
  },
  { sql: 'SELECT count(*) FROM (VALUES 1, 2) t(x) CROSS JOIN (VALUES 1, 2, 3) u(y)', expected: ['6'], source: SELECT },
  {
    sql: 'SELECT CAST(ROW(1, 2) AS ROW(a integer, b integer)).b',
    expected: ['2'],
    source: 'language/types.md',
  },
  {
    sql: "SELECT CAST(ROW('Alice', 30) AS ROW(name VARCHAR, age INTEGER)).name",
    expected: ['Alice'],
    source: 'functions/row.md',
  },
];
