import { csvField } from '../../etl/generate/csvLine';

/** Characters a spreadsheet may split a cell on besides RFC 4180's: quoted so the cell stays one. */
const SPREADSHEET_QUOTES = /[",;\t\r\n]/;

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A formula start after a separator that spreadsheets split text on (`,` `;` tab `|`, with any spaces): opened in
 * a locale or import that splits on `;` (or `|`), `Maths;=cmd|…` becomes the cells `Maths` and `=cmd|…`.
 */
const FORMULA_AFTER_SEPARATOR = /([,;\t|] *)([=+\-@])/g;

/**
 * One CSV field, RFC 4180 quoted when needed, and neutralised against spreadsheet formula injection: a text
 * cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, and so does every such start
 * after a separator spreadsheets split on (`,`, `;`, tab, `|`); a cell holding `;` or a tab is also quoted, so a
 * spreadsheet that honours quotes keeps it one cell. Numbers are written as numbers (a negative number is data,
 * not a formula).
 */
export function spreadsheetCsvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value).replace(FORMULA_AFTER_SEPARATOR, "$1'$2");
  if (FORMULA_START.test(text)) text = `'${text}`;
  return csvField(text, SPREADSHEET_QUOTES);
}

/** A header line and one line per row, CRLF-terminated (RFC 4180). */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): string {
  const lines = [columns.map(spreadsheetCsvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => spreadsheetCsvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
