import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenVerifier } from '../../../api/auth/TokenVerifier';
import { UnauthenticatedError } from '../../../api/errors';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { attackTokens } from './support/attackTokens';

let dataDir: string;
let issuer: LocalIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-verifier-'));
  issuer = await LocalIssuer.open(dataDir);
  verifier = TokenVerifier.fromConfig(issuer.authConfig());
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function refusal(token: string, v: TokenVerifier = verifier): Promise<UnauthenticatedError> {
  const err = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthenticatedError);
  return err as UnauthenticatedError;
}

describe('TokenVerifier (local issuer)', () => {
  it('returns the claims of a token the local issuer minted', async () => {
    const token = await issuer.mint({ role: 'school_admin', schoolIds: ['S0001', 'S0002'], districtIds: ['D01'] });
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({
      iss: 'http://localhost/examlake-local',
      aud: 'examlake-local',
      token_use: 'id',
      'cognito:groups': ['school_admin'],
      'custom:school_ids': 'S0001,S0002',
      'custom:district_ids': 'D01',
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('authenticates a partner token as a partner caller', async () => {
    const caller = await verifier.authenticate(await issuer.mint({ role: 'partner', partnerId: 'P1' }));
    expect(caller).toMatchObject({ role: 'partner', partnerId: 'P1' });
  });

  it('refuses every attack token with 401 and a message that does not echo the token', async () => {
    for (const { name, token } of await attackTokens(issuer, dataDir)) {
      const err = await refusal(token);
      expect({ name, status: err.status, code: err.code }).toEqual({ name, status: 401, code: 'UNAUTHORIZED' });
      expect(err.message).not.toContain(token);
      expect(err.message).not.toMatch(/evil|another-client|attacker/);
    }
  });

  it('says why in fixed words: expired, not yet valid, issuer, client, token use', async () => {
    const byName = new Map((await attackTokens(issuer, dataDir)).map((a) => [a.name, a.token]));
    const message = async (name: string) => (await refusal(byName.get(name)!)).message;
    expect(await message('an expired token')).toMatch(/^The token has expired/);
    expect(await message('a token not valid yet (nbf in the future)')).toMatch(/not valid yet/);
    expect(await message('a token of another issuer')).toMatch(/not issued by this API/);
    expect(await message('a token for another client (aud)')).toMatch(/another app client/);
    expect(await message('an access token carrying the right aud')).toMatch(/needs an id token/);
    expect(await message('a token without exp')).toMatch(/no valid exp claim/);
    expect(await message("a token with alg 'none' and no signature")).toMatch(/not a well-formed JWT/);
    expect(await message('an HS256 token signed with the public key as secret')).toMatch(
      /signature cannot be verified/,
    );
    expect(await message('a token signed by another key with an unknown kid')).toMatch(/signature cannot be verified/);
    expect(await message('a malformed token (not three parts)')).toMatch(/not a well-formed JWT/);
  });

  it('refuses a token longer than 8 KB before parsing it', async () => {
    expect((await refusal(`${'a'.repeat(8193)}`)).message).toMatch(/longer than 8192/);
  });

  it('picks up a new key of the issuer without a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-rotate-'));
    try {
      const first = await LocalIssuer.open(dir);
      const v = TokenVerifier.fromConfig(first.authConfig());
      await v.verify(await first.mint({ role: 'analyst' }));
      await rm(path.join(dir, 'identity'), { recursive: true });
      const second = await LocalIssuer.open(dir);
      expect(second.jwks.keys[0]!.kid).not.toBe(first.jwks.keys[0]!.kid);
      await expect(v.verify(await second.mint({ role: 'analyst' }))).resolves.toMatchObject({ token_use: 'id' });
      await refusal(await first.mint({ role: 'analyst' }), v);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with a server error, not a 401, when the JWKS file is missing', async () => {
    const v = TokenVerifier.local({
      issuer: issuer.issuer,
      clientId: issuer.clientId,
      jwksFile: '/nonexistent/jwks.json',
    });
    const err = await v.verify(await issuer.mint({ role: 'analyst' })).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(UnauthenticatedError);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('TokenVerifier (Cognito user pool)', () => {
  const userPoolId = 'eu-west-1_Exam1Lake';
  const poolIssuer = `https://cognito-idp.eu-west-1.amazonaws.com/${userPoolId}`;
  const clientId = '5abc1234example';
  let cognito: TokenVerifier;
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: 'cognito-user',
      iss: poolIssuer,
      aud: clientId,
      token_use: 'id',
      iat: now,
      exp: now + 600,
      'cognito:groups': ['partner'],
      'custom:partner_id': 'P7',
    };
  };

  beforeAll(() => {
    // The pool's JWKS is handed over instead of fetched: the library's Cognito checks run unchanged, offline.
    cognito = TokenVerifier.cognito({ userPoolId, clientId, jwks: { keys: [...issuer.jwks.keys] } as never });
  });

  it('accepts an ID token of the pool and client', async () => {
    expect(await cognito.authenticate(await issuer.sign(claims()))).toMatchObject({ role: 'partner', partnerId: 'P7' });
  });

  it('refuses an access token of the same pool', async () => {
    const access = { ...claims(), token_use: 'access', aud: undefined, client_id: clientId };
    expect((await refusal(await issuer.sign(access), cognito)).message).toMatch(/needs an id token/);
  });

  it('refuses a token of another pool or another client', async () => {
    const otherPool = { ...claims(), iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' };
    expect((await refusal(await issuer.sign(otherPool), cognito)).message).toMatch(/not issued by this API/);
    expect((await refusal(await issuer.sign({ ...claims(), aud: 'other' }), cognito)).message).toMatch(/another app/);
  });

  it('accepts tokens of any of several comma-separated app clients, and no other', async () => {
    const two = TokenVerifier.cognito({
      userPoolId,
      clientId: `${clientId}, portal-client`,
      jwks: { keys: [...issuer.jwks.keys] } as never,
    });
    await expect(two.verify(await issuer.sign(claims()))).resolves.toMatchObject({ aud: clientId });
    await expect(two.verify(await issuer.sign({ ...claims(), aud: 'portal-client' }))).resolves.toMatchObject({
      aud: 'portal-client',
    });
    expect((await refusal(await issuer.sign({ ...claims(), aud: 'third' }), two)).message).toMatch(/another app/);
  });

  it('refuses a local token', async () => {
    await refusal(await issuer.mint({ role: 'analyst' }), cognito);
  });
});
