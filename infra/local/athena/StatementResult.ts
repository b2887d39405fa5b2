/** Name of the catalog tables live in, as Athena calls the Glue Data Catalog. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/** What a finished query produced, before it is written out as Athena's CSV. */
export interface StatementResult {
  readonly columns: readonly { readonly name: string; readonly duckdbType: string }[];
  /** Every value as Athena's CSV text, or null. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Sum of the sizes of the files the query's table scans opened (after partition pruning). */
  readonly dataScannedBytes: number;
  /** Rows a CREATE TABLE AS wrote (GetQueryResults' UpdateCount); absent for queries. */
  readonly updateCount?: number;
}
