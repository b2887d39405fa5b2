import type { OpenAPIV3_1 } from 'openapi-types';
import { type Caller, PUBLIC_CALLER } from './access/Caller';
import { scopeFor } from './access/Scope';
import { ForbiddenError, MethodNotAllowedError, NotFoundError, UnauthenticatedError } from './errors';
import type { ApiRequest, ApiResponse } from './http/ApiRequest';
import { type ExamlakeOperation, operationsOf, type Role } from './http/openapiDocument';
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
  readonly body: unknown;
  readonly hasBody: boolean;
}

interface Route {
  readonly pathTemplate: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
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
  readonly validator: RequestValidator;

  constructor(
    document: OpenAPIV3_1.Document,
    private readonly handlers: Readonly<Record<string, OperationHandler>>,
    private readonly authenticator: Authenticator,
  ) {
    this.validator = new RequestValidator(document);
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
        const paramNames: string[] = [];
        const source = pathTemplate
          .split('/')
          .map((segment) => {
            const param = /^\{(\w+)\}$/.exec(segment);
            if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            paramNames.push(param[1]!);
            return '([^/]+)';
          })
          .join('/');
        route = { pathTemplate, pattern: new RegExp(`^${source}$`), paramNames, operations: new Map() };
        byPath.set(pathTemplate, route);
      }
      route.operations.set(method.toUpperCase(), operation);
    }
    for (const id of Object.keys(handlers)) {
      if (!operationIds.has(id)) throw new Error(`Handler ${id} has no operation in openapi.yaml.`);
    }
    // Literal segments before parameters: `/docs` before `/docs/{asset}` is implied by anchoring, but
    // sorting keeps the match deterministic if two templates could both match.
    this.routes = [...byPath.values()].sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  async route(incoming: IncomingRequest): Promise<ApiResponse> {
    const { route, pathParams } = this.match(incoming.path);
    const method = incoming.method.toUpperCase();
    const operation = route.operations.get(method === 'HEAD' ? 'GET' : method);
    if (!operation) throw new MethodNotAllowedError(method, incoming.path, [...route.operations.keys()]);
    const operationId = String(operation.operationId);
    const caller = await this.authenticate(incoming.headers['authorization'], operation);
    const inputs = this.validator.validate(operationId, {
      pathParams,
      query: incoming.query,
      headers: incoming.headers,
      body: incoming.body,
      hasBody: incoming.hasBody,
    });
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
      scope: scopeFor(caller),
    };
    return this.handlers[operationId]!(request);
  }

  private match(path: string): { route: Route; pathParams: Record<string, string> } {
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.paramNames.forEach((name, i) => {
        pathParams[name] = safeDecode(m[i + 1]!);
      });
      return { route, pathParams };
    }
    throw new NotFoundError(`No resource at ${path}; see /docs for the operations of this API.`);
  }

  private async authenticate(authorization: string | undefined, operation: ExamlakeOperation): Promise<Caller> {
    const roles: readonly Role[] = operation['x-examlake-roles'] ?? [];
    const isPublic = roles.includes('public');
    if (authorization === undefined || authorization.trim() === '') {
      if (isPublic) return PUBLIC_CALLER;
      throw new UnauthenticatedError();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new UnauthenticatedError('The Authorization header must be `Bearer <id token>`.');
    const caller = await this.authenticator.authenticate(m[1]!);
    if (!roles.includes(caller.role) && !isPublic) {
      throw new ForbiddenError(
        `${operation.operationId} is open to ${roles.join(', ')}; your token's role is ${caller.role}.`,
      );
    }
    return caller;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
