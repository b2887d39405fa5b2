import net from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { loadOpenApiContract, operationsOf } from '../../../api/http/openapiDocument';
import { Router } from '../../../api/router';
import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { request } from '../support/httpClient';

/**
 * The LOW findings of the outside attack run on the request path: repeated Authorization headers, bodies read
 * before routing and authentication, role denials audited without the caller, and roles without a throttle.
 */
let t: AccessTestApi;
let analyst: Record<string, string>;

beforeAll(async () => {
  t = await startAccessTestApi({ principalRequestsPerSecond: 1, principalBurst: 3, principalMaxInFlight: 2 });
  analyst = await t.bearer({ role: 'analyst', subject: 'ann' });
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** Sends raw request bytes and resolves with the response head and body as text, once the answer has arrived. */
function rawExchange(head: string, body: Buffer | string = '', keepOpen = false): Promise<string> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      const [, rest] = answer.split('\r\n\r\n');
      const length = /content-length:\s*(\d+)/i.exec(answer)?.[1];
      if (rest !== undefined && length !== undefined && Buffer.byteLength(rest) >= Number(length)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
    socket.write(head);
    socket.write(body);
    if (!keepOpen) socket.end();
  });
}

describe('request hygiene', () => {
  it('refuses two Authorization headers with a 400 problem, at the gateway and in the handler', async () => {
    const steward = await t.bearer({ role: 'steward' });
    const answer = await rawExchange(
      `GET /v1/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${analyst['authorization']}\r\n` +
        `Authorization: ${steward['authorization']}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"VALIDATION_FAILED"');
    expect(answer).toContain('Authorization is given 2 times; send exactly one');
    // On AWS the handler is the check: the event's multi-value headers carry both.
    const event = {
      resource: '/v1/health',
      path: '/v1/health',
      httpMethod: 'GET',
      headers: { Authorization: steward['authorization'] },
      multiValueHeaders: { Authorization: [analyst['authorization'], steward['authorization']] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'r-dup', path: '/v1/health' },
    } as unknown as APIGatewayProxyEvent;
    const result = await t.api.api.handler(event);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ name: 'Authorization' }] });
  });

  it('answers /v1/health without waiting for a large body, and ignores a body on a GET', async () => {
    // 10 MB announced, 1 KB sent, the socket left open: the answer can only come if the body is not read first.
    const answer = await rawExchange(
      `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
      Buffer.alloc(1024, 0x7b),
      true,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    const garbage = await rawExchange(
      'GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 15\r\nConnection: close\r\n\r\n',
      'not json at all',
    );
    expect(garbage).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses an anonymous body-taking request before reading its body', async () => {
    const answer = await rawExchange(
      `POST /v1/queries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
      '{"sql": "',
      true,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('reads the body of an operation that takes one only after the role check', async () => {
    const admin = await t.bearer({ role: 'school_admin', schoolIds: ['SCH-0001'], subject: 'ada' });
    const refused = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: '{ this is not json',
    });
    // Malformed JSON would be 400: the 403 shows the body was not parsed for a caller the operation refuses.
    expect([refused.status, refused.json.code]).toEqual([403, 'FORBIDDEN']);
    const malformed = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'application/json' },
      body: '{ this is not json',
    });
    expect([malformed.status, malformed.json.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('audits a role denial with the principal, role and partner id', async () => {
    const partner = await t.bearer({ role: 'partner', partnerId: 'acme', subject: 'pat' });
    const denied = await request(`${t.url}/v1/partners/acme/grant`, { headers: partner });
    expect(denied.status).toBe(403);
    expect(t.audit).toContainEqual(
      expect.objectContaining({
        operationId: 'getPartnerGrant',
        decision: 'deny',
        status: 403,
        reason: 'FORBIDDEN',
        principal: 'pat',
        role: 'partner',
        partnerId: 'acme',
      }),
    );
  });

  it('throttles every role per principal with a 429 problem and Retry-After', async () => {
    const steward = await t.bearer({ role: 'steward', subject: 'stu' });
    const statuses: number[] = [];
    let over: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await request(`${t.url}/v1/datasets`, { headers: steward });
      statuses.push(res.status);
      if (res.status === 429) over = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(over).toBeDefined();
    expect(over!.json.code).toBe('THROTTLED');
    expect(over!.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(over!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another principal of the same role has a bucket of its own.
    const other = await request(`${t.url}/v1/datasets`, {
      headers: await t.bearer({ role: 'steward', subject: 'sam' }),
    });
    expect(other.status).toBe(200);
    expect(t.audit).toContainEqual(
      expect.objectContaining({
        principal: 'stu',
        role: 'steward',
        decision: 'deny',
        status: 429,
        reason: 'THROTTLED',
      }),
    );
  });

  it('limits the requests one principal has in flight at once, and frees the slot when one ends', async () => {
    // The router with an operation that waits for a gate, so three requests are truly in flight together.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const document = loadOpenApiContract().document;
    const handlers = Object.fromEntries(
      operationsOf(document).map(({ operation }) => [
        String(operation.operationId),
        async () => {
          await gate;
          return { status: 200, headers: {}, body: '{}' };
        },
      ]),
    );
    const authenticator = {
      authenticate: async (token: string) => ({
        role: 'analyst' as const,
        subject: token,
        groups: ['analyst' as const],
        schoolIds: [],
        districtIds: [],
        partnerId: undefined,
      }),
    };
    const router = new Router(document, handlers, authenticator, { principalMaxInFlight: 2 });
    const incoming = (token: string) => ({
      requestId: 'r',
      method: 'GET',
      path: '/v1/datasets',
      basePath: '',
      query: {},
      headers: { authorization: `Bearer ${token}` },
      hasBody: false,
      readBody: () => undefined,
    });
    const first = [router.route(incoming('busy')), router.route(incoming('busy'))];
    await expect(router.route(incoming('busy'))).rejects.toMatchObject({
      code: 'THROTTLED',
      retryAfterSeconds: 1,
      message: expect.stringMatching(/2 requests in progress.*EXAMLAKE_PRINCIPAL_MAX_IN_FLIGHT/),
    });
    const other = router.route(incoming('calm'));
    open();
    expect((await Promise.all([...first, other])).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await router.route(incoming('busy'))).status).toBe(200);
  });
});
