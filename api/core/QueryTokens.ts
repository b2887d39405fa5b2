import { NotFoundError, ValidationError } from '../errors';
import type { TokenSigner } from './TokenSigner';

/** Where a page starts: row offset and byte offset in the result object, for the result of cache key `key`. */
export interface PagePosition {
  readonly key: string;
  readonly offset: number;
  readonly byte: number;
}

interface HandlePayload {
  readonly k: string;
  readonly s: string;
}
interface PagePayload extends HandlePayload {
  readonly o: number;
  readonly b: number;
}

/**
 * Query handles and page tokens: signed (HMAC, one purpose label each), bound to the cache key and to the
 * scope fingerprint of the caller they were issued to. A token that fails its signature is a 400 (page token)
 * or 404 (handle); a valid one presented under another scope is a 404, so it reveals nothing.
 */
export class QueryTokens {
  constructor(private readonly signer: TokenSigner) {}

  handle(key: string, scopeFingerprint: string): string {
    return this.signer.sign('handle', { k: key, s: scopeFingerprint } satisfies HandlePayload);
  }

  /** The cache key behind a handle, for this scope only. */
  openHandle(token: string, scopeFingerprint: string): string {
    const payload = this.signer.open<HandlePayload>('handle', token);
    if (!payload || typeof payload.k !== 'string' || payload.s !== scopeFingerprint) {
      throw new NotFoundError('No query has this handle for you; it may have expired. Run the query again.');
    }
    return payload.k;
  }

  page(position: PagePosition, scopeFingerprint: string): string {
    return this.signer.sign('page', {
      k: position.key,
      s: scopeFingerprint,
      o: position.offset,
      b: position.byte,
    } satisfies PagePayload);
  }

  openPage(token: string, scopeFingerprint: string): PagePosition {
    const payload = this.signer.open<PagePayload>('page', token);
    if (
      !payload ||
      typeof payload.k !== 'string' ||
      !Number.isInteger(payload.o) ||
      !Number.isInteger(payload.b) ||
      payload.o < 0 ||
      payload.b < 0
    ) {
      throw new ValidationError([
        {
          in: 'query',
          name: 'pageToken',
          message: 'is not a page token this API issued; use page.nextPageToken as given',
        },
      ]);
    }
    if (payload.s !== scopeFingerprint) {
      throw new NotFoundError('No result page has this token for you. Run the query again.');
    }
    return { key: payload.k, offset: payload.o, byte: payload.b };
  }
}
