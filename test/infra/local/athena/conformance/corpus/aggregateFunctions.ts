import type { CorpusQuery } from '../trinoCorpus';

/** Aggregate functions (`functions/aggregate.md`) over small VALUES tables with results fixed by their definitions. */
const DOC = 'functions/aggregate.md';
const NUMS = '(VALUES 1, 2, 3) t(x)';
const SPREAD = '(VALUES 2, 4, 4, 4, 5, 5, 7, 9) t(x)';
const PAIRS = "(VALUES ('a', 1), ('b', 2), ('a', 3)) t(k, v)";

export const AGGREGATE_FUNCTIONS: readonly CorpusQuery[] = [
  { sql: `SELECT count_if(x > 1) FROM ${NUMS}`, expected: ['2'], source: DOC },
  { sql: `SELECT bool_and(x > 1), bool_or(x > 1) FROM ${NUMS}`, expected: ['false', 'true'], source: DOC },
  { sql: `SELECT every(x > 0) FROM ${NUMS}`, expected: ['true'], source: DOC },
  {
    sql: `SELECT count(*), count(x), sum(x), min(x), max(x) FROM ${NUMS}`,
    expected: ['3', '3', '6', '1', '3'],
    source: DOC,
  },
  { sql: 'SELECT count(x), count(*) FROM (VALUES 1, NULL) t(x)', expected: ['1', '2'], source: DOC },
  { sql: 'SELECT count(DISTINCT x) FROM (VALUES 1, 1, 2) t(x)', expected: ['2'], source: DOC },
  { sql: 'SELECT avg(x) FROM (VALUES 1, 2) t(x)', expected: ['1.5'], source: DOC },
  { sql: `SELECT sum(x) FILTER (WHERE x > 1) FROM ${NUMS}`, expected: ['5'], source: DOC },
  { sql: `SELECT sum(x), count(*) FROM ${NUMS} WHERE x > 5`, expected: [null, '0'], source: DOC },
  { sql: 'SELECT approx_percentile(x, 0.5) FROM (VALUES 7, 7, 7) t(x)', expected: ['7'], source: DOC },
  { sql: "SELECT histogram(x)['a'] FROM (VALUES 'a', 'b', 'a') t(x)", expected: ['2'], source: DOC },
  {
    sql: `SELECT map_agg(k, v)['b'] FROM (VALUES ('a', 1), ('b', 2)) t(k, v)`,
    expected: ['2'],
    source: DOC,
  },
  { sql: `SELECT array_sort(multimap_agg(k, v)['a']) FROM ${PAIRS}`, expected: ['[1, 3]'], source: DOC },
  { sql: `SELECT array_agg(x ORDER BY x DESC) FROM ${NUMS}`, expected: ['[3, 2, 1]'], source: DOC },
  { sql: `SELECT array_agg(x ORDER BY x) FILTER (WHERE x > 1) FROM ${NUMS}`, expected: ['[2, 3]'], source: DOC },
  { sql: `SELECT array_agg(k ORDER BY v DESC) FROM ${PAIRS}`, expected: ['[a, b, a]'], source: DOC },
  {
    sql: "SELECT listagg(x, '-') WITHIN GROUP (ORDER BY x DESC) FROM (VALUES 'a', 'b', 'c') t(x)",
    expected: ['c-b-a'],
    source: DOC,
  },
  {
    sql: `SELECT min_by(k, v), max_by(k, v) FROM (VALUES ('a', 1), ('b', 2), ('c', 3)) t(k, v)`,
    expected: ['a', 'c'],
    source: DOC,
  },
  { sql: 'SELECT max(x, 2), min(x, 2) FROM (VALUES 5, 1, 3, 4) t(x)', expected: ['[5, 4]', '[1, 3]'], source: DOC },
  { sql: `SELECT stddev_pop(x), var_pop(x) FROM ${SPREAD}`, expected: ['2.0', '4.0'], source: DOC },
  { sql: `SELECT variance(x) FROM ${SPREAD}`, expected: ['4.571428571428571'], source: DOC },
  { sql: `SELECT stddev(x) FROM ${SPREAD}`, expected: ['2.138089935299395'], source: DOC },
  { sql: 'SELECT covar_samp(x, y) FROM (VALUES (1, 2), (2, 4), (3, 6)) t(x, y)', expected: ['2.0'], source: DOC },
  { sql: 'SELECT regr_slope(y, x) FROM (VALUES (1, 2), (2, 4), (3, 6)) t(x, y)', expected: ['2.0'], source: DOC },
  { sql: 'SELECT regr_intercept(y, x) FROM (VALUES (1, 3), (2, 5), (3, 7)) t(x, y)', expected: ['1.0'], source: DOC },
  { sql: `SELECT k, sum(v) FROM ${PAIRS} GROUP BY k ORDER BY k`, expected: ['a', '4'], source: DOC },
  {
    sql: `SELECT k, count(*) FROM ${PAIRS} GROUP BY k HAVING count(*) > 1`,
    expected: ['a', '2'],
    source: 'sql/select.md',
  },
];
