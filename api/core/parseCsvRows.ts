/** One parsed CSV record: its fields (null for an unquoted empty field) and where the next record starts. */
export interface CsvRecord {
  readonly fields: (string | null)[];
  /** Byte offset just past this record's line break, relative to the parsed buffer. */
  readonly end: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Parses complete RFC 4180 records from a buffer (Athena's result CSV: quoted fields, `""` escapes, line
 * breaks inside quotes), at most `maxRecords`. A record cut off by the end of the buffer is not returned
 * unless `atEnd` (the buffer reaches the end of the object). Byte-wise, so offsets stay exact in UTF-8.
 * An unquoted empty field is null (Athena writes SQL NULL that way); a quoted empty field is ''.
 */
export function parseCsvRows(buffer: Buffer, maxRecords: number, atEnd: boolean): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  while (records.length < maxRecords && i < buffer.length) {
    const fields: (string | null)[] = [];
    let complete = false;
    let pos = i;
    for (;;) {
      if (pos >= buffer.length) {
        if (atEnd) fields.push(null);
        complete = atEnd;
        break;
      }
      if (buffer[pos] === QUOTE) {
        const parts: Buffer[] = [];
        let j = pos + 1;
        let closed = false;
        while (j < buffer.length) {
          if (buffer[j] === QUOTE) {
            if (buffer[j + 1] === QUOTE) {
              parts.push(buffer.subarray(pos + 1, j + 1));
              pos = j + 1;
              j += 2;
              continue;
            }
            parts.push(buffer.subarray(pos + 1, j));
            closed = true;
            break;
          }
          j++;
        }
        if (!closed) break;
        fields.push(Buffer.concat(parts).toString('utf8'));
        pos = j + 1;
      } else {
        let j = pos;
        while (j < buffer.length && buffer[j] !== COMMA && buffer[j] !== CR && buffer[j] !== LF) j++;
        if (j >= buffer.length && !atEnd) break;
        fields.push(j === pos ? null : buffer.subarray(pos, j).toString('utf8'));
        pos = j;
      }
      if (pos >= buffer.length) {
        complete = atEnd;
        break;
      }
      const c = buffer[pos];
      if (c === COMMA) {
        pos++;
        continue;
      }
      if (c === CR && buffer[pos + 1] === LF) pos += 2;
      else if (c === CR && pos + 1 >= buffer.length && !atEnd) break;
      else pos++;
      complete = true;
      break;
    }
    if (!complete) break;
    records.push({ fields, end: pos });
    i = pos;
  }
  return records;
}
