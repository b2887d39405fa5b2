import { createReadStream } from 'node:fs';
import { splitFields, splitRecordBatches } from './splitRecords';

const TRAILING = [Buffer.from(',\n'), Buffer.from(',\r\n')];

/**
 * Rows (0-based positions among the records DuckDB read) that end with a delimiter and have more fields than
 * the header. DuckDB's CSV reader silently drops trailing empty fields (`1,2,3,` reads as 3 fields), which our
 * contract calls WRONG_FIELD_COUNT. A native search for `,\n` decides whether the object needs looking at; only
 * then are its records split, and only those ending with a comma are counted.
 */
export async function trailingDelimiterRows(
  path: string,
  fieldCount: number,
  refusedCsvLines: ReadonlySet<number>,
): Promise<number[]> {
  if (!(await contains(path))) return [];
  const rows: number[] = [];
  let header = true;
  let row = 0;
  for await (const batch of splitRecordBatches(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    for (const record of batch) {
      if (header) {
        header = false;
        continue;
      }
      if (refusedCsvLines.has(record.csvLine)) continue;
      if (record.bytes[record.bytes.length - 1] === 0x2c) {
        const split = splitFields(record.bytes.toString('utf8'));
        if (split.ok && split.fields.length !== fieldCount) rows.push(row);
      }
      row++;
    }
  }
  return rows;
}

/** Whether the file holds `,\n` or `,\r\n` anywhere (a chunk boundary included). */
async function contains(path: string): Promise<boolean> {
  let tail: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { highWaterMark: 4 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = tail.length > 0 ? Buffer.concat([tail, chunk.subarray(0, 2)]) : undefined;
      if (buf && TRAILING.some((t) => buf.includes(t))) return true;
      if (TRAILING.some((t) => chunk.includes(t))) return true;
      tail = chunk.subarray(Math.max(0, chunk.length - 2));
    }
  } finally {
    stream.destroy();
  }
  return tail[tail.length - 1] === 0x2c;
}
