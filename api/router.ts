import type { OpenAPIV3_1 } from 'openapi-types';
import { type Caller, PUBLIC_CALLER } from './access/Caller';
import type { ScopeResolver } from './access/resolveScope';
import { type Scope, scopeFor } from './access/Scope';
import type { TokenBuckets } from './access/TokenBucket';
import type { AuditLog } from './audit/AuditLog';
import { bearerToken } from './auth/bearerToken';
import {
  ApiError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  ThrottledError,
  UnauthenticatedError,
} from './errors';
import type { ApiRequest, ApiResponse } from './http/ApiRequest';
import { type ExamlakeOperation, operationsOf, type Role } from './http/openapiDocument';
import { byLiteralFirst, type CompiledPath, compilePathTemplate, matchPath } from './http/pathTemplate';
import { RequestValidator } from './http/RequestValidator';
import type { Authenticator } from './ports/Authenticator';

/** An operation's use case: a validated, scoped request in, a response out. */
export type OperationHandler = (request: ApiRequest) => Promise<ApiResponse>;

/** The raw request as the Lambda handler reads it from the API Gateway event. */
export interface IncomingRequest {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly basePath: string;
  readonly query: Record<string, readonly string[]>;
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
  /** The request carries a body (not yet read). */
  readonly hasBody: boolean;
  /**
   * Decodes and parses the body (415 for a non-JSON type, 400 for malformed JSON). The router calls it only after
   * authentication and the role check, and only for an operation that declares a request body: any other body is
   * ignored unread.
   */
  readBody(): unknown;
  /** The client's address (the public's throttle key). */
  readonly sourceIp?: string;
}

/** Access control the router applies around every operation. */
export interface RouterOptions {
  /**
   * The contract's request validator: built once by the composition root, which also hands it to the operations
   * that validate report parameters. @default one compiled from `document`
   */
  readonly validator?: RequestValidator;
  /** Caller → scope (reads partner grants). @default `scopeFor(caller)` without grants */
  readonly resolveScope?: ScopeResolver;
  /** Where one record per data access or refusal goes. @default no audit */
  readonly audit?: AuditLog;
  /** Per-partner token buckets (the usage plan's throttle, locally and per instance on AWS). @default none */
  readonly partnerThrottle?: TokenBuckets;
  /** Token buckets per principal (`sub`) of every other signed-in role. @default none */
  readonly principalThrottle?: TokenBuckets;
  /** Requests one principal may have in flight at once; more are 429. @default unlimited */
  readonly principalMaxInFlight?: number;
}

/** Operations with these tags read or change data or grants: each request to them is audited. */
const AUDITED_TAGS: ReadonlySet<string> = new Set([
  'datasets',
  'reports',
  'queries',
  'partners',
  'extracts',
  'open-data',
]);

interface Route extends CompiledPath {
  readonly pathTemplate: string;
  readonly operations: Map<string, ExamlakeOperation>;
}

/**
 * Routes requests to operations by the contract's paths, then authenticates, checks the operation's
 * `x-examlake-roles`, validates the inputs and hands a scoped {@link ApiRequest} to the operation's handler.
 * Routes come only from `openapi.yaml`; construction fails if an operation has no handler or a handler no
 * operation, so the contract and the code cannot drift apart.
 */
