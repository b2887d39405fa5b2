import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { openDataScope } from '../access/Scope';
import { scopedQueryRequest } from '../access/scopedQueryRequest';
import type { QueryService } from '../core/QueryService';
import type { ResultPages, ResultRow } from '../core/ResultPages';
import { SUPPRESSION_REASON_TEXT } from '../core/suppression';
import type { TokenSigner } from '../core/TokenSigner';
import { NotFoundError, QueryFailedError, QueryUnavailableError, ValidationError } from '../errors';
import { jsonResponse } from '../http/ApiRequest';
import { responseFormat } from '../http/responseFormat';
import { toCsv } from '../http/toCsv';
import { OPEN_REPORTS } from '../reports/open/attainmentByArea';
import { type AreaLevel, publishOpenReport } from '../reports/open/publishOpenReport';
import type { OperationHandler } from '../router';

export interface OpenOperationsOptions {
  readonly service: QueryService;
  readonly pages: ResultPages;
  readonly signer: TokenSigner;
  readonly database: string;
  /** Primary suppression threshold (`EXAMLAKE_MINIMUM_CELL_SIZE`). */
  readonly minimumCellSize: number;
  /** `max-age` of the public Cache-Control. */
  readonly maxAgeSeconds: number;
  /** Leaf rows an open report may have; a larger table is refused rather than published half-protected. */
  readonly maxResultRows: number;
}

const PAGE_PURPOSE = 'open-page';

/**
 * `/v1/open/reports` and `/v1/open/reports/{reportId}`: no token needed. The leaf counts come through the
 * query service (cache, single flight) under the open-data scope; the whole table is suppressed, then the
 * requested slice is paged out with a public `Cache-Control`.
 */
export function openOperations(options: OpenOperationsOptions): Record<string, OperationHandler> {
  const scope = openDataScope();
  const published = new LRUCache<string, ResultRow[]>({ max: 64 });
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;
  return {
    async listOpenReports(request) {
      return jsonResponse(
        200,
        {
          reports: OPEN_REPORTS.map((r) => ({
            id: r.id,
            title: r.title,
            description: r.description,
            datasets: [...r.datasets],
            parameters: r.parameters,
            columns: r.columns,
            links: { self: `${request.basePath}/v1/open/reports/${r.id}` },
          })),
        },
        { 'Cache-Control': cacheControl },
      );
    },

    async runOpenReport(request) {
      const id = request.pathParams['reportId']!;
      const report = OPEN_REPORTS.find((r) => r.id === id);
      if (!report) throw new NotFoundError(`No open report is named ${id}; see /v1/open/reports.`);
      const year = request.query['year'] as number;
      const subject = request.query['subject'] as string | undefined;
      const level = request.query['level'] as AreaLevel | undefined;
      const pageSize = (request.query['pageSize'] as number | undefined) ?? 100;
      // Negotiated before any work, so an unacceptable Accept is a 406 at once.
      const format = responseFormat(request.query['format'], request.headers['accept']);
      const outcome = await options.service.answer(
        scopedQueryRequest(report.leafQuery(year), scope, {
          database: options.database,
          maxResultRows: options.maxResultRows,
        }),
      );
      if (outcome.state !== 'SUCCEEDED') {
        throw new QueryUnavailableError('The figures are being computed; retry in a few seconds.', 5);
      }
      const entry = outcome.entry;
      if (entry.rowCount > entry.rowLimit) {
        throw new QueryFailedError(
          `The report has more than ${options.maxResultRows} groups (EXAMLAKE_MAX_RESULT_ROWS); it is not published truncated.`,
        );
      }
      const slice = JSON.stringify([subject ?? null, level ?? null]);
      const memoKey = `${entry.key}:${options.minimumCellSize}:${slice}`;
      let rows = published.get(memoKey);
      if (!rows) {
        const page = await options.pages.read(entry, 0, entry.dataStartByte, Math.max(1, entry.rowCount));
        rows = await publishOpenReport(report, page.rows, options.minimumCellSize, { subject, level });
        published.set(memoKey, rows);
      }
      let offset = 0;
      const token = request.query['pageToken'];
      if (typeof token === 'string') {
        const opened = options.signer.open<{ k: string; s: string; o: number }>(PAGE_PURPOSE, token);
        if (!opened || opened.k !== memoKey || opened.s !== slice || !Number.isInteger(opened.o)) {
          throw new ValidationError([
            { in: 'query', name: 'pageToken', message: 'is not a page of this report with these parameters' },
          ]);
        }
        offset = opened.o;
      }
      const pageRows = rows.slice(offset, offset + pageSize);
      const nextOffset = offset + pageRows.length;
      const nextPageToken =
        nextOffset < rows.length ? options.signer.sign(PAGE_PURPOSE, { k: memoKey, s: slice, o: nextOffset }) : null;
      const parameters = { year, ...(subject ? { subject } : {}), ...(level ? { level } : {}) };
      const query = new URLSearchParams(
        Object.entries({ ...parameters, pageSize, ...(request.query['format'] ? { format } : {}) }).map(
          ([k, v]) => [k, String(v)] as [string, string],
        ),
      );
      const etag = `"${createHash('sha256').update(`${memoKey}:${offset}:${pageSize}:${format}`).digest('base64url')}"`;
      const headers: Record<string, string> = { 'Cache-Control': cacheControl, ETag: etag, Vary: 'Accept' };
      const audit = { rowsReturned: pageRows.length, cacheKey: entry.key, resource: report.id };
      if (request.headers['if-none-match'] === etag) {
        return { status: 304, headers, body: '', audit: { ...audit, rowsReturned: 0 } };
      }
      const next = nextPageToken
        ? `${request.basePath}${request.path}?${query}&pageToken=${encodeURIComponent(nextPageToken)}`
        : null;
      if (format === 'csv') {
        // Like every result as CSV: the rows in the body, paging and suppression in headers.
        const csvHeaders: Record<string, string> = {
          ...headers,
          'Content-Type': 'text/csv; charset=utf-8',
          'X-Examlake-Row-Count': String(rows.length),
          'X-Examlake-Minimum-Cell-Size': String(options.minimumCellSize),
          'X-Examlake-Data-Version': Object.entries(entry.dataVersions)
            .map(([t, v]) => `${t}=${v}`)
            .join(','),
        };
        if (nextPageToken) csvHeaders['X-Examlake-Next-Page-Token'] = nextPageToken;
        if (next) csvHeaders['Link'] = `<${next}>; rel="next"`;
        const body = toCsv(
          report.columns.map((c) => c.name),
          pageRows,
        );
        return { status: 200, headers: csvHeaders, body, audit };
      }
      return {
        ...jsonResponse(
          200,
          {
            reportId: report.id,
            parameters,
            columns: report.columns,
            rows: pageRows,
            suppression: { minimumCellSize: options.minimumCellSize, reasons: SUPPRESSION_REASON_TEXT },
            page: {
              offset,
              pageSize,
              rowCount: rows.length,
              nextPageToken,
              next,
            },
            dataVersion: { ...entry.dataVersions },
          },
          headers,
        ),
        audit,
      };
    },
  };
}
