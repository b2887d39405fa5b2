import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenAPIV3_1 } from 'openapi-types';
import { bearerToken } from '../../../api/auth/bearerToken';
import { DuplicateAuthorizationError } from '../../../api/errors';
import { operationsOf } from '../../../api/http/openapiDocument';
import { byLiteralFirst, type CompiledPath, compilePathTemplate, matchPath } from '../../../api/http/pathTemplate';
import { problemResponse, problemType } from '../../../api/http/problemResponse';
import type { ProxyHandler } from '../../../api/http/proxyHandler';
import { hostRefusal, isLoopbackHost } from '../edge/loopbackHost';
import { EncodedBodies } from './EncodedBodies';
import type { MountedService } from './MountedService';
import { ResponseBursts } from './ResponseBursts';
import { toProxyEvent } from './toProxyEvent';

/** Checks a bearer token as the Cognito authorizer would; resolves to its claims or rejects. */
export type GatewayTokenCheck = (token: string) => Promise<Readonly<Record<string, unknown>>>;

export interface LocalGatewayOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  readonly handler: ProxyHandler;
  /** The contract: its paths are the REST API's resources and its `security` says which need a token. */
  readonly document: OpenAPIV3_1.Document;
  readonly checkToken: GatewayTokenCheck;
  /** @default 'local' */
  readonly stage?: string;
  /** Services answered beside the API on the same origin, offered each request first (the local OIDC provider). */
  readonly mounted?: readonly MountedService[];
  /** Largest request body accepted, as API Gateway's 10 MB payload limit. @default 10485760 */
  readonly maxBodyBytes?: number;
  /** Told of each request the gateway refuses itself with 401 (the handler never sees those). @default none */
  readonly onUnauthorized?: (method: string, target: string) => void;
}

interface Resource extends CompiledPath {
  readonly template: string;
  /** Methods whose operation needs a token (the Cognito authorizer is attached to them). */
  readonly authorized: ReadonlySet<string>;
  /** Methods whose operation takes a request body. */
  readonly withBody: ReadonlySet<string>;
}

/**
 * The local stand-in for API Gateway (REST API, Lambda proxy integration): an HTTP server that turns each
 * request into the proxy event API Gateway would send and invokes the same handler the Lambda runs.
 *
 * Like a Cognito authorizer attached to the operations that need a token, it rejects a missing or invalid
 * token with 401 before the handler runs. Its 401 body is the API's problem body (on AWS a gateway response
 * for `UNAUTHORIZED` gives the same shape), so clients see one error format.
 */
