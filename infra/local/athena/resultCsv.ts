/**
 * Athena's result CSV: a header row of column names, then one line per row; every value double-quoted (inner
 * quotes doubled), SQL NULL as an empty unquoted field, lines ended by `\n`.
 */
export function resultCsv(columns: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const line = (values: readonly (string | null)[]) =>
    values.map((v) => (v === null ? '' : `"${v.replaceAll('"', '""')}"`)).join(',');
  let text = `${line(columns)}\n`;
  for (const row of rows) text += `${line(row)}\n`;
  return text;
}

/** Parses Athena's result CSV back into rows (the header row included); an unquoted empty field is null. */
export function parseResultCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  let fieldStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('Result CSV ends inside a quoted field.');
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      row.push(value);
      fieldStart = false;
    } else if (ch === ',') {
      if (fieldStart) row.push(null);
      fieldStart = true;
      i += 1;
    } else if (ch === '\n' || ch === '\r') {
      // Every line ends with a newline, so an empty line is a row of one NULL.
      if (fieldStart) row.push(null);
      rows.push(row);
      row = [];
      fieldStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      const end = text.slice(i).search(/[,\r\n]/);
      const stop = end < 0 ? text.length : i + end;
      row.push(text.slice(i, stop));
      fieldStart = false;
      i = stop;
    }
  }
  if (row.length > 0 || !fieldStart) {
    if (fieldStart) row.push(null);
    rows.push(row);
  }
  return rows;
}
