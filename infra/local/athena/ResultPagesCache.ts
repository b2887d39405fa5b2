import { LRUCache } from 'lru-cache';

type Rows = readonly (readonly (string | null)[])[];

/**
 * Parsed results of recent queries (results never change once written): filled when a query succeeds and when
 * a result is read back from S3, bounded by total cells, least recently used out first.
 */
export class ResultPagesCache {
  private readonly entries: LRUCache<string, Rows>;

  /** @param maxCells cells (values) kept in all. @default 2_000_000 */
  constructor(maxCells = 2_000_000) {
    this.entries = new LRUCache({ maxSize: maxCells, sizeCalculation: (rows) => Math.max(1, cellsOf(rows)) });
  }

  get(id: string): Rows | undefined {
    return this.entries.get(id);
  }

  set(id: string, rows: Rows): void {
    if (!this.entries.has(id)) this.entries.set(id, rows);
  }
}

function cellsOf(rows: Rows): number {
  let cells = 0;
  for (const row of rows) cells += row.length;
  return cells;
}