export class Router {
  private readonly routes: Route[];
  private readonly validator: RequestValidator;
  /** Requests in progress per throttle key. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    document: OpenAPIV3_1.Document,
    private readonly handlers: Readonly<Record<string, OperationHandler>>,
    private readonly authenticator: Authenticator,
    private readonly options: RouterOptions = {},
  ) {
    this.validator = options.validator ?? new RequestValidator(document);
    const byPath = new Map<string, Route>();
    const operationIds = new Set<string>();
    for (const { pathTemplate, method, operation } of operationsOf(document)) {
      const id = String(operation.operationId);
      if (!handlers[id])
        throw new Error(
          `openapi.yaml declares ${id} (${method.toUpperCase()} ${pathTemplate}) but no handler implements it.`,
        );
      operationIds.add(id);
      let route = byPath.get(pathTemplate);
      if (!route) {
        route = { pathTemplate, ...compilePathTemplate(pathTemplate), operations: new Map() };
        byPath.set(pathTemplate, route);
      }
      route.operations.set(method.toUpperCase(), operation);
    }
    for (const id of Object.keys(handlers)) {
      if (!operationIds.has(id)) throw new Error(`Handler ${id} has no operation in openapi.yaml.`);
    }
    // Literal segments before parameters: `/docs` before `/docs/{asset}` is implied by anchoring, but
    // sorting keeps the match deterministic if two templates could both match.
    this.routes = [...byPath.values()].sort(byLiteralFirst);
  }

  async route(incoming: IncomingRequest): Promise<ApiResponse> {
    const redirect = this.withoutTrailingSlash(incoming);
    if (redirect) return redirect;
    const { route, pathParams } = this.match(incoming.path);
    const method = incoming.method.toUpperCase();
    const operation = route.operations.get(method === 'HEAD' ? 'GET' : method);
    if (!operation) throw new MethodNotAllowedError(method, incoming.path, [...route.operations.keys()]);
    const operationId = String(operation.operationId);
    const audited = this.options.audit !== undefined && (operation.tags ?? []).some((t) => AUDITED_TAGS.has(t));
    let caller: Caller | undefined;
    let scope: Scope | undefined;
    let release: (() => void) | undefined;
    try {
      caller = await this.authenticate(incoming.headers['authorization'], operation);
      this.authorize(caller, operation);
      release = this.throttle(caller, incoming.sourceIp);
      const takesBody = this.validator.takesBody(operationId);
      const inputs = this.validator.validate(operationId, {
        pathParams,
        query: incoming.query,
        headers: incoming.headers,
        body: takesBody && incoming.hasBody ? incoming.readBody() : undefined,
        hasBody: takesBody && incoming.hasBody,
      });
      scope = await (this.options.resolveScope ?? (async (c: Caller) => scopeFor(c)))(caller);
      const request: ApiRequest = {
        requestId: incoming.requestId,
        method,
        path: incoming.path,
        basePath: incoming.basePath,
        operationId,
        pathParams: inputs.pathParams,
        query: inputs.query,
        headers: incoming.headers,
        body: inputs.body,
        scope,
      };
      const response = await this.handlers[operationId]!(request);
      if (audited) this.audit(incoming, operationId, pathParams, caller, scope, response, undefined);
      return response;
    } catch (err) {
      if (audited) this.audit(incoming, operationId, pathParams, caller, scope, undefined, err);
      throw err;
    } finally {
      release?.();
    }
  }

  /**
   * Throttles every caller: partners by the partner's bucket (the usage plan), other signed-in roles by their
   * principal's (`sub`); and at most `principalMaxInFlight` requests of one caller at once (the public's counted
   * per source address).
   * Returns the release of the in-flight slot taken.
   */
  private throttle(caller: Caller, sourceIp: string | undefined): () => void {
    const key =
      caller.role === 'partner'
        ? `partner#${caller.partnerId ?? ''}`
        : caller.role === 'public'
          ? `public#${sourceIp ?? ''}`
          : `${caller.role}#${caller.subject ?? ''}`;
    // The public has no principal: on AWS the stage's throttle and CloudFront's cache stand in front of it; here it
    // gets the in-flight cap only (one source address is every local caller).
    const buckets =
      caller.role === 'partner'
        ? this.options.partnerThrottle
        : caller.role === 'public'
          ? undefined
          : this.options.principalThrottle;
    const waitSeconds = buckets?.take(key) ?? 0;
    if (waitSeconds > 0) {
      throw new ThrottledError(
        caller.role === 'partner'
          ? `Your organisation's request rate limit is reached; retry after ${waitSeconds} s.`
          : `Your request rate limit is reached; retry after ${waitSeconds} s.`,
        waitSeconds,
      );
    }
    const max = this.options.principalMaxInFlight;
    if (max === undefined) return () => {};
    const current = this.inFlight.get(key) ?? 0;
    if (current >= max) {
      throw new ThrottledError(
        `You have ${current} requests in progress, the most one caller may have (EXAMLAKE_PRINCIPAL_MAX_IN_FLIGHT); retry after 1 s, when one has finished.`,
        1,
      );
    }
    this.inFlight.set(key, current + 1);
    return () => {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    };
  }

