import { createReadStream } from 'node:fs';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { scanDataRecords, splitFields } from './splitRecords';

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;

export interface RecheckInput {
  /** Fields of the header: every row must have as many. */
  readonly fieldCount: number;
  /** `line`s of the records DuckDB refused (they are not rows). */
  readonly refusedCsvLines: ReadonlySet<number>;
  /**
   * The last row (0-based position among the records DuckDB read) with a `"` inside a field, or -1 when no row
   * has one: the scan for misquoted records stops there.
   */
  readonly lastQuotedRow: number;
}

/** What the recheck found, by row (0-based position among the records DuckDB read). */
export interface Rechecked {
  /** Rows ending with a delimiter whose fields RFC 4180 does not accept: their reason replaces any other. */
  readonly trailing: ReadonlyMap<number, RejectReasonCode>;
  /**
   * Rows whose quoting RFC 4180 does not accept (or whose field count then differs): their reason counts only
   * for rows that hold a `"` in a field (the caller knows which), and replaces any reason the checks gave.
   */
  readonly misquoted: ReadonlyMap<number, RejectReasonCode>;
}

/**
 * The rows DuckDB's CSV reader accepted that RFC 4180 (our contract) does not, with their reason:
 *
 * - a row ending with a delimiter and so with more fields than the header: DuckDB silently drops trailing
 *   empty fields (`1,2,3,` reads as 3 fields): WRONG_FIELD_COUNT;
 * - a quote inside an unquoted field (`1,b"c,3`), which DuckDB reads literally: MALFORMED_ROW.
 *
 * A native search for `,\n` decides whether trailing delimiters need looking for; quotes are flagged by SQL. Only
 * when there is something to look at is the object split again, and only the suspect records are judged
 * (`splitFields`): those ending with a delimiter, and those with a quote whose quoting the scan did not find
 * clean (`RawRecord.wellQuoted`). Objects without either cost one search of their bytes.
 */
export async function recheckRecords(path: string, input: RecheckInput): Promise<Rechecked> {
  const found = { trailing: new Map<number, RejectReasonCode>(), misquoted: new Map<number, RejectReasonCode>() };
  const trailing = await contains(path);
  const last = input.lastQuotedRow;
  if (!trailing && last < 0) return found;
  await scanDataRecords(path, input.refusedCsvLines, (record, row) => {
    if (row === undefined) return true;
    const endsWithComma = trailing && record.bytes[record.bytes.length - 1] === 0x2c;
    // A record whose quoting the scan found clean has the fields DuckDB read (their count was checked): only
    // suspect quoting and trailing delimiters need splitting.
    if (endsWithComma || (row <= last && !record.wellQuoted)) {
      const split = splitFields(record.bytes.toString('utf8'));
      const into = endsWithComma ? found.trailing : found.misquoted;
      if (!split.ok) into.set(row, 'MALFORMED_ROW');
      else if (split.fields.length !== input.fieldCount) into.set(row, 'WRONG_FIELD_COUNT');
    }
    return trailing || row < last;
  });
  return found;
}

/**
 * Whether the file holds `,\n` or `,\r\n` anywhere (a chunk boundary included), or ends with a comma. Line feeds
 * (one per record) are found by native search and the bytes before each are looked at: searching for `,\n` itself
 * stops at every comma (about 19 per record) and cost four times as much.
 */
async function contains(path: string): Promise<boolean> {
  // The last two bytes of the previous chunk, so that a line end at the start of a chunk sees what preceded it.
  let before1 = -1;
  let before2 = -1;
  const stream = createReadStream(path, { highWaterMark: 4 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const at = (i: number) => (i >= 0 ? chunk[i]! : i === -1 ? before1 : before2);
      for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, lf + 1)) {
        const prev = at(lf - 1);
        if (prev === COMMA || (prev === CR && at(lf - 2) === COMMA)) return true;
      }
      [before1, before2] = [at(chunk.length - 1), at(chunk.length - 2)];
    }
  } finally {
    stream.destroy();
  }
  return before1 === COMMA;
}
