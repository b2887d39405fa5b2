import { assertUnrestricted } from '../access/applyScope';
import { adhocSql } from '../core/adhocSql';
import { failure } from '../core/QueryService';
import type { QueryTokens } from '../core/QueryTokens';
import { jsonResponse } from '../http/ApiRequest';
import { problemResponse } from '../http/problemResponse';
import type { OperationHandler } from '../router';
import type { QueryRunner } from './QueryRunner';
import { RETRY_AFTER_SECONDS } from './ResultResponder';

/** Ad-hoc SQL for analysts and the handles of running queries. */
export function queryOperations(deps: {
  readonly runner: QueryRunner;
  readonly tokens: QueryTokens;
  readonly database: string;
  readonly tables: readonly string[];
  readonly maxResultRows: number;
}): Record<string, OperationHandler> {
  const { runner, tokens, database, tables, maxResultRows } = deps;
  return {
    runAdhocQuery: async (request) => {
      assertUnrestricted(request.scope);
      const body = request.body as { sql: string; maxRows?: number };
      const query = adhocSql(body.sql, {
        database,
        tables,
        maxLimit: maxResultRows,
        maxRows: body.maxRows,
      });
      return runner.run(request, {
        query: { sql: query.sql, parameters: [] },
        tables: query.tables,
        scopeFingerprint: request.scope.fingerprint,
        rowLimit: query.rowLimit,
      });
    },
    getQueryStatus: async (request) => {
      const entry = await runner.entryOf(request);
      const handle = tokens.handle(entry.key, request.scope.fingerprint);
      const self = `${request.basePath}/v1/queries/${handle}`;
      const common = {
        handle,
        state: entry.status,
        dataVersion: { ...entry.dataVersions },
        links: { self, results: `${self}/results` },
      };
      if (entry.status === 'RUNNING') {
        return jsonResponse(
          200,
          { ...common, retryAfterSeconds: RETRY_AFTER_SECONDS },
          { 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' },
        );
      }
      if (entry.status === 'FAILED') {
        const problem = JSON.parse(
          String(problemResponse(failure(entry, Date.now()), request.path, request.requestId).body),
        );
        return jsonResponse(200, { ...common, error: problem }, { 'Cache-Control': 'no-store' });
      }
      return jsonResponse(
        200,
        {
          ...common,
          rowCount: Math.min(entry.rowCount, entry.rowLimit),
          bytesScanned: entry.bytesScanned,
          engineTimeMs: entry.engineTimeMs,
        },
        { 'Cache-Control': 'private, no-cache' },
      );
    },
    getQueryResults: (request) => runner.results(request),
  };
}
