import { type ApiTestStack, startApiTestStack } from './support/startApiTestStack';

let withCors: ApiTestStack;
let withoutCors: ApiTestStack;

beforeAll(async () => {
  [withCors, withoutCors] = await Promise.all([
    startApiTestStack({ bootstrap: false, settings: { corsAllowOrigins: ['https://docs.example.org'] } }),
    startApiTestStack({ bootstrap: false }),
  ]);
}, 60_000);
afterAll(async () => {
  await withCors?.stop();
  await withoutCors?.stop();
});

describe('CORS', () => {
  it('lets an allowed origin read the response and the paging and caching headers', async () => {
    const res = await fetch(`${withCors.url}/v1/health`, { headers: { origin: 'https://docs.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://docs.example.org');
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag.*Link.*Retry-After/);
  });

  it('gives another origin no access, on refusals too', async () => {
    const ok = await fetch(`${withCors.url}/v1/health`, { headers: { origin: 'https://evil.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    const refused = await fetch(`${withCors.url}/v1/reports`, { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const res = await fetch(`${withoutCors.url}/v1/health`, { headers: { origin: 'https://docs.example.org' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
