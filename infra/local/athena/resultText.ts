/**
 * The plain-text result Athena writes for DDL and utility statements (`<id>.txt`: SHOW, DESCRIBE, DROP TABLE):
 * one line per row, its fields separated by tabs, NULL as empty, no header and no quoting. Clients read it with
 * the column names of the result's ColumnInfo (awswrangler's `describe_table`, PyAthena's pandas cursor).
 */
export function resultText(rows: readonly (readonly (string | null)[])[]): string {
  return rows.map((row) => `${row.map((v) => v ?? '').join('\t')}\n`).join('');
}

/**
 * GetQueryResults' rows of a text result, as Athena answers them: no header row, each line one datum holding
 * the whole tab-separated line.
 */
export function textResultRows(rows: readonly (readonly (string | null)[])[]): string[][] {
  return rows.map((row) => [row.map((v) => v ?? '').join('\t')]);
}

/** The rows of a stored text result (`resultText`), as `textResultRows` gives them. */
export function parseResultText(text: string): string[][] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => [line]);
}