  private audit(
    incoming: IncomingRequest,
    operationId: string,
    pathParams: Record<string, string>,
    caller: Caller | undefined,
    scope: Scope | undefined,
    response: ApiResponse | undefined,
    err: unknown,
  ): void {
    const status = response?.status ?? (err instanceof ApiError ? err.status : 500);
    const facts = response?.audit;
    this.options.audit!.record({
      requestId: incoming.requestId,
      operationId,
      method: incoming.method.toUpperCase(),
      path: incoming.path,
      principal: caller?.subject ?? null,
      role: caller?.role ?? null,
      partnerId: caller?.partnerId ?? null,
      resource: facts?.resource ?? pathParams['reportId'] ?? pathParams['partnerId'] ?? pathParams['name'] ?? null,
      scopeFingerprint: scope?.fingerprint ?? null,
      cacheKey: facts?.cacheKey ?? null,
      rowsReturned: facts?.rowsReturned ?? null,
      decision: response ? 'allow' : status >= 500 ? 'error' : 'deny',
      status,
      reason: facts?.reason ?? (err instanceof ApiError ? err.code : err ? 'INTERNAL' : null),
    });
  }

  /**
   * `GET /docs/` (or any route's path with trailing slashes) is a 308 to the path without them, query kept: a
   * browser that opens `/docs/` would otherwise resolve Swagger UI's relative asset URLs under `/docs/docs/`.
   * Only for GET and HEAD, and only when the trimmed path is a route: everything else stays a 404.
   */
  private withoutTrailingSlash(incoming: IncomingRequest): ApiResponse | undefined {
    const method = incoming.method.toUpperCase();
    if ((method !== 'GET' && method !== 'HEAD') || incoming.path.length < 2 || !incoming.path.endsWith('/')) {
      return undefined;
    }
    const trimmed = incoming.path.replace(/\/+$/, '');
    if (!trimmed || !this.routes.some((route) => route.pattern.test(trimmed))) return undefined;
    const query = new URLSearchParams();
    for (const [name, values] of Object.entries(incoming.query)) for (const value of values) query.append(name, value);
    const search = query.size > 0 ? `?${query}` : '';
    return { status: 308, headers: { Location: `${incoming.basePath}${trimmed}${search}` }, body: '' };
  }

  private match(path: string): { route: Route; pathParams: Record<string, string> } {
    for (const route of this.routes) {
      const pathParams = matchPath(route, path);
      if (pathParams) return { route, pathParams };
    }
    throw new NotFoundError(`No resource at ${path}; see /docs for the operations of this API.`);
  }

  private async authenticate(authorization: string | undefined, operation: ExamlakeOperation): Promise<Caller> {
    const roles: readonly Role[] = operation['x-examlake-roles'] ?? [];
    if (authorization === undefined || authorization.trim() === '') {
      if (roles.includes('public')) return PUBLIC_CALLER;
      throw new UnauthenticatedError();
    }
    const token = bearerToken(authorization);
    if (!token) throw new UnauthenticatedError('The Authorization header must be `Bearer <id token>`.');
    return this.authenticator.authenticate(token);
  }

  /** The operation's `x-examlake-roles` admit the caller (checked once the caller is known, so a denial is audited with them). */
  private authorize(caller: Caller, operation: ExamlakeOperation): void {
    const roles: readonly Role[] = operation['x-examlake-roles'] ?? [];
    if (!roles.includes(caller.role) && !roles.includes('public')) {
      throw new ForbiddenError(
        `${operation.operationId} is open to ${roles.join(', ')}; your token's role is ${caller.role}.`,
      );
    }
  }
}
