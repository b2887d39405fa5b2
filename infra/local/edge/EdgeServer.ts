import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalService, ServiceName } from './LocalService';
import { hostRefusal, isLoopbackHost } from './loopbackHost';

/** Path of the stack's own health check; `_` cannot start a bucket name, so it never shadows S3. */
export const HEALTH_PATH = '/_examlake/health';

/**
 * The one local endpoint (default http://127.0.0.1:4566) for every emulated service. It routes each request by
 * protocol: JSON-protocol services by their `X-Amz-Target` prefix, everything else to S3 (REST-XML). A request
 * whose Host is not a loopback name (or the bound address) is refused with 403 (DNS rebinding).
 */
export class EdgeServer {
  private readonly services = new Map<ServiceName, LocalService>();
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly host: string,
  ) {}

  static async listen(host: string, port: number): Promise<EdgeServer> {
    const server = http.createServer();
    const edge = new EdgeServer(server, host);
    server.on('request', (req, res) => edge.route(req, res));
    server.on('connection', (socket) => {
      edge.sockets.add(socket);
      socket.on('close', () => edge.sockets.delete(socket));
    });
    // Large uploads and long polls must not be cut by Node's default request timeout.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(
                `Port ${port} on ${host} is in use. Stop the other process (another local stack?) or choose a port with --port or EXAMLAKE_STACK_PORT.`,
              )
            : err,
        ),
      );
      server.listen(port, host, () => resolve());
    });
    return edge;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  register(service: LocalService): void {
    this.services.set(service.name, service);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    const services = [...this.services.values()].reverse();
    this.services.clear();
    for (const service of services) await service.close();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (!isLoopbackHost(req.headers.host, this.host)) {
      const refusal = hostRefusal(req.headers.host);
      req.resume();
      res.writeHead(refusal.status, refusal.headers).end(refusal.body);
      return;
    }
    if (req.url === HEALTH_PATH && req.method === 'GET') {
      const body = JSON.stringify({
        services: Object.fromEntries([...this.services.keys()].map((n) => [n, 'running'])),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const name = serviceFor(req);
    const service = name ? this.services.get(name) : undefined;
    if (!service) {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.stringify({
        __type: 'UnknownOperationException',
        Message: name
          ? `The ${name} service is not running on this local stack.`
          : `No local service handles X-Amz-Target '${target}'. Supported: S3, DynamoDB, Glue, Athena, Secrets Manager.`,
      });
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'UnknownOperationException',
      });
      res.end(body);
      return;
    }
    service.handle(req, res).catch((err) => {
      console.error(`${service.name} failed to answer a request:`, err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  }
}

/** Which service a request is for; undefined for an X-Amz-Target no local service speaks. */
export function serviceFor(req: IncomingMessage): ServiceName | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || target === '') return 's3';
  if (target.startsWith('DynamoDB_')) return 'dynamodb';
  if (target.startsWith('AWSGlue.')) return 'glue';
  if (target.startsWith('AmazonAthena.')) return 'athena';
  if (target.startsWith('secretsmanager.')) return 'secretsmanager';
  return undefined;
}
