/** One record of a CSV object as a reader following RFC 4180 sees it, before any schema is applied. */
export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  /** Decoded fields; `['']` for a blank line. */
  readonly fields: readonly string[];
  /** An empty line (a trailing blank line of an export), not a record. */
  readonly blank: boolean;
  /** Set when the record cannot be read: bytes that are not UTF-8, or broken quoting. */
  readonly error?: 'INVALID_ENCODING' | 'MALFORMED_ROW';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a CSV object into records and fields: a leading byte order mark is skipped, CRLF and LF both end a
 * record, line breaks and doubled quotes inside quotes belong to the field, a quote left open or one inside an
 * unquoted field makes the record MALFORMED_ROW. An object that is not valid UTF-8 is scanned as Latin-1 (its
 * quotes, commas and line ends are the same ASCII bytes) and each record is then decoded strictly, so only the
 * records holding the bad bytes are INVALID_ENCODING. A reference reader for tests, independent of the transform.
 */
export function readCsvRecords(data: Buffer): CsvRecord[] {
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return scan(body.toString('latin1')).map(decodeStrictly);
  }
  return scan(text);
}

function decodeStrictly(record: CsvRecord): CsvRecord {
  if (record.blank) return record;
  try {
    return { ...record, fields: record.fields.map((f) => utf8.decode(Buffer.from(f, 'latin1'))) };
  } catch {
    return { ...record, error: 'INVALID_ENCODING' };
  }
}

function scan(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    const quote = text.indexOf('"', i);
    if (quote < 0 || quote > eol) {
      // The common case: no quotes in the record.
      const end = eol > i && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      const content = text.slice(i, end);
      records.push({ line, fields: content.split(','), blank: content === '' });
      i = eol + 1;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let malformed = false;
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === 34) {
        let from = ++i;
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 34) {
            field += text.slice(from, i);
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === 10) line++;
          i++;
        }
        if (!closed) {
          field += text.slice(from, n);
          malformed = true;
        } else if (i < n && !atDelimiter(text, i)) {
          // Only a comma or the end of the record may follow a closing quote.
          malformed = true;
          while (i < n && text.charCodeAt(i) !== 10) i++;
        }
      } else {
        const from = i;
        while (i < n && !atDelimiter(text, i)) {
          if (text.charCodeAt(i) === 34) malformed = true;
          i++;
        }
        field = text.slice(from, i);
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      if (i < n) {
        i += text.charCodeAt(i) === 13 ? 2 : 1;
        line++;
      }
      break;
    }
    records.push(
      malformed ? { line: start, fields, blank: false, error: 'MALFORMED_ROW' } : { line: start, fields, blank: false },
    );
  }
  return records;
}

/** A comma, LF or CRLF at `i`. */
function atDelimiter(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 44 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10);
}
