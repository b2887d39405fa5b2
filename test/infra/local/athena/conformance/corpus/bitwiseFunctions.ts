import type { CorpusQuery } from '../trinoCorpus';

/** Bitwise functions, with the results `functions/bitwise.md` states (`bit_count` counts the set bits of the two's complement). */
const DOC = 'functions/bitwise.md';
const AGGREGATE = 'functions/aggregate.md';

export const BITWISE_FUNCTIONS: readonly CorpusQuery[] = [
  { sql: 'SELECT bitwise_and(19, 25)', expected: ['17'], source: DOC },
  { sql: 'SELECT bitwise_or(19, 25)', expected: ['27'], source: DOC },
  { sql: 'SELECT bitwise_xor(19, 25)', expected: ['10'], source: DOC },
  { sql: 'SELECT bitwise_not(-12), bitwise_not(19), bitwise_not(25)', expected: ['11', '-20', '-26'], source: DOC },
  { sql: 'SELECT bitwise_left_shift(1, 2), bitwise_left_shift(5, 2)', expected: ['4', '20'], source: DOC },
  { sql: 'SELECT bitwise_left_shift(20, 0), bitwise_left_shift(0, 2)', expected: ['20', '0'], source: DOC },
  { sql: 'SELECT bitwise_right_shift(8, 3), bitwise_right_shift(9, 1)', expected: ['1', '4'], source: DOC },
  { sql: 'SELECT bitwise_right_shift(12, 64), bitwise_right_shift(-45, 64)', expected: ['0', '0'], source: DOC },
  {
    sql: 'SELECT bitwise_right_shift_arithmetic(12, 64), bitwise_right_shift_arithmetic(-45, 64)',
    expected: ['0', '-1'],
    source: DOC,
  },
  { sql: 'SELECT bit_count(9, 64), bit_count(9, 8)', expected: ['2', '2'], source: DOC },
  { sql: 'SELECT bit_count(-7, 64), bit_count(-7, 8)', expected: ['62', '6'], source: DOC },
  { sql: 'SELECT bitwise_and_agg(x) FROM (VALUES 12, 10) t(x)', expected: ['8'], source: AGGREGATE },
  { sql: 'SELECT bitwise_or_agg(x) FROM (VALUES 12, 10) t(x)', expected: ['14'], source: AGGREGATE },
];
