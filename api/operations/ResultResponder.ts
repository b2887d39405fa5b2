import { LRUCache } from 'lru-cache';
import { WITHHELD_GROUPS_COLUMN } from '../access/minimumCell';
import type { SucceededEntry } from '../core/CacheEntry';
import type { CacheOutcome, QueryOutcome } from '../core/QueryService';
import type { QueryTokens } from '../core/QueryTokens';
import { ResultObjectMissingError, type ResultPage, type ResultPages } from '../core/ResultPages';
import type { ApiRequest, ApiResponse } from '../http/ApiRequest';
import { jsonResponse } from '../http/ApiRequest';
import { type Format, responseFormat } from '../http/responseFormat';
import { notModified, pageEtag, pageHeaders, pageLinks } from '../http/resultPaging';
import { toCsv } from '../http/toCsv';

export { ResultObjectMissingError };

/** What a result response says about the request beyond the rows (reports add their id and parameters). */
export interface ResultContext {
  readonly reportId?: string;
  readonly parameters?: object;
}

/** Seconds a client is asked to wait before polling a running query. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * Turns query outcomes into HTTP answers: a page of a result (JSON or CSV, ETag/304, paging links, cache
 * headers), or 202 with a handle while the query runs.
 */
export class ResultResponder {
  /** Rendered answers of cache hits, bounded in bytes. */
  private readonly rendered: LRUCache<string, RenderedPage>;

  /**
   * @param renderedPageBytes bound of the in-memory LRU of rendered hit answers (body and key bytes).
   * @default 8388608 (8 MiB)
   */
  constructor(
    private readonly pages: ResultPages,
    private readonly tokens: QueryTokens,
    renderedPageBytes = 8 * 1024 * 1024,
  ) {
    this.rendered = new LRUCache({ maxSize: renderedPageBytes });
  }

  /** 202 Accepted with the handle to poll. */
  accepted(request: ApiRequest, key: string, cache: CacheOutcome, dataVersions: Record<string, string>): ApiResponse {
    const handle = this.tokens.handle(key, request.scope.fingerprint);
    const self = `${request.basePath}/v1/queries/${handle}`;
    return jsonResponse(
      202,
      {
        handle,
        state: 'RUNNING',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        dataVersion: dataVersions,
        links: { self, results: `${self}/results` },
      },
      {
        'Retry-After': String(RETRY_AFTER_SECONDS),
        'Cache-Control': 'no-store',
        'X-Examlake-Cache': cache,
        Location: self,
      },
    );
  }

  /** The answer to an outcome: a page of the result, or 202. Throws `ResultObjectMissingError` to recompute. */
  async respond(
    request: ApiRequest,
    outcome: QueryOutcome,
    start: { offset: number; byte: number } | undefined,
    context: ResultContext = {},
  ): Promise<ApiResponse> {
    if (outcome.state === 'RUNNING') {
      return this.accepted(request, outcome.entry.key, outcome.cache, { ...outcome.entry.dataVersions });
    }
    return this.page(request, outcome.entry, outcome.cache, start, context);
  }

  private async page(
    request: ApiRequest,
    entry: SucceededEntry,
    cache: CacheOutcome,
    start: { offset: number; byte: number } | undefined,
    context: ResultContext,
  ): Promise<ApiResponse> {
    const format = responseFormat(request.query['format'], request.headers['accept']);
    const pageSize = Number(request.query['pageSize'] ?? 100);
    const offset = start?.offset ?? 0;
    const byte = start?.byte ?? entry.dataStartByte;
    // A hit's answer is a pure function of the entry (immutable under its key), the position, the format, the
    // scope and the request's own parameters: rendered once, then served as the same bytes.
    const renderKey =
      cache === 'hit'
        ? `${entry.key}|${entry.executionId}|${offset}|${byte}|${pageSize}|${format}|${request.scope.fingerprint}|` +
          `${context.reportId ?? ''}|${request.basePath}${request.path}|${JSON.stringify(request.query)}`
        : undefined;
    let rendered = renderKey === undefined ? undefined : this.rendered.get(renderKey);
    const etag = rendered?.etag ?? pageEtag({ key: entry.key, offset, pageSize, format });
    const scoped = request.scope.role !== 'public';
    const cacheControl = scoped ? 'private, no-cache' : 'public, max-age=60';
    if (notModified(request, etag)) {
      return {
        status: 304,
        headers: { ETag: etag, 'Cache-Control': cacheControl, 'X-Examlake-Cache': cache },
        body: '',
        audit: { cacheKey: entry.key, resource: context.reportId },
      };
    }
    if (!rendered) {
      const page = await this.pages.read(entry, offset, byte, pageSize);
      rendered = this.render(request, entry, cache, page, { offset, pageSize, format, etag, cacheControl }, context);
      if (renderKey !== undefined) {
        // Kept to be sent again and again: flattened once (see `compact`).
        rendered = { ...rendered, body: compact(rendered.body) };
        this.rendered.set(renderKey, rendered, { size: renderKey.length + rendered.body.length });
      }
    }
    return {
      status: 200,
      headers: rendered.headers,
      body: rendered.body,
      audit: { rowsReturned: rendered.rowsReturned, cacheKey: entry.key, resource: context.reportId },
    };
  }

