/**
 * Quoting for SQL text the project's own code writes (the ETL's DuckDB statements, the API's parameter literals,
 * the local Athena's views and file paths): one rule for every engine we target (DuckDB and Trino both double a
 * quote inside a quoted string or identifier). User query text is never passed through these: parameters are
 * bound or substituted as literals made here.
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A name as a double-quoted SQL identifier, quotes inside doubled. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
