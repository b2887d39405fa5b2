import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ExecutionParameter } from './executionParameter';
import type { TableSource } from './tableSource';

/** Scans remembered per snapshot (one entry per statement and parameter values). @default 1024 */
const MAX_REMEMBERED_SCANS = 1024;

/**
 * DataScannedInBytes of a snapshot's queries: the sizes of the files each table scan opened, after partition
 * pruning, read from DuckDB's JSON profile of the run (each scan names the files it read; the list is cut after
 * a few names, then the whole partition branch it starts is counted).
 *
 * Profiling a run costs CPU (about 15% of a small aggregate's), so the result is remembered
 * by statement and parameter values: a snapshot's files never change, so the same statement with the same
 * values opens the same files, and its next runs skip profiling and report the remembered figure.
 */
export class ScannedBytes {
  private readonly filesByPath = new Map<string, number>();
  private readonly partitionBytes = new Map<string, number>();
  private readonly remembered = new LRUCache<string, number>({ max: MAX_REMEMBERED_SCANS });

  constructor(sources: readonly TableSource[]) {
    for (const source of sources) {
      for (const partition of source.partitions) {
        let bytes = 0;
        for (const file of partition.files) {
          this.filesByPath.set(file.path, file.size);
          bytes += file.size;
        }
        const first = partition.files[0];
        if (first) this.partitionBytes.set(first.path, bytes);
      }
    }
  }

  /** Every file a query of the snapshot may open (DuckDB's `allowed_paths`). */
  get paths(): string[] {
    return [...this.filesByPath.keys()];
  }

  /** The key of a run: a digest of the statement and its parameters' kinds and values (SQL can be 256 KB long). */
  static keyOf(statementKey: string, parameters: readonly ExecutionParameter[]): string {
    return createHash('sha256')
      .update(statementKey)
      .update('\u0000')
      .update(JSON.stringify(parameters))
      .digest('base64');
  }

  /** The bytes a run of `key` scanned before, if known. */
  known(key: string): number | undefined {
    return this.remembered.get(key);
  }

  /** The bytes a profiled run scanned (from its JSON profile), remembered under `key`. */
  fromProfile(key: string, profileJson: string): number {
    const bytes = this.countProfile(JSON.parse(profileJson));
    this.remembered.set(key, bytes);
    return bytes;
  }

  private countProfile(profile: unknown): number {
    let total = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const n of node) visit(n);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const record = node as { extra_info?: Record<string, unknown>; children?: unknown };
      const files = record.extra_info?.['Filename(s)'];
      if (typeof files === 'string' && files !== '') {
        const names = files.split(', ');
        if (names.at(-1) === '...') {
          total += this.partitionBytes.get(names[0] as string) ?? 0;
        } else {
          for (const name of names) total += this.filesByPath.get(name) ?? 0;
        }
      }
      visit(record.children);
    };
    visit(profile);
    return total;
  }
}
