import type { CacheEntry } from '../core/CacheEntry';

/** The query-hash cache (DynamoDB). Conditional writes return false when the entry moved on meanwhile. */
export interface ResultCache {
  /** The entry as stored (strongly consistent), expired or not; undefined when there is none. */
  get(key: string): Promise<CacheEntry | undefined>;
  /**
   * Writes `entry` if the stored entry still has `expectedVersion` (undefined: only if there is none).
   * False when another writer got there first.
   */
  put(entry: CacheEntry, expectedVersion: string | undefined): Promise<boolean>;
  /** Deletes the entry if it still has `expectedVersion`. */
  delete(key: string, expectedVersion: string): Promise<boolean>;
}
