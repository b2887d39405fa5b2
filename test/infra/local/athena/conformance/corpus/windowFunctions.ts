import type { CorpusQuery } from '../trinoCorpus';

/**
 * Window functions (`functions/window.md`, frames in `sql/select.md`). Each query gathers the window's whole
 * output column with `array_agg` in a fixed order, so one result row checks every row of the window.
 */
const DOC = 'functions/window.md';
const SELECT = 'sql/select.md';
const T = "(VALUES ('a', 1), ('a', 2), ('a', 2), ('b', 5)) t(g, v)";
const GAPS = '(VALUES (1, 10), (2, NULL), (3, 30)) t(o, x)';

/** The values of `expr` over table T, in the order of v then of the value. */
function column(expr: string): string {
  return `SELECT array_agg(w ORDER BY v, w) FROM (SELECT v, ${expr} AS w FROM ${T})`;
}

export const WINDOW_FUNCTIONS: readonly CorpusQuery[] = [
  { sql: column('row_number() OVER (ORDER BY v)'), expected: ['[1, 2, 3, 4]'], source: DOC },
  { sql: column('rank() OVER (ORDER BY v)'), expected: ['[1, 2, 2, 4]'], source: DOC },
  { sql: column('dense_rank() OVER (ORDER BY v)'), expected: ['[1, 2, 2, 3]'], source: DOC },
  {
    sql: column('percent_rank() OVER (ORDER BY v)'),
    expected: ['[0.0, 0.3333333333333333, 0.3333333333333333, 1.0]'],
    source: DOC,
  },
  { sql: column('cume_dist() OVER (ORDER BY v)'), expected: ['[0.25, 0.75, 0.75, 1.0]'], source: DOC },
  {
    sql: 'SELECT array_agg(b ORDER BY x) FROM (SELECT x, ntile(4) OVER (ORDER BY x) AS b FROM (VALUES 1, 2, 3, 4, 5, 6) t(x))',
    expected: ['[1, 1, 2, 2, 3, 4]'],
    source: DOC,
  },
  {
    sql: `SELECT array_agg(w ORDER BY g, v, w) FROM (SELECT g, v, row_number() OVER (PARTITION BY g ORDER BY v) AS w FROM ${T})`,
    expected: ['[1, 2, 3, 1]'],
    source: DOC,
  },
  {
    sql: `SELECT array_agg(w ORDER BY g, v, w) FROM (SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v DESC) AS w FROM ${T})`,
    expected: ['[3, 1, 1, 1]'],
    source: DOC,
  },
  { sql: column('lag(v) OVER (ORDER BY v)'), expected: ['[NULL, 1, 2, 2]'], source: DOC },
  { sql: column('lag(v, 1, 0) OVER (ORDER BY v)'), expected: ['[0, 1, 2, 2]'], source: DOC },
  { sql: column('lead(v) OVER (ORDER BY v)'), expected: ['[2, 2, 5, NULL]'], source: DOC },
  { sql: column('lead(v, 2, -1) OVER (ORDER BY v)'), expected: ['[2, -1, 5, -1]'], source: DOC },
  { sql: column('first_value(v) OVER (ORDER BY v)'), expected: ['[1, 1, 1, 1]'], source: DOC },
  { sql: column('last_value(v) OVER (ORDER BY v)'), expected: ['[1, 2, 2, 5]'], source: DOC },
  {
    sql: column('last_value(v) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'),
    expected: ['[5, 5, 5, 5]'],
    source: DOC,
  },
  {
    sql: column('nth_value(v, 2) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'),
    expected: ['[2, 2, 2, 2]'],
    source: DOC,
  },
  {
    sql: column('nth_value(v, 9) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'),
    expected: ['[NULL, NULL, NULL, NULL]'],
    source: DOC,
  },
  { sql: column('sum(v) OVER (ORDER BY v)'), expected: ['[1, 5, 5, 10]'], source: DOC },
  {
    sql: column('sum(v) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)'),
    expected: ['[1, 3, 5, 10]'],
    source: SELECT,
  },
  {
    sql: column('sum(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)'),
    expected: ['[3, 5, 9, 7]'],
    source: SELECT,
  },
  {
    sql: column('sum(v) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)'),
    expected: ['[1, 5, 5, 5]'],
    source: SELECT,
  },
  { sql: column('count(*) OVER ()'), expected: ['[4, 4, 4, 4]'], source: DOC },
  {
    sql: column('avg(v) OVER (PARTITION BY g)'),
    expected: ['[1.6666666666666667, 1.6666666666666667, 1.6666666666666667, 5.0]'],
    source: DOC,
  },
  { sql: column('max(v) OVER (PARTITION BY g)'), expected: ['[2, 2, 2, 5]'], source: DOC },
  {
    sql: `SELECT array_agg(w ORDER BY v, w) FROM (SELECT v, row_number() OVER win AS w FROM ${T} WINDOW win AS (ORDER BY v))`,
    expected: ['[1, 2, 3, 4]'],
    source: SELECT,
  },
  {
    sql: `SELECT array_agg(w ORDER BY o) FROM (SELECT o, lag(x) IGNORE NULLS OVER (ORDER BY o) AS w FROM ${GAPS})`,
    expected: ['[NULL, 10, 10]'],
    source: DOC,
    differs: 'IGNORE NULLS before OVER does not parse',
  },
  {
    sql: `SELECT array_agg(w ORDER BY o) FROM (SELECT o, last_value(x) IGNORE NULLS OVER (ORDER BY o) AS w FROM ${GAPS})`,
    expected: ['[10, 10, 30]'],
    source: DOC,
    differs: 'IGNORE NULLS before OVER does not parse',
  },
  {
    sql: `SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v DESC) AS r FROM ${T} ORDER BY g, r, v`,
    expected: ['a', '2', '1'],
    source: DOC,
  },
];
