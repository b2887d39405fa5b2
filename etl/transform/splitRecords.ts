import { createReadStream } from 'node:fs';

/** One physical CSV record of a raw object, before decoding. */
export interface RawRecord {
  /** Physical line (1-based; the header is line 1) where the record starts. */
  readonly line: number;
  /**
   * Line where the record starts counting only line ends outside quotes (blank lines included): the `line`
   * DuckDB's CSV reader reports in its reject tables.
   */
  readonly csvLine: number;
  /** The record's bytes without its line ending (a quoted newline inside is kept). */
  readonly bytes: Buffer;
  /** True when a quoted field was still open at the end of the object (a truncated export). */
  readonly unterminated: boolean;
  /**
   * True when the scan saw only RFC 4180 quoting (a quote opens a field or escapes one inside quotes; a closing
   * quote is followed by a delimiter or the line end), so `splitFields` would accept the record. False means it
   * may not: a quote inside an unquoted field, text after a closing quote, or (rarely, at a chunk boundary) a CR
   * after a closing quote that the scan does not decide.
   */
  readonly wellQuoted: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just after a quote inside a quoted field: another quote continues it (escaped), anything else ends it. */
const QUOTE_IN_QUOTED = 3;
type QuoteState = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED;

/**
 * Splits a stream of bytes into RFC 4180 records, keeping each record's starting physical line: a newline inside
 * quotes belongs to the record, LF or CRLF ends it, a leading byte order mark is dropped, blank lines (empty or
 * only CR) are skipped. Works on bytes so that a record that is not UTF-8 is still found whole, and reported.
 * Yields one array per chunk read; a record's bytes may share memory with the chunk they came from: read them
 * before the next batch is requested.
 */
export async function* splitRecordBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawRecord[]> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 1;
  let first = true;
  // Quoting as RFC 4180 and DuckDB's reader see it: a quote opens a quoted field only at the start of a field; in
  // an unquoted field it is a literal character; in a quoted field `""` is a quote and `"` ends the quoting.
  let state: QuoteState = FIELD_START;
  let recordStart = 0;
  let recordLine = 1;
  let csvLine = 1;
  let recordCsvLine = 1;
  let wellQuoted = true;
  // Position in `pending` up to which quoting and lines were scanned (so a chunk boundary resumes the scan).
  let scanned = 0;
  for await (const chunk of chunks) {
    let buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (first) {
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        pending = buf;
        continue;
      }
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
      first = false;
    }
    const records: RawRecord[] = [];
    const n = buf.length;
    // Native searches jump from quote to quote and line end to line end; the bytes between only matter through
    // the last one that is not a CR (see `stateAfter`). Each position is found once per chunk, then reused.
    let nextQuote = -1;
    let nextLf = -1;
    let i = scanned;
    while (i < n) {
      if (nextQuote < i) nextQuote = find(buf, QUOTE, i);
      if (state === QUOTED) {
        // Inside quotes: line ends count as physical lines only; the next quote ends or escapes the quoting.
        if (nextLf < i) nextLf = find(buf, LF, i);
        while (nextLf < nextQuote) {
          line++;
          nextLf = find(buf, LF, nextLf + 1);
        }
        if (nextQuote === n) break;
        state = QUOTE_IN_QUOTED;
        i = nextQuote + 1;
        continue;
      }
      if (nextLf < i) nextLf = find(buf, LF, i);
      // After a closing quote only a delimiter may follow (or a quote: an escaped one, or the line end).
      if (state === QUOTE_IN_QUOTED && i < nextQuote && i < nextLf && buf[i] !== COMMA) {
        wellQuoted = wellQuoted && buf[i] === CR && i + 1 === nextLf && nextLf < n;
      }
      if (nextQuote < nextLf) {
        state = stateAfter(buf, i, nextQuote, state);
        // A quote opens quoting at the start of a field, or escapes one right after a closing quote; anywhere else
        // it is a literal (DuckDB) that RFC 4180 forbids; so is one after a CR, which the scan skips.
        if (state === UNQUOTED || (state === FIELD_START && nextQuote > recordStart && buf[nextQuote - 1] === CR)) {
          wellQuoted = false;
        }
        state = state === FIELD_START || state === QUOTE_IN_QUOTED ? QUOTED : UNQUOTED;
        i = nextQuote + 1;
        continue;
      }
      if (nextLf === n) {
        state = stateAfter(buf, i, n, state);
        break;
      }
      const end = nextLf > recordStart && buf[nextLf - 1] === CR ? nextLf - 1 : nextLf;
      if (end > recordStart) {
        records.push({
          line: recordLine,
          csvLine: recordCsvLine,
          bytes: buf.subarray(recordStart, end),
          unterminated: false,
          wellQuoted,
        });
      }
      wellQuoted = true;
      i = nextLf + 1;
      recordStart = i;
      line++;
      recordLine = line;
      csvLine++;
      recordCsvLine = csvLine;
      state = FIELD_START;
    }
    if (records.length > 0) yield records;
    pending = buf.subarray(recordStart);
    scanned = buf.length - recordStart;
    recordStart = 0;
  }
  if (first && pending.subarray(0, 3).equals(BOM)) pending = pending.subarray(3);
  let end = pending.length;
  const quoted = state === QUOTED;
  if (!quoted && end > 0 && pending[end - 1] === CR) end--;
  if (end > 0) {
    yield [
      {
        line: recordLine,
        csvLine: recordCsvLine,
        bytes: pending.subarray(0, end),
        unterminated: quoted,
        wellQuoted: wellQuoted && !quoted,
      },
    ];
  }
}

