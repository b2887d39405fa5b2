import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UnauthenticatedError } from '../../../../api/errors';
import { LocalAuthorizer } from '../../../../infra/local/identity/LocalAuthorizer';
import { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';

let dataDir: string;
let issuer: LocalIssuer;
let authorizer: LocalAuthorizer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-authorizer-'));
  authorizer = await LocalAuthorizer.forDataDir(dataDir);
  issuer = await LocalIssuer.open(dataDir);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('LocalAuthorizer', () => {
  it('passes the claims of a valid bearer token on, whatever the header name’s case', async () => {
    const token = await issuer.mint({ role: 'partner', partnerId: 'P9' });
    await expect(authorizer.authorize({ Authorization: `Bearer ${token}` })).resolves.toMatchObject({
      'cognito:groups': ['partner'],
      'custom:partner_id': 'P9',
    });
    await expect(authorizer.authorize({ authorization: `bearer ${token}` })).resolves.toMatchObject({
      token_use: 'id',
    });
  });

  it('checks the token only, leaving roles to the handler', async () => {
    const now = Math.floor(Date.now() / 1000);
    const noGroup = await issuer.sign({
      sub: 's',
      iss: issuer.issuer,
      aud: issuer.clientId,
      token_use: 'id',
      iat: now,
      exp: now + 60,
    });
    await expect(authorizer.checkToken(noGroup)).resolves.toMatchObject({ sub: 's' });
  });

  it.each([
    [{}, /needs a bearer token/],
    [{ Authorization: 'Basic abc' }, /must be `Bearer <id token>`/],
    [{ authorization: ['Bearer a', 'Bearer b'] }, /exactly one Authorization header/],
    [{ authorization: 'Bearer not.a.token' }, /well-formed JWT|signature/],
  ])('refuses %j with UnauthenticatedError', async (headers, message) => {
    const err = await authorizer.authorize(headers).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthenticatedError);
    expect((err as Error).message).toMatch(message);
  });
});
