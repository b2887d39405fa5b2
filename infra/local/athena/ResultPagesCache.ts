/**
 * Parsed results of recent queries (results never change once written): filled when a query succeeds and when
 * a result is read back from S3, bounded by total cells.
 */
export class ResultPagesCache {
  private readonly entries = new Map<string, readonly (readonly (string | null)[])[]>();
  private cells = 0;

  constructor(
    /** Cells (values) kept in all. @default 2_000_000 */
    private readonly maxCells = 2_000_000,
  ) {}

  get(id: string): readonly (readonly (string | null)[])[] | undefined {
    return this.entries.get(id);
  }

  set(id: string, rows: readonly (readonly (string | null)[])[]): void {
    const size = rows.reduce((n, r) => n + r.length, 0);
    if (size > this.maxCells || this.entries.has(id)) return;
    this.entries.set(id, rows);
    this.cells += size;
    for (const [oldId, old] of this.entries) {
      if (this.cells <= this.maxCells) break;
      this.entries.delete(oldId);
      this.cells -= old.reduce((n, r) => n + r.length, 0);
    }
  }
}
