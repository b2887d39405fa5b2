import { createHash } from 'node:crypto';
import type { ApiRequest } from './ApiRequest';
import type { Format } from './responseFormat';

/**
 * Paging and validation of result pages, shared by the two result paths: query results read from the engine's
 * result object (`ResultResponder`) and open reports published from memory (`openOperations`). Both sign their
 * page tokens with `QueryTokens`; this module holds the rest: the page's strong ETag and `If-None-Match`, the
 * `next` link, and the headers every page carries.
 */

/** Where a page is and how it is written: the validator of a page hashes exactly this. */
export interface PageAt {
  /** The key of what is paged (a cache key, or one published table of it). */
  readonly key: string;
  readonly offset: number;
  readonly pageSize: number;
  readonly format: Format;
}

/** The strong validator of a page: the key and the page's position and format. */
export function pageEtag(at: PageAt): string {
  const text = `${at.key}:${at.offset}:${at.pageSize}:${at.format}`;
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/** RFC 9110 If-None-Match: `*` or any listed (weak or strong) tag equal to ours. */
export function notModified(request: ApiRequest, etag: string): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** The next page's token and link (both null on the last page). */
export interface PageLinks {
  readonly nextPageToken: string | null;
  readonly next: string | null;
}

/** The request's URL with `pageToken` replaced: every other parameter (format, pageSize, report inputs) kept. */
export function pageLinks(request: ApiRequest, nextPageToken: string | null): PageLinks {
  if (nextPageToken === null) return { nextPageToken, next: null };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (name !== 'pageToken' && value !== undefined) params.set(name, String(value));
  }
  params.set('pageToken', nextPageToken);
  return { nextPageToken, next: `${request.basePath}${request.path}?${params.toString()}` };
}

/** What the headers of a page say besides its own extras. */
export interface PageHeaderInput {
  readonly etag: string;
  readonly cacheControl: string;
  readonly vary: string;
  readonly format: Format;
  /** Rows of the whole answer (all pages). */
  readonly rowCount: number;
  readonly dataVersions: Readonly<Record<string, string>>;
  readonly links: PageLinks;
}

/**
 * The headers of a page: validator and caching, the answer's row count and data versions, `Link: rel="next"`;
 * for CSV (whose body is only rows) the content type and the next page's token too.
 */
export function pageHeaders(
  input: PageHeaderInput,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    ...(input.format === 'csv' ? { 'Content-Type': 'text/csv; charset=utf-8' } : {}),
    ETag: input.etag,
    'Cache-Control': input.cacheControl,
    Vary: input.vary,
    ...extra,
    'X-Examlake-Data-Version': Object.entries(input.dataVersions)
      .map(([t, v]) => `${t}=${v}`)
      .join(','),
    'X-Examlake-Row-Count': String(input.rowCount),
  };
  if (input.links.next) headers['Link'] = `<${input.links.next}>; rel="next"`;
  if (input.format === 'csv' && input.links.nextPageToken) {
    headers['X-Examlake-Next-Page-Token'] = input.links.nextPageToken;
  }
  return headers;
}
