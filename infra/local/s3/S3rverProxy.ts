import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Request headers that belong to one connection (or to the edge), never forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'expect', 'upgrade', 'proxy-connection', 'te'];

/**
 * Forwards requests to the embedded s3rver on its private loopback port, over kept-alive connections.
 */
export class S3rverProxy {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly port: number) {}

  /**
   * Sends one request and resolves with s3rver's response (body not yet read). A streamed body that fails
   * (a bad checksum, the client gone) aborts the request before s3rver sees its end, so nothing is stored, and
   * the body's error is thrown.
   */
  async send(
    method: string,
    pathAndQuery: string,
    headers: OutgoingHttpHeaders,
    body?: Readable | Buffer,
  ): Promise<IncomingMessage> {
    const upstream = http.request({
      host: '127.0.0.1',
      port: this.port,
      method,
      path: pathAndQuery,
      headers: { ...headers, host: `127.0.0.1:${this.port}` },
      agent: this.agent,
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
    response.catch(() => {});
    if (body === undefined || Buffer.isBuffer(body)) {
      upstream.end(body);
      return response;
    }
    const sent = pipeline(body, upstream).then(
      () => undefined,
      (err: Error) => err,
    );
    let res: IncomingMessage;
    try {
      res = await response;
    } catch (err) {
      throw (await sent) ?? err;
    }
    if ((res.statusCode ?? 500) < 300) {
      const failed = await sent;
      if (failed) {
        res.resume();
        throw failed;
      }
    }
    return res;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A client's request headers as s3rver should receive them: hop-by-hop and aws-chunked framing headers removed. */
export function forwardedHeaders(headers: IncomingHttpHeaders, bodyLength: number | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name)) continue;
    if (name === 'host' || name === 'content-length' || name === 'x-amz-decoded-content-length') continue;
    // Signatures are not checked locally (as for the other services): s3rver gets an anonymous request.
    if (name === 'x-amz-trailer' || name === 'authorization') continue;
    out[name] = value;
  }
  const encoding = String(headers['content-encoding'] ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked');
  if (encoding.length) out['content-encoding'] = encoding.join(',');
  else delete out['content-encoding'];
  if (String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')) {
    out['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
  if (bodyLength !== undefined) out['content-length'] = bodyLength;
  return out;
}

/** s3rver's response headers as the client should receive them. */
export function responseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name)) out[name] = value;
  }
  return out;
}
