import type { ResultStore } from '../ports/ResultStore';
import { parseCsvRows } from './parseCsvRows';
import { ResultObjectMissingError } from './ResultPages';

/** Bytes read per request when a whole result is summarised. */
const CHUNK_BYTES = 8 * 1024 * 1024;

export interface ResultSummary {
  /** Data rows (records after the header). */
  readonly rowCount: number;
  /** Byte offset of the first data row. */
  readonly dataStartByte: number;
  readonly objectBytes: number;
}

/**
 * Reads a fresh result object once, when its execution ends, to count its rows (quoted line breaks
 * included) and find where the data starts; both are kept on the cache entry so pages can be read with
 * ranged GETs later without reading the object again.
 */
export async function summariseResult(store: ResultStore, location: string): Promise<ResultSummary> {
  const chunks: Buffer[] = [];
  let start = 0;
  let total = Number.POSITIVE_INFINITY;
  while (start < total) {
    const chunk = await store.read(location, start, CHUNK_BYTES);
    if (!chunk) throw new ResultObjectMissingError(`${location} is gone`);
    total = chunk.totalBytes;
    chunks.push(chunk.bytes);
    start += chunk.bytes.length;
    if (chunk.bytes.length === 0) break;
  }
  const bytes = Buffer.concat(chunks);
  const records = parseCsvRows(bytes, Number.MAX_SAFE_INTEGER, true);
  return {
    rowCount: Math.max(0, records.length - 1),
    dataStartByte: records[0]?.end ?? 0,
    objectBytes: bytes.length,
  };
}
