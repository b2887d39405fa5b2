import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER_URL, LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';
import { TokenRequestError } from '../../../../infra/local/identity/TokenRequestError';

let dataDir: string;
let issuer: LocalIssuer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-issuer-'));
  issuer = await LocalIssuer.open(dataDir);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('LocalIssuer', () => {
  it('keeps its private key in <dataDir>/identity readable by the owner only', async () => {
    const key = await stat(path.join(dataDir, 'identity', 'private-key.pem'));
    expect(key.mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dataDir, 'identity', 'private-key.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('publishes a public JWKS whose key carries a kid and no private part', async () => {
    const jwks = JSON.parse(await readFile(issuer.jwksFile, 'utf8'));
    expect(issuer.jwksFile).toBe(path.join(dataDir, 'identity', 'jwks.json'));
    expect(jwks).toEqual(issuer.jwks);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.stringMatching(/^[\w-]{43}$/),
    });
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(part);
  });

  it('reuses the key pair when opened again', async () => {
    const again = await LocalIssuer.open(dataDir);
    expect(again.jwks).toEqual(issuer.jwks);
  });

  it('agrees on one key when several processes open a fresh data dir at once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-issuer-race-'));
    try {
      const issuers = await Promise.all([1, 2, 3, 4].map(() => LocalIssuer.open(dir)));
      const kids = new Set(issuers.map((i) => i.jwks.keys[0]!.kid));
      expect(kids.size).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a private key others can read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-issuer-mode-'));
    try {
      await LocalIssuer.open(dir);
      await chmod(path.join(dir, 'identity', 'private-key.pem'), 0o644);
      await expect(LocalIssuer.open(dir)).rejects.toThrow(/readable by other users: run chmod 600/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a private key file that is not a PEM RSA key, saying how to recover', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-issuer-bad-'));
    try {
      await LocalIssuer.open(dir);
      await writeFile(path.join(dir, 'identity', 'private-key.pem'), 'garbage', { mode: 0o600 });
      await expect(LocalIssuer.open(dir)).rejects.toThrow(
        /is not a PEM private key: delete .*identity to make a new key pair/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('mints a Cognito-shaped ID token for a school administrator', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const token = await issuer.mint(
      {
        role: 'school_admin',
        schoolIds: ['S0002', 'S0001', 'S0002'],
        districtIds: ['D01'],
        ttlSeconds: 600,
        subject: 'u1',
      },
      now,
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.jwks.keys[0]!.kid, typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({
      sub: 'u1',
      'cognito:username': 'local-school_admin-u1',
      'cognito:groups': ['school_admin'],
      'custom:school_ids': 'S0002,S0001',
      'custom:district_ids': 'D01',
      iss: LOCAL_ISSUER_URL,
      aud: LOCAL_CLIENT_ID,
      token_use: 'id',
      auth_time: 1893456000,
      iat: 1893456000,
      exp: 1893456600,
    });
  });

  it('mints a partner token with its partner id and a random subject', async () => {
    const claims = decodeJwt(await issuer.mint({ role: 'partner', partnerId: 'P1' }));
    expect(claims).toMatchObject({ 'cognito:groups': ['partner'], 'custom:partner_id': 'P1' });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it.each([
    [{ role: 'admin' }, /Unknown role 'admin'/],
    [{ role: 'school_admin' }, /needs schools or districts/],
    [{ role: 'school_admin', schoolIds: [' '] }, /needs schools or districts/],
    [{ role: 'partner' }, /needs a partner id/],
    [{ role: 'analyst', schoolIds: ['S1'] }, /apply to role school_admin only/],
    [{ role: 'steward', partnerId: 'P1' }, /applies to role partner only/],
    [{ role: 'school_admin', schoolIds: ["S1' OR '1'='1"] }, /is not a valid school id/],
    [{ role: 'partner', partnerId: 'P,1' }, /is not a valid partner id/],
    [{ role: 'analyst', ttlSeconds: 0 }, /from 1 to 86400/],
    [{ role: 'analyst', ttlSeconds: 86_401 }, /from 1 to 86400/],
    [{ role: 'analyst', ttlSeconds: 1.5 }, /whole number/],
    [{ role: 'analyst', subject: 'a b' }, /subject/],
  ])('refuses the request %j with a clear error', async (request, message) => {
    const err = await issuer.mint(request as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRequestError);
    expect(err).toMatchObject({ code: 'INVALID_TOKEN_REQUEST', message: expect.stringMatching(message) });
  });
});
