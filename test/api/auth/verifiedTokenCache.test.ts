import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenVerifier } from '../../../api/auth/TokenVerifier';
import { UnauthenticatedError } from '../../../api/errors';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';

let dataDir: string;
let issuer: LocalIssuer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-token-cache-'));
  issuer = await LocalIssuer.open(dataDir);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => jest.restoreAllMocks());

async function refused(v: TokenVerifier, token: string): Promise<UnauthenticatedError> {
  const err = await v.verify(token).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UnauthenticatedError);
  return err as UnauthenticatedError;
}

/** An analyst's id token with explicit time claims (seconds). */
function analystToken(times: { iat: number; exp: number; nbf?: number }): Promise<string> {
  return issuer.sign({
    sub: 'analyst-1',
    iss: issuer.issuer,
    aud: issuer.clientId,
    token_use: 'id',
    'cognito:groups': ['analyst'],
    auth_time: times.iat,
    ...times,
  });
}

describe('TokenVerifier verified-token cache', () => {
  it('answers a repeated token from memory: the same claims object, one entry', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig());
    const token = await issuer.mint({ role: 'analyst' });
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
    expect(v.cachedTokens).toBe(1);
  });

  it('hands out one Caller object per cached token', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig());
    const token = await issuer.mint({ role: 'school_admin', schoolIds: ['SCH-0001'] });
    const caller = await v.authenticate(token);
    expect(caller).toMatchObject({ role: 'school_admin', schoolIds: ['SCH-0001'] });
    expect(await v.authenticate(token)).toBe(caller);
  });

  it('refuses a cached token once its exp has passed', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig());
    const now = Math.floor(Date.now() / 1000);
    const token = await analystToken({ iat: now, exp: now + 60 });
    await v.verify(token);
    jest.spyOn(Date, 'now').mockReturnValue((now + 61) * 1000);
    expect((await refused(v, token)).message).toMatch(/^The token has expired/);
    expect(v.cachedTokens).toBe(0);
  });

  it('does not use a cached token before its nbf', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig());
    const now = Math.floor(Date.now() / 1000);
    const token = await analystToken({ iat: now - 10, nbf: now - 5, exp: now + 600 });
    await v.verify(token);
    jest.spyOn(Date, 'now').mockReturnValue((now - 100) * 1000);
    expect((await refused(v, token)).message).toMatch(/not valid yet/);
  });

  it('re-verifies a token after maxAgeSeconds, even when it has not expired', async () => {
    let nowMs = Date.now();
    const v = TokenVerifier.fromConfig(issuer.authConfig(), { maxAgeSeconds: 1, nowMs: () => nowMs });
    const token = await issuer.mint({ role: 'analyst' });
    const first = await v.verify(token);
    nowMs += 1500;
    const again = await v.verify(token);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('never remembers a refused token', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig());
    const now = Math.floor(Date.now() / 1000);
    await refused(v, await analystToken({ iat: now - 120, exp: now - 60 }));
    await refused(v, `${(await issuer.mint({ role: 'analyst' })).slice(0, -4)}AAAA`);
    expect(v.cachedTokens).toBe(0);
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const v = TokenVerifier.fromConfig(issuer.authConfig(), { maxEntries: 2 });
    for (const ttlSeconds of [100, 200, 300]) await v.verify(await issuer.mint({ role: 'analyst', ttlSeconds }));
    expect(v.cachedTokens).toBe(2);
  });

  it('forgets a cached token once its signing key has been rotated out of the JWKS', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-rotate-cache-'));
    try {
      const first = await LocalIssuer.open(dir);
      const v = TokenVerifier.fromConfig(first.authConfig());
      const old = await first.mint({ role: 'analyst' });
      await v.verify(old);
      await rm(path.join(dir, 'identity'), { recursive: true });
      const second = await LocalIssuer.open(dir);
      await v.verify(await second.mint({ role: 'analyst' })); // fetches the new JWKS, without the old key
      await refused(v, old);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