export class LocalGateway {
  private readonly sockets = new Set<Socket>();
  private readonly encodedBodies = new EncodedBodies();
  private readonly bursts = new ResponseBursts((err) =>
    console.error('local gateway failed to send an answer, sent 502 instead:', err),
  );

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async listen(options: LocalGatewayOptions): Promise<LocalGateway> {
    const resources = resourcesOf(options.document);
    const server = http.createServer();
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(
                `Port ${options.port ?? 3000} on ${host} is in use: stop the other process or choose another API port.`,
              )
            : err,
        ),
      );
      server.listen(options.port ?? 3000, host, () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const gateway = new LocalGateway(server, `http://${address.includes(':') ? `[${address}]` : address}:${port}`);
    server.on('connection', (socket) => {
      gateway.sockets.add(socket);
      socket.on('close', () => gateway.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      gateway.serve(req, res, resources, options).catch((err) => {
        console.error('local gateway failed to answer a request:', err);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal server error' }));
      });
    });
    return gateway;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    resources: readonly Resource[],
    options: LocalGatewayOptions,
  ): Promise<void> {
    const requestId = randomUUID();
    if (!isLoopbackHost(req.headers.host, options.host ?? '127.0.0.1')) {
      const refusal = hostRefusal(req.headers.host);
      req.resume();
      this.send(res, refusal.status, { ...refusal.headers, 'x-amzn-requestid': requestId }, refusal.body);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = req.method ?? 'GET';
    const authorizations = req.rawHeaders.filter((_, i) => i % 2 === 0 && /^authorization$/i.test(_)).length;
    if (authorizations > 1) {
      // Node keeps the first of repeated Authorization headers, the event's single-value map the last: refused
      // here as the handler refuses them on AWS, so no check reads one and the handler acts on the other.
      req.resume();
      const problem = duplicateAuthorization(url.pathname, requestId, authorizations);
      this.send(res, 400, problem.headers, problem.body);
      return;
    }
    const matched = match(resources, url.pathname);
    const operationMethod = method === 'HEAD' ? 'GET' : method;
    if (!matched) {
      const body = await readBody(req, options.maxBodyBytes ?? 10 * 1024 * 1024);
      if (body === undefined) {
        this.send(res, 413, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Request Too Long' }));
        return;
      }
      for (const service of options.mounted ?? []) {
        const answer = await service({ method, url, headers: req.headers, body });
        if (answer) {
          const payload = method === 'HEAD' ? EMPTY : Buffer.from(answer.body);
          this.send(
            res,
            answer.status,
            { ...answer.headers, 'x-amzn-requestid': requestId },
            payload,
            Buffer.byteLength(answer.body),
          );
          return;
        }
      }
    }
    let claims: Readonly<Record<string, unknown>> | undefined;
    if (matched?.resource.authorized.has(operationMethod)) {
      const token = bearerToken(req.headers.authorization) ?? req.headers.authorization;
      try {
        if (!token) throw new Error('no token');
        claims = await options.checkToken(token);
      } catch {
        options.onUnauthorized?.(method, `${url.pathname}${url.search}`);
        req.resume();
        this.send(res, 401, unauthorizedHeaders(requestId), unauthorizedBody(url.pathname, requestId));
        return;
      }
    }
    // A body is read only for an operation that takes one, after the authorizer: any other is drained unread (the
    // handler ignores it), so anonymous large bodies cost no buffering, decoding or parsing.
    let body: Buffer | undefined = EMPTY;
    if (!matched || matched.resource.withBody.has(operationMethod)) {
      body = await readBody(req, options.maxBodyBytes ?? 10 * 1024 * 1024);
    } else {
      req.resume();
    }
    if (body === undefined) {
      this.send(res, 413, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Request Too Long' }));
      return;
    }
    const event = toProxyEvent({
      requestId,
      method,
      path: url.pathname,
      rawQuery: url.search,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      resource: matched?.resource.template ?? '/{proxy+}',
      pathParameters: matched
        ? Object.keys(matched.params).length
          ? matched.params
          : null
        : { proxy: url.pathname.slice(1) },
      claims,
      stage: options.stage ?? 'local',
    });
    const result = await options.handler(event);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
    headers['x-amzn-requestid'] = requestId;
    // Sent as bytes: a string body would be measured for Content-Length, then joined to the head and encoded
    // inside the socket write (a copy of the whole answer per response). Head and body still leave in one write.
    const payload = result.isBase64Encoded
      ? Buffer.from(result.body ?? '', 'base64')
      : this.encodedBodies.encode(result.body ?? '');
    this.send(res, result.statusCode, headers, method === 'HEAD' ? EMPTY : payload, payload.length);
  }

  /** Completes the headers (Content-Length) and queues the answer with the rest of this turn's (`ResponseBursts`). */
  private send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string | string[]>,
    body: string | Buffer,
    length?: number,
  ): void {
    // Callers pass a fresh object: completed in place, not copied.
    headers['content-length'] = String(length ?? (typeof body === 'string' ? Buffer.byteLength(body) : body.length));
    this.bursts.send(res, status, headers, body);
  }
}

/** API Gateway's resources for the contract's paths, with the methods the authorizer guards. */
function resourcesOf(document: OpenAPIV3_1.Document): Resource[] {
  const byTemplate = new Map<string, CompiledPath & { authorized: Set<string>; withBody: Set<string> }>();
  for (const { pathTemplate, method, operation } of operationsOf(document)) {
    let resource = byTemplate.get(pathTemplate);
    if (!resource) {
      resource = { ...compilePathTemplate(pathTemplate), authorized: new Set(), withBody: new Set() };
      byTemplate.set(pathTemplate, resource);
    }
    const security = operation.security ?? document.security ?? [];
    if (security.length > 0) resource.authorized.add(method.toUpperCase());
    if (operation.requestBody) resource.withBody.add(method.toUpperCase());
  }
  return [...byTemplate.entries()].map(([template, r]) => ({ template, ...r })).sort(byLiteralFirst);
}

function match(
  resources: readonly Resource[],
  path: string,
): { resource: Resource; params: Record<string, string> } | undefined {
  for (const resource of resources) {
    const params = matchPath(resource, path);
    if (params) return { resource, params };
  }
  return undefined;
}

/** The handler's own 400 problem for repeated Authorization headers, answered before anything else. */
function duplicateAuthorization(path: string, requestId: string, count: number) {
  const problem = problemResponse(new DuplicateAuthorizationError(count), path, requestId);
  return {
    headers: { ...(problem.headers as Record<string, string>), 'x-amzn-requestid': requestId },
    body: String(problem.body),
  };
}

function unauthorizedHeaders(requestId: string): Record<string, string> {
  return {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
    'www-authenticate': 'Bearer realm="examlake"',
    'x-amzn-errortype': 'UnauthorizedException',
    'x-amzn-requestid': requestId,
  };
}

function unauthorizedBody(instance: string, requestId: string): string {
  return JSON.stringify({
    type: problemType('UNAUTHORIZED'),
    title: 'Authentication required',
    status: 401,
    code: 'UNAUTHORIZED',
    detail: 'Send a valid id token as Authorization: Bearer <token> (locally: npx examlake token --role analyst).',
    instance,
    requestId,
    message: 'Unauthorized',
  });
}

const EMPTY = Buffer.alloc(0);

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3): no stream to drain.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return EMPTY;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
