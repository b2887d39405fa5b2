import { LRUCache } from 'lru-cache';
import type { Grant } from './Grant';

/** Reads a partner's grant (the store, or a cache in front of it). */
export interface GrantSource {
  get(partnerId: string): Promise<Grant | undefined>;
}

/**
 * The per-instance grant cache of the API Lambda: a grant (or its absence) read from the store is reused for
 * `ttlMs`, so a revoked or narrowed grant stops applying at most `ttlMs` after the change reached DynamoDB
 * (the documented revocation bound; the setting is capped at 60 s). Writes through this instance evict at once.
 */
export class CachedGrantSource implements GrantSource {
  private readonly entries: LRUCache<string, { grant: Grant | undefined; expiresAtMs: number }>;

  constructor(
    private readonly store: GrantSource,
    private readonly ttlMs: number,
    private readonly nowMs: () => number = Date.now,
    /** Entries kept at most (least recently used dropped first). @default 1000 */
    maxEntries = 1000,
  ) {
    this.entries = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  async get(partnerId: string): Promise<Grant | undefined> {
    const hit = this.entries.get(partnerId);
    if (hit && hit.expiresAtMs > this.nowMs()) return hit.grant;
    const grant = await this.store.get(partnerId);
    this.entries.delete(partnerId);
    if (this.ttlMs > 0) {
      this.entries.set(partnerId, { grant, expiresAtMs: this.nowMs() + this.ttlMs });
    }
    return grant;
  }

  evict(partnerId: string): void {
    this.entries.delete(partnerId);
  }
}
