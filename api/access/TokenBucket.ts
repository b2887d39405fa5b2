import { LRUCache } from 'lru-cache';

/**
 * Token buckets by key (one per partner): the local equivalent of an API Gateway usage plan's rate and burst
 * limits. A bucket holds up to `burst` tokens and refills at `ratePerSecond`; a request takes one token or is
 * told how long to wait.
 */
export class TokenBuckets {
  private readonly buckets: LRUCache<string, { tokens: number; atMs: number }>;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = Date.now,
    /** Buckets kept at most (least recently used dropped first: a dropped bucket starts full). @default 10000 */
    maxKeys = 10_000,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('ratePerSecond must be > 0 and burst ≥ 1.');
    this.buckets = new LRUCache({ max: Math.max(1, maxKeys) });
  }

  /** Takes a token for `key`: 0 when granted, else whole seconds until one is available (≥ 1). */
  take(key: string): number {
    const now = this.nowMs();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, atMs: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.atMs) / 1000) * this.ratePerSecond);
    bucket.atMs = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }
}
