import { createReadStream } from 'node:fs';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { scanDataRecords, splitFields } from './splitRecords';

const TRAILING = [Buffer.from(',\n'), Buffer.from(',\r\n')];

export interface RecheckInput {
  /** Fields of the header: every row must have as many. */
  readonly fieldCount: number;
  /** `line`s of the records DuckDB refused (they are not rows). */
  readonly refusedCsvLines: ReadonlySet<number>;
  /** Rows (0-based positions among the records DuckDB read) with a `"` inside a field. */
  readonly quotedRows: ReadonlySet<number>;
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
 * (`splitFields`), so objects without either cost one search of their bytes.
 */
export async function recheckRecords(path: string, input: RecheckInput): Promise<Map<number, RejectReasonCode>> {
  const found = new Map<number, RejectReasonCode>();
  const trailing = await contains(path);
  if (!trailing && input.quotedRows.size === 0) return found;
  let last = -1;
  for (const r of input.quotedRows) last = Math.max(last, r);
  await scanDataRecords(path, input.refusedCsvLines, (record, row) => {
    if (row === undefined) return true;
    const endsWithComma = trailing && record.bytes[record.bytes.length - 1] === 0x2c;
    if (endsWithComma || input.quotedRows.has(row)) {
      const split = splitFields(record.bytes.toString('utf8'));
      if (!split.ok) found.set(row, 'MALFORMED_ROW');
      else if (split.fields.length !== input.fieldCount) found.set(row, 'WRONG_FIELD_COUNT');
    }
    return trailing || row < last;
  });
  return found;
}

/** Whether the file holds `,\n` or `,\r\n` anywhere (a chunk boundary included), or ends with a comma. */
async function contains(path: string): Promise<boolean> {
  let tail: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { highWaterMark: 4 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const joint = tail.length > 0 ? Buffer.concat([tail, chunk.subarray(0, 2)]) : undefined;
      if (joint && TRAILING.some((t) => joint.includes(t))) return true;
      if (TRAILING.some((t) => chunk.includes(t))) return true;
      tail = chunk.subarray(Math.max(0, chunk.length - 2));
    }
  } finally {
    stream.destroy();
  }
  return tail[tail.length - 1] === 0x2c;
}
