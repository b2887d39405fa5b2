import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOpenApiContract } from '../../../../api/http/openapiDocument';
import { LocalGateway } from '../../../../infra/local/gateway/LocalGateway';
import { ResponseBursts } from '../../../../infra/local/gateway/ResponseBursts';

/** A real HTTP server whose requests are answered through `bursts`, each with a body naming its path. */
async function serverAnswering(
  bursts: ResponseBursts,
  headersFor: (path: string) => Record<string, string> = () => ({}),
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = JSON.stringify({ path: req.url });
    bursts.send(res, 200, { 'content-type': 'application/json', ...headersFor(req.url ?? '') }, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A scheduler the test fires by hand, so what is held and what has left can be observed. */
function manualScheduler() {
  const flushes: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => void flushes.push(flush),
    fire: () => {
      for (const flush of flushes.splice(0)) flush();
    },
    get scheduled() {
      return flushes.length;
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}

describe('ResponseBursts', () => {
  it('holds the answers of a turn until the flush, then sends each to its own request, in order', async () => {
    const scheduler = manualScheduler();
    const bursts = new ResponseBursts(() => undefined, scheduler.schedule);
    const server = await serverAnswering(bursts);
    try {
      const arrived: string[] = [];
      const answers = ['/a', '/b', '/c'].map((p) =>
        fetch(server.url + p).then(async (res) => {
          arrived.push(p);
          return { status: res.status, body: await res.json(), length: res.headers.get('content-length') };
        }),
      );
      await until(() => bursts.size === 3);
      await new Promise((r) => setTimeout(r, 20));
      expect(arrived).toEqual([]);
      // One flush is scheduled for the whole burst, not one per answer.
      expect(scheduler.scheduled).toBe(1);
      scheduler.fire();
      expect(bursts.size).toBe(0);
      const got = await Promise.all(answers);
      expect(got.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(got.map((a) => a.body)).toEqual([{ path: '/a' }, { path: '/b' }, { path: '/c' }]);
    } finally {
      await server.close();
    }
  });

  it('turns an answer Node refuses to send into a 502 and still sends the others of the burst', async () => {
    const scheduler = manualScheduler();
    const errors: unknown[] = [];
    const bursts = new ResponseBursts((err) => errors.push(err), scheduler.schedule);
    const server = await serverAnswering(
      bursts,
      (p): Record<string, string> => (p === '/bad' ? { 'x-broken': 'line\nbreak' } : {}),
    );
    try {
      const answers = ['/bad', '/good'].map((p) => fetch(server.url + p));
      await until(() => bursts.size === 2);
      scheduler.fire();
      const [bad, good] = await Promise.all(answers);
      expect(bad!.status).toBe(502);
      expect(await bad!.json()).toEqual({ message: 'Internal server error' });
      expect(good!.status).toBe(200);
      expect(await good!.json()).toEqual({ path: '/good' });
      expect(errors).toHaveLength(1);
      expect((errors[0] as NodeJS.ErrnoException).code).toBe('ERR_INVALID_CHAR');
    } finally {
      await server.close();
    }
  });

  it('flushes after the I/O callbacks of the turn by default (setImmediate), not synchronously', async () => {
    const bursts = new ResponseBursts(() => undefined);
    const server = await serverAnswering(bursts);
    try {
      const res = await fetch(`${server.url}/x`);
      expect(await res.json()).toEqual({ path: '/x' });
      expect(bursts.size).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('the local gateway answering in bursts', () => {
  let gateway: LocalGateway;
  beforeAll(async () => {
    gateway = await LocalGateway.listen({
      port: 0,
      document: loadOpenApiContract().document,
      checkToken: async () => ({}),
      handler: async (event) => ({
        statusCode: 200,
        headers: {
          'content-type': 'application/json',
          ...(event.queryStringParameters?.['fail'] ? { 'x-broken': 'a\r\nb' } : {}),
        },
        body: JSON.stringify({ n: event.queryStringParameters?.['n'] ?? null }),
      }),
    });
  });
  afterAll(() => gateway.close());

  it('answers many concurrent requests, each with its own answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        fetch(`${gateway.url}/v1/health?n=${n}`).then(async (res) => ({ status: res.status, body: await res.json() })),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 100 }, (_, n) => ({ status: 200, body: { n: String(n) } })));
  });

  it('answers 502 when the handler returns a header Node cannot send, and keeps serving', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const [bad, good] = await Promise.all([
        fetch(`${gateway.url}/v1/health?fail=1`),
        fetch(`${gateway.url}/v1/health?n=7`),
      ]);
      expect(bad!.status).toBe(502);
      expect(good!.status).toBe(200);
      expect(await good!.json()).toEqual({ n: '7' });
      expect(spy).toHaveBeenCalledWith(expect.stringContaining('sent 502 instead'), expect.anything());
    } finally {
      spy.mockRestore();
    }
  });
});
