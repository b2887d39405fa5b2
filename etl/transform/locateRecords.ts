import { type RawRecord, scanDataRecords } from './splitRecords';

/** Records to find again in an object: those DuckDB refused (by its line) and rows it read (by position). */
export interface WantedRecords {
  /** `line`s of DuckDB's reject table (`RawRecord.csvLine`). */
  readonly csvLines: ReadonlySet<number>;
  /** 0-based positions among the records DuckDB read (the records it refused not counted). */
  readonly rows: ReadonlySet<number>;
}

export interface FoundRecords {
  readonly byCsvLine: ReadonlyMap<number, RawRecord>;
  readonly byRow: ReadonlyMap<number, RawRecord>;
}

/**
 * Finds the physical line and the exact bytes of a few records of an object: one scan of its bytes, skipping the
 * header, that stops at the last record wanted. Only objects with rejected rows are scanned, so valid rows cost
 * nothing here.
 */
export async function locateRecords(path: string, wanted: WantedRecords): Promise<FoundRecords> {
  const byCsvLine = new Map<number, RawRecord>();
  const byRow = new Map<number, RawRecord>();
  const total = wanted.csvLines.size + wanted.rows.size;
  if (total === 0) return { byCsvLine, byRow };
  await scanDataRecords(path, wanted.csvLines, (record, row) => {
    if (row === undefined) byCsvLine.set(record.csvLine, copy(record));
    else if (wanted.rows.has(row)) byRow.set(row, copy(record));
    return byCsvLine.size + byRow.size < total;
  });
  return { byCsvLine, byRow };
}

/** A record whose bytes no longer share the chunk they were read from. */
function copy(record: RawRecord): RawRecord {
  return { ...record, bytes: Buffer.from(record.bytes) };
}
