import { randomUUID } from 'node:crypto';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ApiError, DuplicateAuthorizationError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { METRIC_NAMES, type MetricName, type MetricsSink } from '../ports/MetricsSink';
import type { IncomingRequest, Router } from '../router';
import type { ApiTelemetry } from '../telemetry';
import type { ApiResponse } from './ApiRequest';
import { problemResponse } from './problemResponse';

/** The proxy handler's signature: an API Gateway REST (v1 payload) event in, a proxy result out. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps the router as an API Gateway REST proxy handler: reads the event, routes it, maps every error to a
 * problem body (never a stack trace), logs one structured line per request with its request id, and
 * publishes the request's metrics.
 */
export function createProxyHandler(
  router: Router,
  telemetry: ApiTelemetry,
  metricsSink: PendingMetrics,
  corsAllowOrigins: readonly string[] = [],
): ProxyHandler {
  const { logger, metrics } = telemetry;
  // Decided once: a per-request line costs a formatted JSON write; at INFO the audit record is the request's line.
  const logRequests = ['TRACE', 'DEBUG'].includes(logger.getLevelName());
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? randomUUID();
    const started = performance.now();
    if (context) logger.addContext(context);
    const keys = { requestId, path: event.path, method: event.httpMethod };
    let response: ApiResponse;
    try {
      response = await router.route(incomingRequest(event, requestId));
    } catch (err) {
      if (!(err instanceof ApiError)) logger.error({ message: 'unexpected error', ...keys }, err as Error);
      else if (err.status >= 500)
        logger.warn({ message: 'request failed', ...keys, code: err.code, detail: err.message });
      response = problemResponse(err, event.path, requestId);
    }
    if (logRequests) {
      logger.debug({
        message: 'request',
        ...keys,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
      });
    }
    metricsSink.flush(metrics);
    const isBinary = Buffer.isBuffer(response.body);
    const body = isBinary ? (response.body as Buffer).toString('base64') : (response.body as string);
    return {
      statusCode: response.status,
      headers: { ...response.headers, ...corsHeaders(corsAllowOrigins, event.headers), 'X-Request-Id': requestId },
      body: event.httpMethod === 'HEAD' ? '' : body,
      isBase64Encoded: isBinary,
    };
  };
}

/** Collects metrics as the query service reports them; the handler publishes them after each request. */
export class PendingMetrics implements MetricsSink {
  private readonly pending: { name: MetricName; value: number }[] = [];

  add(name: MetricName, value: number): void {
    this.pending.push({ name, value });
  }

  flush(metrics: Metrics): void {
    if (this.pending.length === 0) return;
    for (const { name, value } of this.pending.splice(0)) {
      metrics.addMetric(name, METRIC_NAMES[name] === 'Bytes' ? MetricUnit.Bytes : MetricUnit.Count, value);
    }
    metrics.publishStoredMetrics();
  }
}

function incomingRequest(event: APIGatewayProxyEvent, requestId: string): IncomingRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  // API Gateway's single-value headers keep the last of repeated ones, while an authorizer may have read the
  // first: two Authorization headers are refused rather than guessed between.
  const authorizations = Object.entries(event.multiValueHeaders ?? {})
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .flatMap(([, values]) => values ?? []);
  if (authorizations.length > 1) throw new DuplicateAuthorizationError(authorizations.length);
  const query: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values) query[name] = [...values];
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query[name]) query[name] = [value];
  }
  const rawBody = event.body ?? '';
  // Read only when the router asks: after authentication, and only for an operation that takes a body.
  const readBody = (): unknown => {
    const text = event.isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
    const contentType = headers['content-type'];
    if (!contentType || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
      throw new UnsupportedMediaTypeError(contentType);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ValidationError([{ in: 'body', name: '/', message: 'is not valid JSON' }], err);
    }
  };
  // On API Gateway `requestContext.path` carries the stage (`/prod/v1/…`), `path` does not.
  const fullPath = event.requestContext?.path ?? event.path;
  const basePath = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  return {
    requestId,
    method: event.httpMethod,
    path: event.path,
    basePath,
    query,
    headers,
    hasBody: rawBody.length > 0,
    readBody,
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
  };
}

/** Headers a browser needs to read the response from another origin, when that origin is allowed. */
function corsHeaders(
  allowed: readonly string[],
  requestHeaders: APIGatewayProxyEvent['headers'] | null,
): Record<string, string> {
  if (allowed.length === 0) return {};
  const origin = Object.entries(requestHeaders ?? {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];
  const expose = { 'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS };
  if (allowed.includes('*')) return { 'Access-Control-Allow-Origin': '*', ...expose };
  if (origin && allowed.includes(origin)) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...expose };
  return { Vary: 'Origin' };
}

/** Response headers scripts may read: caching, paging, async results and the request id. */
const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Link',
  'Location',
  'Retry-After',
  'X-Request-Id',
  'X-Examlake-Bytes-Scanned',
  'X-Examlake-Cache',
  'X-Examlake-Data-Version',
  'X-Examlake-Next-Page-Token',
  'X-Examlake-Row-Count',
  'X-Examlake-Truncated',
].join(', ');
