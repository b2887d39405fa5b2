import { createHash } from 'node:crypto';
import type { SucceededEntry } from '../core/CacheEntry';
import type { CacheOutcome, QueryOutcome } from '../core/QueryService';
import type { QueryTokens } from '../core/QueryTokens';
import { ResultObjectMissingError, type ResultPages } from '../core/ResultPages';
import type { ApiRequest, ApiResponse } from '../http/ApiRequest';
import { jsonResponse } from '../http/ApiRequest';
import { responseFormat } from '../http/responseFormat';
import { toCsv } from '../http/toCsv';
import type { AuditLog } from '../ports/AuditLog';

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
  constructor(
    private readonly pages: ResultPages,
    private readonly tokens: QueryTokens,
    private readonly audit: AuditLog,
  ) {}

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
    const etag = `"${createHash('sha256').update(`${entry.key}:${offset}:${pageSize}:${format}`).digest('base64url').slice(0, 32)}"`;
    const scoped = request.scope.role !== 'public';
    const cacheControl = scoped ? 'private, no-cache' : 'public, max-age=60';
    if (matches(request.headers['if-none-match'], etag)) {
      return {
        status: 304,
        headers: { ETag: etag, 'Cache-Control': cacheControl, 'X-Examlake-Cache': cache },
        body: '',
      };
    }
    const page = await this.pages.read(entry, offset, byte, pageSize);
    this.audit.record({
      principal: request.scope.caller.subject ?? 'public',
      role: request.scope.role,
      operationId: request.operationId,
      reportId: context.reportId,
      scopeFingerprint: request.scope.fingerprint,
      key: entry.key,
      rowsReturned: page.rows.length,
      cache,
      requestId: request.requestId,
    });
    const rowCount = Math.min(entry.rowCount, entry.rowLimit);
    const truncated = entry.rowCount > entry.rowLimit;
    const nextPageToken =
      page.nextByte === undefined
        ? null
        : this.tokens.page(
            { key: entry.key, offset: offset + page.rows.length, byte: page.nextByte },
            request.scope.fingerprint,
          );
    const next = nextPageToken === null ? null : nextLink(request, nextPageToken);
    const dataVersion = Object.entries(entry.dataVersions)
      .map(([t, v]) => `${t}=${v}`)
      .join(',');
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': cacheControl,
      Vary: 'Accept, Authorization',
      'X-Examlake-Cache': cache,
      'X-Examlake-Data-Version': dataVersion,
      'X-Examlake-Row-Count': String(rowCount),
      'X-Examlake-Truncated': String(truncated),
      'X-Examlake-Bytes-Scanned': String(entry.bytesScanned),
    };
    if (next) headers['Link'] = `<${next}>; rel="next"`;
    if (format === 'csv') {
      if (nextPageToken) headers['X-Examlake-Next-Page-Token'] = nextPageToken;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', ...headers },
        body: toCsv(
          entry.columns.map((c) => c.name),
          page.rows,
        ),
      };
    }
    return jsonResponse(
      200,
      {
        ...(context.reportId ? { reportId: context.reportId } : {}),
        ...(context.parameters ? { parameters: context.parameters } : {}),
        columns: entry.columns.map((c) => ({ name: c.name, type: c.type })),
        rows: page.rows,
        page: { offset, pageSize, rowCount, nextPageToken, next },
        truncated,
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
  }
}

/** RFC 9110 If-None-Match: `*` or any listed (weak or strong) tag equal to ours. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** The request's URL with `pageToken` replaced: every other parameter (format, pageSize, report inputs) kept. */
function nextLink(request: ApiRequest, pageToken: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (name !== 'pageToken' && value !== undefined) params.set(name, String(value));
  }
  params.set('pageToken', pageToken);
  return `${request.basePath}${request.path}?${params.toString()}`;
}
