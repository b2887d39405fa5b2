import { createHash, randomUUID } from 'node:crypto';
import type { Scope } from '../access/Scope';
import { parseCsvRows } from '../core/parseCsvRows';
import { partnerKeyHex } from '../core/partnerStudentKey';
import { sqlLiteral } from '../core/sqlLiteral';
import { ForbiddenError, NotFoundError, QueryFailedError, QueryUnavailableError, ThrottledError } from '../errors';
import { EXTRACT_FORMATS, type ExtractRequest, extractQuery } from '../extracts/extractQuery';
import { type ApiResponse, jsonResponse } from '../http/ApiRequest';
import type { ExtractFiles, ExtractRecord, PseudonymSecret } from '../ports/ExtractFiles';
import type { ExecutionStatus, QueryEngine } from '../ports/QueryEngine';
import type { ResultStore } from '../ports/ResultStore';
import type { OperationHandler } from '../router';

export interface ExtractOperationsOptions {
  readonly engine: QueryEngine;
  readonly results: ResultStore;
  readonly files: ExtractFiles;
  /** Undefined when `EXAMLAKE_STUDENT_KEY_SECRET_ID` is not set: partner extracts answer 503. */
  readonly pseudonymSecret: PseudonymSecret | undefined;
  readonly database: string;
  /** `EXAMLAKE_EXTRACT_MAX_ROWS` */
  readonly maxRows: number;
  /** `EXAMLAKE_EXTRACT_URL_TTL_SECONDS` */
  readonly urlTtlSeconds: number;
  /** Per partner and UTC day (`EXAMLAKE_EXTRACT_DAILY_ROWS`, `EXAMLAKE_EXTRACT_DAILY_BYTES`). */
  readonly dailyQuota: { readonly rows: number; readonly bytes: number };
  /** How long the row count may take before the request answers 503 with Retry-After. */
  readonly countWaitMs: number;
  readonly pollIntervalMs: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * `/v1/extracts`: row-level extracts through Athena UNLOAD, scoped by the same seam as reports (`extractQuery`
 * calls `applyScope`). The life of one:
 *
 * ```
 * POST ─▶ row-level access? (403) ─▶ count the scoped rows (> cap: 422) ─▶ UNLOAD … TO extracts/<owner>/<id>/ ─▶ 202
 * GET  ─▶ record of this owner and scope? (404) ─▶ Athena state ─▶ SUCCEEDED: files from the data manifest,
 *         access still allowed? (403) ─▶ one pre-signed URL per file (EXAMLAKE_EXTRACT_URL_TTL_SECONDS)
 * ```
 * Every creation and every issue of URLs is in the audit trail (`extract-created`, `extract-urls-issued`).
 */
export function extractOperations(options: ExtractOperationsOptions): Record<string, OperationHandler> {
  const now = options.now ?? (() => new Date());
  const { files } = options;

  async function record(scope: Scope, id: string): Promise<ExtractRecord> {
    const found = /^[0-9a-f-]{36}$/.test(id) ? await files.get(ownerOf(scope), id) : undefined;
    if (!found || found.fingerprint !== scope.fingerprint) throw new NotFoundError(`No extract ${id} of yours.`);
    return found;
  }

  return {
    async createExtract(request) {
      const scope = request.scope;
      const cap = rowCap(scope, options.maxRows, now());
      const body = request.body as ExtractRequest;
      let keyHex: string | undefined;
      if (scope.pseudonymised) {
        if (!options.pseudonymSecret) {
          throw new QueryUnavailableError(
            'Partner extracts need the student-key secret (EXAMLAKE_STUDENT_KEY_SECRET_ID).',
            60,
          );
        }
        keyHex = partnerKeyHex(await options.pseudonymSecret.bytes(), scope.caller.partnerId ?? '');
      }
      const query = extractQuery(body, scope, { database: options.database, partnerKeyHex: keyHex });
      const rows = await countRows(query.count);
      if (rows > cap) {
        throw new QueryFailedError(
          `The extract would hold ${rows} rows, over the cap of ${cap} (${scope.rowLevel === 'unlimited' ? 'EXAMLAKE_EXTRACT_MAX_ROWS' : 'the grant’s rowAccess.maxRowsPerExtract'}): narrow the filters.`,
        );
      }
      const owner = ownerOf(scope);
      if (scope.role === 'partner') await assertQuota(owner, rows);
      const id = randomUUID();
      const location = files.locationOf(owner, id);
      const select =
        body.format === 'csv'
          ? `SELECT ${query.columns.map((c) => sqlCsvField(c)).join(" || ',' || ")} AS line FROM (${query.select.sql}) extract_rows`
          : query.select.sql;
      // Only code-made text in the SQL: the location is a bucket, a hash and a UUID; values are parameters.
      const unload =
        `UNLOAD (${select} LIMIT ${cap}) TO '${location}' WITH (format = '${EXTRACT_FORMATS[body.format]}'` +
        (body.format === 'csv' ? ", compression = 'NONE')" : ')');
      const executionId = await options.engine.start({
        sql: unload,
        parameters: query.select.parameters.map(sqlLiteral),
      });
      const saved: ExtractRecord = {
        id,
        owner,
        fingerprint: scope.fingerprint,
        dataset: body.dataset,
        format: body.format,
        columns: query.columns,
        rows,
        executionId,
        location,
        createdAt: now().toISOString(),
      };
      await files.save(saved);
      return {
        ...jsonResponse(202, view(saved, 'QUEUED'), {
          Location: `${request.basePath}/v1/extracts/${id}`,
          'Cache-Control': 'no-store',
        }),
        audit: { resource: id, reason: `extract-created ${body.dataset} ${rows} rows`, rowsReturned: rows },
      };
    },

    async getExtract(request) {
      const found = await record(request.scope, request.pathParams['extractId']!);
      const status = await options.engine.status(found.executionId);
      if (status.state !== 'SUCCEEDED') {
        return jsonResponse(200, view(found, status.state, status), { 'Cache-Control': 'no-store' });
      }
      rowCap(request.scope, options.maxRows, now()); // a revoked or expired grant issues no new URL
      const manifest = status.outputLocation!.replace(/\.csv$/, '-manifest.csv');
      const written = await files.manifestFiles(manifest);
      const expiresAt = new Date(now().getTime() + options.urlTtlSeconds * 1000).toISOString();
      const urls = await Promise.all(
        written.map(async (f) => ({
          url: await files.presign(f.location, options.urlTtlSeconds),
          bytes: f.bytes,
          expiresAt,
        })),
      );
      const response: ApiResponse = jsonResponse(
        200,
        { ...view(found, status.state), bytes: written.reduce((sum, f) => sum + f.bytes, 0), files: urls },
        { 'Cache-Control': 'no-store' },
      );
      return { ...response, audit: { resource: found.id, reason: `extract-urls-issued ${urls.length}` } };
    },

    async listExtracts(request) {
      const mine = (await files.list(ownerOf(request.scope))).filter(
        (r) => r.fingerprint === request.scope.fingerprint,
      );
      const states = await Promise.all(mine.map((r) => options.engine.status(r.executionId)));
      return jsonResponse(
        200,
        { extracts: mine.map((r, i) => view(r, states[i]!.state, states[i])) },
        {
          'Cache-Control': 'no-store',
        },
      );
    },

    async deleteExtract(request) {
      const found = await record(request.scope, request.pathParams['extractId']!);
      await files.remove(found);
      return {
        status: 204,
        headers: { 'Cache-Control': 'no-store' },
        body: '',
        audit: { resource: found.id, reason: 'extract-deleted' },
      };
    },
  };

  /**
   * A partner's daily quota: rows of the extracts created since UTC midnight plus this one, and bytes written
   * since then. Read from the records and files (no counter to keep): two extracts started at the same instant
   * may both pass, by at most one extract's rows.
   */
  async function assertQuota(owner: string, rows: number): Promise<void> {
    const start = new Date(now());
    start.setUTCHours(0, 0, 0, 0);
    const reset = new Date(start.getTime() + 86_400_000);
    const today = (await files.list(owner)).filter((r) => Date.parse(r.createdAt) >= start.getTime());
    const used = today.reduce((sum, r) => sum + r.rows, 0);
    const bytes = await files.bytesSince(owner, start);
    const { rows: maxRows, bytes: maxBytes } = options.dailyQuota;
    if (used + rows > maxRows || bytes >= maxBytes) {
      throw new ThrottledError(
        used + rows > maxRows
          ? `This extract's ${rows} rows would pass your daily quota of ${maxRows} rows (${used} used today, EXAMLAKE_EXTRACT_DAILY_ROWS); it resets at ${reset.toISOString()}.`
          : `Your extracts today reached the daily quota of ${maxBytes} bytes (EXAMLAKE_EXTRACT_DAILY_BYTES); it resets at ${reset.toISOString()}.`,
        Math.max(1, Math.ceil((reset.getTime() - now().getTime()) / 1000)),
      );
    }
  }

  async function countRows(query: { sql: string; parameters: readonly unknown[] }): Promise<number> {
    const id = await options.engine.start({
      sql: query.sql,
      parameters: (query.parameters as Parameters<typeof sqlLiteral>[0][]).map(sqlLiteral),
    });
    const deadline = Date.now() + options.countWaitMs;
    for (;;) {
      const status = await options.engine.status(id);
      if (status.state === 'SUCCEEDED') {
        const chunk = await options.results.read(status.outputLocation!, 0, 4096);
        const [, row] = parseCsvRows(chunk?.bytes ?? Buffer.alloc(0), 2, true);
        return Number(row?.fields[0] ?? 0);
      }
      if (status.state === 'FAILED' || status.state === 'CANCELLED') {
        throw new QueryFailedError(`Counting the extract's rows failed: ${status.error?.message ?? status.state}`);
      }
      if (Date.now() >= deadline) {
        throw new QueryUnavailableError('Counting the extract’s rows takes longer than the API waits: try again.', 30);
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
  }
}

/** The rows an extract may hold under the scope; 403 when the scope has no (unexpired) row-level access. */
function rowCap(scope: Scope, maxRows: number, now: Date): number {
  const level = scope.rowLevel;
  if (level === undefined) {
    throw new ForbiddenError(
      scope.role === 'partner'
        ? 'Your grant allows aggregates only: extracts need a grant of level "rows"; ask a data steward.'
        : 'This role has no row-level access.',
    );
  }
  if (level === 'unlimited') return maxRows;
  if (Date.parse(level.expiresAt) <= now.getTime()) {
    throw new ForbiddenError(`Your grant's row access expired at ${level.expiresAt}; ask a data steward to renew it.`);
  }
  return Math.min(level.maxRowsPerExtract, maxRows);
}

/**
 * The S3 folder of a caller's extracts, hashed (no user text in keys or SQL): a partner's belong to the partner
 * organisation (its users share them, and its daily quota); anyone else's to the role and subject.
 */
function ownerOf(scope: Scope): string {
  const who =
    scope.role === 'partner'
      ? `partner:${scope.caller.partnerId ?? ''}`
      : `${scope.role}:${scope.caller.subject ?? ''}`;
  return createHash('sha256').update(who).digest('hex').slice(0, 32);
}

/** SQL for one RFC 4180 field of a CSV line written by the engine: quoted, quotes doubled, empty for null. */
function sqlCsvField(column: string): string {
  return `coalesce('"' || replace(CAST(${column} AS varchar), '"', '""') || '"', '')`;
}

function view(record: ExtractRecord, state: string, status?: ExecutionStatus) {
  return {
    id: record.id,
    state,
    dataset: record.dataset,
    format: record.format,
    columns: record.columns,
    rows: record.rows,
    createdAt: record.createdAt,
    ...(status?.error ? { error: status.error.message } : {}),
  };
}
