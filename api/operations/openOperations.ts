import { LRUCache } from 'lru-cache';
import { openDataScope } from '../access/Scope';
import { scopedQueryRequest } from '../access/scopedQueryRequest';
import type { QueryService } from '../core/QueryService';
import type { QueryTokens } from '../core/QueryTokens';
import type { ResultPages, ResultRow } from '../core/ResultPages';
import { SUPPRESSION_REASON_TEXT } from '../core/suppression';
import { NotFoundError, QueryFailedError, QueryUnavailableError, ValidationError } from '../errors';
import { jsonResponse } from '../http/ApiRequest';
import { responseFormat } from '../http/responseFormat';
import { notModified, pageEtag, pageHeaders, pageLinks } from '../http/resultPaging';
import { toCsv } from '../http/toCsv';
import { OPEN_REPORTS } from '../reports/open/attainmentByArea';
import { type AreaLevel, publishOpenReport } from '../reports/open/publishOpenReport';
import type { OperationHandler } from '../router';

export interface OpenOperationsOptions {
  readonly service: QueryService;
  readonly pages: ResultPages;
  /** Signs and opens page tokens (as for every result page). */
  readonly tokens: QueryTokens;
  readonly database: string;
  /** Primary suppression threshold (`EXAMLAKE_MINIMUM_CELL_SIZE`). */
  readonly minimumCellSize: number;
  /** `max-age` of the public Cache-Control. */
  readonly maxAgeSeconds: number;
  /** Leaf rows an open report may have; a larger table is refused rather than published half-protected. */
  readonly maxResultRows: number;
}

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
        const position = options.tokens.openPage(token, scope.fingerprint);
        if (position.key !== memoKey) {
          throw new ValidationError([
            { in: 'query', name: 'pageToken', message: 'is not a page of this report with these parameters' },
          ]);
        }
        offset = position.offset;
      }
      const pageRows = rows.slice(offset, offset + pageSize);
      const nextOffset = offset + pageRows.length;
      const links = pageLinks(
        request,
        nextOffset < rows.length
          ? options.tokens.page({ key: memoKey, offset: nextOffset, byte: 0 }, scope.fingerprint)
          : null,
      );
      const parameters = { year, ...(subject ? { subject } : {}), ...(level ? { level } : {}) };
      const etag = pageEtag({ key: memoKey, offset, pageSize, format });
      const audit = { rowsReturned: pageRows.length, cacheKey: entry.key, resource: report.id };
      if (notModified(request, etag)) {
        return {
          status: 304,
          headers: { 'Cache-Control': cacheControl, ETag: etag, Vary: 'Accept' },
          body: '',
          audit: { ...audit, rowsReturned: 0 },
        };
      }
      const headers = pageHeaders(
        {
          etag,
          cacheControl,
          vary: 'Accept',
          format,
          rowCount: rows.length,
          dataVersions: entry.dataVersions,
          links,
        },
        { 'X-Examlake-Minimum-Cell-Size': String(options.minimumCellSize) },
      );
      if (format === 'csv') {
        // Like every result as CSV: the rows in the body, paging and suppression in headers.
        const body = toCsv(
          report.columns.map((c) => c.name),
          pageRows,
        );
        return { status: 200, headers, body, audit };
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
            page: { offset, pageSize, rowCount: rows.length, ...links },
            dataVersion: { ...entry.dataVersions },
          },
          headers,
        ),
        audit,
      };
    },
  };
}
