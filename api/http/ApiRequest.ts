import type { Scope } from '../access/Scope';

/** A request after routing, validation and authentication: what an operation handler receives. */
export interface ApiRequest {
  readonly requestId: string;
  readonly method: string;
  /** Path as routed (without the API Gateway stage). */
  readonly path: string;
  /** Prefix to put before `path` in links the client follows (the stage on API Gateway, '' locally). */
  readonly basePath: string;
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query parameters validated and coerced against the operation's parameters, defaults applied. */
  readonly query: Readonly<Record<string, unknown>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed and validated JSON body, or undefined. */
  readonly body: unknown;
  /** Who is asking and what they may see: the one value every data access is given. */
  readonly scope: Scope;
}

/** What an operation answers; the handler turns it into the API Gateway proxy result. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** What the audit record of this request says (never sent): the one audit channel, recorded by the router. */
  readonly audit?: AuditFacts;
}

/** Facts only the operation knows, for its audit record. */
export interface AuditFacts {
  /** Rows in this answer. @default none (null in the record) */
  readonly rowsReturned?: number;
  /** The query's cache key, for answers read from a result. @default none (null in the record) */
  readonly cacheKey?: string;
  /** What was read or changed. @default the report id, partner id or dataset name of the path */
  readonly resource?: string;
  /** E.g. `grant-replaced`. */
  readonly reason?: string;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