  private render(
    request: ApiRequest,
    entry: SucceededEntry,
    cache: CacheOutcome,
    page: ResultPage,
    at: { offset: number; pageSize: number; format: Format; etag: string; cacheControl: string },
    context: ResultContext,
  ): RenderedPage {
    const { offset, pageSize, etag } = at;
    const rowCount = Math.min(entry.rowCount, entry.rowLimit);
    const truncated = entry.rowCount > entry.rowLimit;
    const nextPageToken =
      page.nextByte === undefined
        ? null
        : this.tokens.page(
            { key: entry.key, offset: offset + page.rows.length, byte: page.nextByte },
            request.scope.fingerprint,
          );
    const links = pageLinks(request, nextPageToken);
    const headers = pageHeaders(
      {
        etag,
        cacheControl: at.cacheControl,
        vary: 'Accept, Authorization',
        format: at.format,
        rowCount,
        dataVersions: entry.dataVersions,
        links,
      },
      {
        'X-Examlake-Cache': cache,
        'X-Examlake-Truncated': String(truncated),
        'X-Examlake-Bytes-Scanned': String(entry.bytesScanned),
      },
    );
    const disclosure = disclosureOf(entry, page, request.scope.minimumCellSize);
    if (disclosure) headers['X-Examlake-Withheld-Groups'] = String(disclosure.withheldGroups);
    const rowsReturned = page.rows.length;
    if (at.format === 'csv') {
      const body = toCsv(
        entry.columns.map((c) => c.name),
        page.rows,
      );
      return { etag, rowsReturned, body, headers: Object.freeze(headers) };
    }
    const { body, headers: jsonHeaders } = jsonResponse(
      200,
      {
        ...(context.reportId ? { reportId: context.reportId } : {}),
        ...(context.parameters ? { parameters: context.parameters } : {}),
        columns: entry.columns.map((c) => ({ name: c.name, type: c.type })),
        rows: page.rows,
        page: { offset, pageSize, rowCount, ...links },
        truncated,
        ...(disclosure ? { disclosure } : {}),
        ...(rowCount === 0 ? { note: EMPTY_RESULT_NOTE } : {}),
        query: {
          cache,
          handle: this.tokens.handle(entry.key, request.scope.fingerprint),
          dataVersion: { ...entry.dataVersions },
          bytesScanned: entry.bytesScanned,
          engineTimeMs: entry.engineTimeMs,
        },
      },
      headers,
    );
    return { etag, rowsReturned, body: body as string, headers: Object.freeze(jsonHeaders) };
  }
}

/** What an answer without rows says (`note`): an empty answer is not an error, but should not leave one guessing. */
export const EMPTY_RESULT_NOTE =
  'No rows match these parameters in the data you may read: check the ids and the date range, and ' +
  'GET /v1/me for your scope.';

/** Why rows of a protected answer are withheld, as the answer's `disclosure.reason` says. */
export const WITHHELD_REASON =
  'Rows marked withheld (figures null) describe fewer students or attempts than the minimum cell size, or ' +
  'another row of a breakdown whose total is published elsewhere does; rates and counts implying fewer than ' +
  'the minimum are null; figures count only class × exam × month groups that meet the minimum.';

/**
 * The disclosure metadata of an answer protected by a minimum cell size (its rows carry `withheld_groups`,
 * the same on every row): how many rows are withheld, and why. Undefined for other answers (an analyst's column
 * of that name included: their scope has no minimum).
 */
function disclosureOf(
  entry: SucceededEntry,
  page: ResultPage,
  minimumCellSize: number,
): { minimumCellSize: number; withheldGroups: number; reason: string } | undefined {
  if (minimumCellSize <= 1 || !entry.columns.some((c) => c.name === WITHHELD_GROUPS_COLUMN)) return undefined;
  const first = page.rows[0]?.[WITHHELD_GROUPS_COLUMN];
  return {
    minimumCellSize,
    withheldGroups: first === undefined || first === null ? 0 : Number(first),
    reason: WITHHELD_REASON,
  };
}

/** A page's answer as sent: computed once per hit key, then reused as is. */
interface RenderedPage {
  readonly etag: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly rowsReturned: number;
}

/**
 * The body as one flat string in V8's compact form. JSON.stringify returns a large result as a tree of pieces
 * (a cons string), and here even in the two-byte form although the text is ASCII (seen with `%DebugPrint`);
 * such a string costs about ten times more to measure and to encode as UTF-8. A rendered page kept for hits is
 * sent many times, so it is decoded once from its UTF-8 bytes: one flat sequence, one byte per character
 * whenever the text allows it. An answer sent once (a miss, a join) is not worth the copy.
 */
function compact(body: string): string {
  return Buffer.from(body, 'utf8').toString('utf8');
}
