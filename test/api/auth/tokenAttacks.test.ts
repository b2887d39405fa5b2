import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { ContractValidator } from '../support/contractValidator';
import { request, type TestResponse } from '../support/httpClient';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';
import { type AttackToken, attackTokens } from './support/attackTokens';

let t: ApiTestStack;
let issuer: LocalIssuer;
let attacks: AttackToken[];
const contract = new ContractValidator();

beforeAll(async () => {
  t = await startApiTestStack({ bootstrap: false });
  issuer = await LocalIssuer.open(t.stack.dataDir);
  attacks = await attackTokens(issuer, t.stack.dataDir);
});
afterAll(async () => {
  await t?.stop();
});

const get = (path: string, authorization?: string) =>
  request(`${t.url}${path}`, { headers: authorization === undefined ? {} : { authorization } });

function expectProblem(res: TestResponse, status: 401 | 403, token?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({ status, code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' });
  if (status === 401) expect(res.headers.get('www-authenticate')).toContain('Bearer');
  if (token) expect(res.text).not.toContain(token);
  contract.check('listReports', status, 'application/problem+json', res.json);
}

describe('token attacks through the local gateway', () => {
  it('answers 401 with a problem body when no token is sent', async () => {
    expectProblem(await get('/v1/reports'), 401);
  });

  it('answers 401 when the Authorization header is not a bearer token', async () => {
    expectProblem(await get('/v1/reports', 'Basic YWxpY2U6c2VjcmV0'), 401);
    expectProblem(await get('/v1/reports', 'Bearer'), 401);
  });

  it.each([
    'a malformed token (not three parts)',
    'a malformed token (undecodable parts)',
    "a token with alg 'none' and no signature",
    "a token with alg 'none' naming the issuer's kid",
    'an HS256 token signed with the public key as secret',
    'a token signed by another key with an unknown kid',
    "a token signed by another key claiming the issuer's kid",
    'a token without a kid',
    'an expired token',
    'a token not valid yet (nbf in the future)',
    'a token without exp',
    'a token of another issuer',
    'a token for another client (aud)',
    'an access token (Cognito shape: client_id, no aud)',
    'an access token carrying the right aud',
    'a token whose payload was tampered with',
  ])('answers 401 with a problem body for %s', async (name) => {
    const attack = attacks.find((a) => a.name === name);
    if (!attack) throw new Error(`no attack token named ${name}`);
    expectProblem(await get('/v1/reports', `Bearer ${attack.token}`), 401, attack.token);
  });

  it('covers every attack token the support module builds', () => {
    expect(attacks.length).toBe(16);
  });

  it('refuses a forged token in the handler too when the gateway is bypassed', async () => {
    const forged = attacks.find((a) => a.name === 'a token whose payload was tampered with')!.token;
    const result = await t.api.api.handler({
      resource: '/v1/reports',
      path: '/v1/reports',
      httpMethod: 'GET',
      headers: { Authorization: `Bearer ${forged}` },
      multiValueHeaders: { Authorization: [`Bearer ${forged}`] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      // biome-ignore lint/suspicious/noExplicitAny: the handler reads only requestId and path of the context
      requestContext: { requestId: 'bypass', path: '/v1/reports' } as any,
    });
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['Content-Type'] ?? result.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(result.body);
    expect(body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(body.detail).toMatch(/signature cannot be verified/);
    expect(result.body).not.toContain(forged);
  });

  it('answers 403 from the handler for a genuine token whose account is set up incompletely', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: issuer.issuer, aud: issuer.clientId, token_use: 'id', iat: now, exp: now + 600 };
    const partnerWithoutId = await issuer.sign({ ...base, sub: 'p', 'cognito:groups': ['partner'] });
    const res = await get('/v1/reports', `Bearer ${partnerWithoutId}`);
    expectProblem(res, 403);
    expect(res.json.detail).toMatch(/custom:partner_id/);
    const noGroup = await issuer.sign({ ...base, sub: 'n', 'cognito:groups': ['admins'] });
    expectProblem(await get('/v1/reports', `Bearer ${noGroup}`), 403);
  });
});

describe('valid tokens through the local gateway', () => {
  it.each([
    ['school_admin', { role: 'school_admin', schoolIds: ['S0001'] }, '/v1/reports'],
    ['partner', { role: 'partner', partnerId: 'P1' }, '/v1/reports'],
    ['analyst', { role: 'analyst' }, '/v1/reports'],
    ['steward', { role: 'steward' }, '/v1/datasets'],
  ] as const)('lets a token of role %s reach the operation’s handler', async (_role, mint, path) => {
    const res = await get(path, `Bearer ${await issuer.mint(mint)}`);
    expect(res.status).not.toBe(401);
    expect(res.status).not.toBe(403);
    expect(res.json?.code).not.toBe('UNAUTHORIZED');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 403 when a valid token’s role is not among the operation’s roles', async () => {
    const res = await get('/v1/reports', `Bearer ${await issuer.mint({ role: 'steward' })}`);
    expectProblem(res, 403);
    expect(res.json.detail).toMatch(/steward/);
  });
});