/**
 * Visits the data records of a file (the header skipped) in order, each with its position among the rows
 * DuckDB's CSV reader read: a record it refused (its `csvLine` in `refusedCsvLines`) has none. `visit` returns
 * false to stop reading. Records are visited before the next chunk is read (see `splitRecordBatches`).
 */
export async function scanDataRecords(
  path: string,
  refusedCsvLines: ReadonlySet<number>,
  visit: (record: RawRecord, row: number | undefined) => boolean,
): Promise<void> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let header = true;
  let row = 0;
  try {
    for await (const batch of splitRecordBatches(stream)) {
      for (const record of batch) {
        if (header) {
          header = false;
          continue;
        }
        const refused = refusedCsvLines.has(record.csvLine);
        if (!visit(record, refused ? undefined : row)) return;
        if (!refused) row++;
      }
    }
  } finally {
    stream.destroy();
  }
}

/** Position of the next `byte` at or after `from`, or the buffer's length when there is none. */
function find(buf: Buffer, byte: number, from: number): number {
  const at = buf.indexOf(byte, from);
  return at < 0 ? buf.length : at;
}

/**
 * The quoting state after the bytes `[from, to)`, none of them a quote or a line end: a comma starts a field,
 * any other byte except CR makes the field unquoted, and a CR changes nothing. So the last byte that is not a CR
 * decides; with none, the state is unchanged.
 */
function stateAfter(buf: Buffer, from: number, to: number, state: QuoteState): QuoteState {
  for (let k = to - 1; k >= from; k--) {
    const b = buf[k];
    if (b === CR) continue;
    return b === COMMA ? FIELD_START : UNQUOTED;
  }
  return state;
}

/** Fields of one decoded record, or why it breaks CSV quoting. */
export type SplitFields =
  | { readonly ok: true; readonly fields: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Splits a decoded record into fields (comma-separated, `"` quoting, `""` an escaped quote). A quote inside an
 * unquoted field, or text after a closing quote, breaks RFC 4180 and is reported rather than guessed at.
 */
export function splitFields(text: string): SplitFields {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { ok: false, message: 'A quoted field is not closed.' };
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { ok: true, fields };
      if (text.charCodeAt(i) !== 0x2c) {
        return { ok: false, message: `Text follows a closing quote at character ${characterAt(text, i)}.` };
      }
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const value = text.slice(i, end);
      const quote = value.indexOf('"');
      if (quote >= 0) {
        return {
          ok: false,
          message: `A quote appears inside an unquoted field at character ${characterAt(text, i + quote)}.`,
        };
      }
      fields.push(value);
      if (comma < 0) return { ok: true, fields };
      i = comma + 1;
    }
  }
}

/** The 1-based position in characters (Unicode code points, as `TOO_LONG` counts them) of a string index. */
function characterAt(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}
