/** One record of a CSV object as a reader following RFC 4180 sees it, before any schema is applied. */
export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  /** Decoded fields; empty for a blank line. */
  readonly fields: readonly string[];
  /** Set when the record cannot be read: bytes that are not UTF-8, or broken quoting. */
  readonly error?: 'INVALID_ENCODING' | 'MALFORMED_ROW';
  /** The record's bytes, line end excluded. */
  readonly bytes: Buffer;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a CSV object into records on its bytes (quotes, commas and line ends are ASCII, so this holds for
 * UTF-8 and for stray Latin-1 alike), then decodes each field strictly. A leading byte order mark is skipped;
 * CRLF and LF both end a record; line breaks inside quotes belong to the field. A reference reader for tests:
 * the generator's output is checked against it and against the schemas, independently of the transform.
 */
export function readCsvRecords(data: Buffer): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (i < data.length) {
    const start = i;
    const startLine = line;
    const raw: Buffer[] = [];
    let malformed = false;
    let ended = false;
    while (!ended) {
      if (data[i] === QUOTE) {
        const parts: Buffer[] = [];
        let from = ++i;
        let closed = false;
        while (i < data.length) {
          if (data[i] === QUOTE) {
            if (data[i + 1] === QUOTE) {
              parts.push(data.subarray(from, i + 1));
              i += 2;
              from = i;
              continue;
            }
            parts.push(data.subarray(from, i));
            i++;
            closed = true;
            break;
          }
          if (data[i] === LF) line++;
          i++;
        }
        if (!closed) {
          parts.push(data.subarray(from, i));
          malformed = true;
        }
        raw.push(Buffer.concat(parts));
        // After a closing quote only a delimiter or the end of the record may follow.
        if (
          closed &&
          i < data.length &&
          data[i] !== COMMA &&
          data[i] !== LF &&
          !(data[i] === CR && data[i + 1] === LF)
        ) {
          malformed = true;
          while (i < data.length && data[i] !== LF) i++;
        }
      } else {
        const from = i;
        while (i < data.length && data[i] !== COMMA && data[i] !== LF && !(data[i] === CR && data[i + 1] === LF)) {
          if (data[i] === QUOTE) malformed = true;
          i++;
        }
        raw.push(data.subarray(from, i));
      }
      if (i >= data.length) ended = true;
      else if (data[i] === COMMA) i++;
      else {
        const end = i;
        i += data[i] === CR ? 2 : 1;
        line++;
        ended = true;
        records.push(finish(startLine, data.subarray(start, end), raw, malformed));
        break;
      }
      if (ended) records.push(finish(startLine, data.subarray(start, i), raw, malformed));
    }
  }
  return records;
}

function finish(line: number, bytes: Buffer, raw: Buffer[], malformed: boolean): CsvRecord {
  if (bytes.length === 0) return { line, fields: [], bytes };
  let fields: string[];
  try {
    fields = raw.map((b) => utf8.decode(b));
  } catch {
    return { line, fields: raw.map((b) => b.toString('latin1')), error: 'INVALID_ENCODING', bytes };
  }
  return malformed ? { line, fields, error: 'MALFORMED_ROW', bytes } : { line, fields, bytes };
}
