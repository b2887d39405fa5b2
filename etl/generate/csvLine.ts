const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a quote, comma or line break (or,
 * with `needsQuotes`, any other character the reader should keep inside one cell).
 */
export function csvField(text: string, needsQuotes: RegExp = NEEDS_QUOTES): string {
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record: fields joined by commas, line breaks inside quoted fields written as `eol`, ended by `eol`. */
export function csvLine(fields: readonly string[], eol: string): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(field) ? `"${field.replace(/\r?\n/g, eol).replace(/"/g, '""')}"` : field;
  }
  return line + eol;
}

/**
 * A record whose fields outside `textIndexes` are known to need no quoting (numbers, ids, timestamps written by
 * the generator): only the text fields are checked. Same output as `csvLine` for such records.
 */
export function csvLineOfClean(fields: readonly string[], textIndexes: readonly boolean[], eol: string): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (i > 0) line += ',';
    line +=
      textIndexes[i] && NEEDS_QUOTES.test(field) ? `"${field.replace(/\r?\n/g, eol).replace(/"/g, '""')}"` : field;
  }
  return line + eol;
}

/** Physical lines a record occupies (1 plus the line breaks inside its quoted fields). */
export function physicalLines(line: string, eol: string): number {
  if (line.indexOf('\n') === line.length - 1) return 1;
  let count = 0;
  for (let at = line.indexOf(eol); at !== -1; at = line.indexOf(eol, at + eol.length)) count++;
  return Math.max(1, count);
}
