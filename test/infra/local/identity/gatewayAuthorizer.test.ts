import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { loadOpenApiContract } from '../../../../api/http/openapiDocument';
import { LocalGateway } from '../../../../infra/local/gateway/LocalGateway';
import { LocalAuthorizer } from '../../../../infra/local/identity/LocalAuthorizer';
import { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';

let dataDir: string;
let issuer: LocalIssuer;
let gateway: LocalGateway;
const events: APIGatewayProxyEvent[] = [];

// The gateway in front of a recording handler: what is tested is what reaches the Lambda, not what it answers.
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-gateway-auth-'));
  issuer = await LocalIssuer.open(dataDir);
  gateway = await LocalGateway.listen({
    port: 0,
    document: loadOpenApiContract().document,
    checkToken: LocalAuthorizer.forIssuer(issuer).checkToken,
    handler: async (event) => {
      events.push(event);
      return { statusCode: 200, body: '{}', headers: { 'content-type': 'application/json' } };
    },
  });
});
afterAll(async () => {
  await gateway?.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  events.length = 0;
});

describe('the local gateway with the local authorizer', () => {
  it('answers 401 before invoking the handler when a token is missing or invalid', async () => {
    const expired = await issuer.sign({
      sub: 'u',
      iss: issuer.issuer,
      aud: issuer.clientId,
      token_use: 'id',
      iat: 1,
      exp: 2,
      'cognito:groups': ['analyst'],
    });
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${expired}`]) {
      const res = await fetch(`${gateway.url}/v1/reports`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(events).toHaveLength(0);
  });

  it('invokes the handler with the token’s claims as the Cognito authorizer passes them (strings)', async () => {
    const token = await issuer.mint({ role: 'school_admin', schoolIds: ['SCH-0001'], subject: 'head-1' });
    const res = await fetch(`${gateway.url}/v1/reports`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(events).toHaveLength(1);
    const claims = events[0]!.requestContext.authorizer?.claims;
    expect(claims).toMatchObject({
      sub: 'head-1',
      token_use: 'id',
      'cognito:groups': 'school_admin',
      'custom:school_ids': 'SCH-0001',
    });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it('does not check tokens on public operations', async () => {
    const res = await fetch(`${gateway.url}/v1/health`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]!.requestContext.authorizer).toBeNull();
  });
});
