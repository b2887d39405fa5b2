import type { ScopableQuery } from '../../access/applyScope';
import type { ResultRow } from '../../core/ResultPages';

/** An output column of an open report, as the catalog lists it. */
export interface OpenColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

/**
 * An open-data report: one aggregate query producing leaf counts, and how those counts form the hierarchical
 * table that is protected as a whole (every parameterisation publishes a slice of the same protected table,
 * so combining answers reveals nothing a single answer does not).
 */
export interface OpenReportDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly datasets: readonly string[];
  /** JSON Schema of the parameters (as the catalog shows it). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly columns: readonly OpenColumn[];
  /** The leaf counts for one year: each row one leaf, with a `count` column. */
  leafQuery(year: number): ScopableQuery;
  /** The leaf's path in each dimension of the table. */
  coordinates(row: ResultRow): readonly (readonly string[])[];
}
