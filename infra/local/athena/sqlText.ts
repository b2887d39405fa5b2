/**
 * Quoting for SQL the local engine writes itself (view definitions over catalog tables and stored file paths).
 * User query text is never passed through these: it is sent to DuckDB as written, with its parameters bound.
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
