import type { CacheEntry } from '../core/CacheEntry';
import { failure, type QueryRequest, type QueryService } from '../core/QueryService';
import type { QueryTokens } from '../core/QueryTokens';
import { NotFoundError, ValidationError } from '../errors';
import type { ApiRequest, ApiResponse } from '../http/ApiRequest';
import { responseFormat } from '../http/responseFormat';
import type { EngineQuery } from '../ports/QueryEngine';
import { type ResultContext, ResultObjectMissingError, type ResultResponder } from './ResultResponder';

const EXPIRED = 'The result has expired; run the query again from the first page.';

/**
 * What every result-returning operation shares: answer a query (or continue from a page token, or from a
 * handle), recompute once when the result object has gone, and respond.
 */
export class QueryRunner {
  constructor(
    private readonly service: QueryService,
    private readonly responder: ResultResponder,
    private readonly tokens: QueryTokens,
  ) {}

  /** A fresh query (report or ad-hoc), or its next page when the request carries `pageToken`. */
  async run(request: ApiRequest, query: QueryRequest, context: ResultContext = {}): Promise<ApiResponse> {
    responseFormat(request.query['format'], request.headers['accept']); // 406 before any work
    const pageToken = request.query['pageToken'];
    if (typeof pageToken === 'string') {
      const position = this.tokens.openPage(pageToken, request.scope.fingerprint);
      const entry = await this.service.lookup(position.key);
      if (entry?.status !== 'SUCCEEDED') throw new NotFoundError(EXPIRED);
      if (!sameQuery(entry.query, query.query)) {
        throw new ValidationError([
          {
            in: 'query',
            name: 'pageToken',
            message: 'belongs to another query: keep the other parameters as they were',
          },
        ]);
      }
      return this.continue(request, entry, position, context);
    }
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.service.answer(query);
      try {
        return await this.responder.respond(request, outcome, undefined, context);
      } catch (err) {
        if (!(err instanceof ResultObjectMissingError) || outcome.state !== 'SUCCEEDED' || attempt > 0) throw err;
        await this.service.evict(outcome.entry);
      }
    }
  }

  /** The state behind a handle. */
  async entryOf(request: ApiRequest): Promise<CacheEntry> {
    const key = this.tokens.openHandle(request.pathParams['handle']!, request.scope.fingerprint);
    const entry = await this.service.lookup(key);
    if (!entry) throw new NotFoundError('The query behind this handle has expired; run it again.');
    return entry;
  }

  /** Results behind a handle: 202 while running, the failure, or a page. */
  async results(request: ApiRequest): Promise<ApiResponse> {
    responseFormat(request.query['format'], request.headers['accept']);
    const entry = await this.entryOf(request);
    const pageToken = request.query['pageToken'];
    let position: { offset: number; byte: number } | undefined;
    if (typeof pageToken === 'string') {
      const p = this.tokens.openPage(pageToken, request.scope.fingerprint);
      if (p.key !== entry.key) {
        throw new ValidationError([{ in: 'query', name: 'pageToken', message: 'belongs to another query' }]);
      }
      position = p;
    }
    if (entry.status === 'RUNNING')
      return this.responder.accepted(request, entry.key, 'join', { ...entry.dataVersions });
    if (entry.status === 'FAILED') throw failure(entry, Date.now());
    if (position) return this.continue(request, entry, position, {});
    try {
      return await this.responder.respond(request, { state: 'SUCCEEDED', entry, cache: 'hit' }, undefined);
    } catch (err) {
      if (!(err instanceof ResultObjectMissingError)) throw err;
      await this.service.evict(entry);
      return this.responder.respond(request, await this.service.rerun(entry), undefined);
    }
  }

  private async continue(
    request: ApiRequest,
    entry: CacheEntry & { status: 'SUCCEEDED' },
    position: { offset: number; byte: number },
    context: ResultContext,
  ): Promise<ApiResponse> {
    try {
      return await this.responder.respond(request, { state: 'SUCCEEDED', entry, cache: 'hit' }, position, context);
    } catch (err) {
      if (!(err instanceof ResultObjectMissingError)) throw err;
      await this.service.evict(entry);
      throw new NotFoundError(EXPIRED);
    }
  }
}

function sameQuery(a: EngineQuery, b: EngineQuery): boolean {
  return (
    a.sql === b.sql &&
    a.parameters.length === b.parameters.length &&
    a.parameters.every((p, i) => p === b.parameters[i])
  );
}
