/** The SQL expression giving a column's value as the text Athena writes in its CSV (Trino's rendering). */
export function trinoText(duckdbType: string, column: string): string {
  const type = duckdbType.toUpperCase();
  if (type === 'TIMESTAMP WITH TIME ZONE') {
    return `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S.%g') || ' UTC'`;
  }
  if (type.startsWith('TIMESTAMP')) return `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')`;
  if (type === 'TIME') return `strftime(TIMESTAMP '1970-01-01' + ${column}, '%H:%M:%S.%g')`;
  return `CAST(${column} AS VARCHAR)`;
}
