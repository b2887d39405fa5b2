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
    for (let i = scanned; i < buf.length; i++) {
      const b = buf[i];
      if (state === QUOTED) {
        if (b === QUOTE) state = QUOTE_IN_QUOTED;
        else if (b === LF) line++;
        continue;
      }
      if (b === QUOTE) {
        if (state === FIELD_START || state === QUOTE_IN_QUOTED) state = QUOTED;
        continue;
      }
      if (b === COMMA) {
        state = FIELD_START;
        continue;
      }
      if (b !== LF) {
        if (b !== CR) state = UNQUOTED;
        continue;
      }
      const end = i > recordStart && buf[i - 1] === CR ? i - 1 : i;
      if (end > recordStart) {
        records.push({
          line: recordLine,
          csvLine: recordCsvLine,
          bytes: buf.subarray(recordStart, end),
          unterminated: false,
        });
      }
      recordStart = i + 1;
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
    yield [{ line: recordLine, csvLine: recordCsvLine, bytes: pending.subarray(0, end), unterminated: quoted }];
  }
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
        return { ok: false, message: `Text follows a closing quote at character ${i + 1}.` };
      }
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const value = text.slice(i, end);
      if (value.includes('"'))
        return { ok: false, message: `A quote appears inside an unquoted field at character ${i + 1}.` };
      fields.push(value);
      if (comma < 0) return { ok: true, fields };
      i = comma + 1;
    }
  }
}
