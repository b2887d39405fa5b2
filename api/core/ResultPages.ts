import { LRUCache } from 'lru-cache';
import type { ResultColumn } from '../ports/QueryEngine';
import type { ResultStore } from '../ports/ResultStore';
import type { SucceededEntry } from './CacheEntry';
import { parseCsvRows } from './parseCsvRows';

export type CellValue = string | number | boolean | null;
export type ResultRow = Record<string, CellValue>;

/** One page of a result. */
export interface ResultPage {
  readonly rows: readonly ResultRow[];
  /** Row number of the first row (0-based). */
  readonly offset: number;
  /** Byte offset of the row after this page, or undefined on the last page. */
  readonly nextByte: number | undefined;
}

/** Thrown when the result object is gone (S3 lifecycle): the caller recomputes. */
export class ResultObjectMissingError extends Error {}

/**
 * Reads pages of a cached result straight from its CSV object with ranged GETs, typing values by the column
 * types kept on the cache entry, and keeps hot pages in a bounded LRU.
 */
export class ResultPages {
  /** Pages by result and position, bounded by the bytes of their CSV (a result never changes once written). */
  private readonly lru: LRUCache<string, ResultPage>;

  constructor(
    private readonly store: ResultStore,
    lruBytes: number,
  ) {
    this.lru = new LRUCache({ maxSize: lruBytes });
  }

  /** Rows `[offset, offset + pageSize)` of the result, reading from byte `startByte` (a page token's, or the first). */
  async read(entry: SucceededEntry, offset: number, startByte: number, pageSize: number): Promise<ResultPage> {
    const lruKey = `${entry.key}:${entry.executionId}:${startByte}:${pageSize}`;
    const cached = this.lru.get(lruKey);
    if (cached) return cached;
    const servedRows = Math.min(entry.rowCount, entry.rowLimit);
    const wanted = Math.max(0, Math.min(pageSize, servedRows - offset));
    const averageRowBytes = entry.rowCount > 0 ? (entry.objectBytes - entry.dataStartByte) / entry.rowCount : 64;
    let length = Math.max(4096, Math.ceil(averageRowBytes * wanted * 1.25) + 2);
    let rows: ResultRow[] = [];
    let end = startByte;
    for (;;) {
      if (wanted === 0) break;
      const chunk = await this.store.read(entry.outputLocation, startByte, length);
      if (!chunk) throw new ResultObjectMissingError(`${entry.outputLocation} is gone`);
      const atEnd = startByte + chunk.bytes.length >= chunk.totalBytes;
      const records = parseCsvRows(chunk.bytes, wanted, atEnd);
      if (records.length === wanted || atEnd) {
        rows = records.map((r) => typed(entry.columns, r.fields));
        end = startByte + (records.at(-1)?.end ?? 0);
        break;
      }
      length *= 2;
    }
    const nextOffset = offset + rows.length;
    const page: ResultPage = {
      rows,
      offset,
      nextByte: nextOffset < servedRows && rows.length > 0 ? end : undefined,
    };
    this.lru.set(lruKey, page, { size: Math.max(1, end - startByte) });
    return page;
  }
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|double|real|float|decimal)/i;

/** A CSV field as the JSON value of its Athena type. */
export function typedValue(type: string, field: string | null): CellValue {
  if (field === null) return null;
  if (/^boolean$/i.test(type)) return field === 'true';
  if (NUMERIC.test(type)) {
    if (field === '') return null;
    const n = Number(field);
    return Number.isFinite(n) ? n : field;
  }
  return field;
}

function typed(columns: readonly ResultColumn[], fields: readonly (string | null)[]): ResultRow {
  const row: ResultRow = {};
  columns.forEach((column, i) => {
    row[column.name] = typedValue(column.type, fields[i] ?? null);
  });
  return row;
}
