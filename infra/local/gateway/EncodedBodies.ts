import { LRUCache } from 'lru-cache';

/**
 * The UTF-8 bytes of answers the gateway sent recently, by their text: an answer served from the API's cache is
 * the same text every time, so it is encoded once. Encoding a 10 KB answer per response cost more than the
 * copy: each fresh buffer is off-heap memory that V8 counts towards its next full collection.
 *
 * Bounded by bytes (text and encoding both count), least recently used out first. Short texts are encoded
 * directly: Node takes them from its buffer pool, which costs less than a lookup.
 */
export class EncodedBodies {
  private readonly entries: LRUCache<string, Buffer>;

  /**
   * @param maxBytes bound of the texts and encodings kept. @default 8 MiB
   * @param minLength shortest text kept (shorter ones are encoded per call). @default 4096
   */
  constructor(
    maxBytes = 8 * 1024 * 1024,
    private readonly minLength = 4096,
  ) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (bytes, text) => text.length + bytes.length });
  }

  encode(text: string): Buffer {
    if (text.length < this.minLength) return Buffer.from(text, 'utf8');
    const kept = this.entries.get(text);
    if (kept) return kept;
    const encoded = Buffer.from(text, 'utf8');
    this.entries.set(text, encoded);
    return encoded;
  }

  /** Texts kept now. */
  get size(): number {
    return this.entries.size;
  }
}
