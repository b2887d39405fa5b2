import type { CorpusQuery, RefusedQuery } from '../trinoCorpus';
import { AGGREGATE_FUNCTIONS } from './aggregateFunctions';
import { ARRAY_FUNCTIONS } from './arrayFunctions';
import { BINARY_FUNCTIONS } from './binaryFunctions';
import { BITWISE_FUNCTIONS } from './bitwiseFunctions';
import { CONDITIONAL_AND_COMPARISON } from './conditionalAndComparison';
import { DATETIME_FUNCTIONS } from './datetimeFunctions';
import { MORE_DUCKDB_ONLY } from './duckdbOnly';
import { MATH_FUNCTIONS } from './mathFunctions';
import { SELECT_SYNTAX } from './selectSyntax';
import { STRING_FUNCTIONS } from './stringFunctions';
import { URL_FUNCTIONS } from './urlFunctions';
import { WINDOW_FUNCTIONS } from './windowFunctions';

/** The corpus families beyond `trinoCorpus.ts`, one file each. */
export const FAMILY_CORPUS: readonly CorpusQuery[] = [
  ...STRING_FUNCTIONS,
  ...BINARY_FUNCTIONS,
  ...BITWISE_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...CONDITIONAL_AND_COMPARISON,
  ...DATETIME_FUNCTIONS,
  ...AGGREGATE_FUNCTIONS,
  ...WINDOW_FUNCTIONS,
  ...SELECT_SYNTAX,
];

export const FAMILY_DUCKDB_ONLY: readonly RefusedQuery[] = MORE_DUCKDB_ONLY;
