import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';

/** A forged or wrong token and what it attacks. */
export interface AttackToken {
  readonly name: string;
  readonly token: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The token attacks of issue 5, each built for real against the data dir's issuer: genuine signatures over
 * wrong claims, forged signatures over right claims, and headers that try to switch the algorithm or key.
 */
export async function attackTokens(issuer: LocalIssuer, dataDir: string): Promise<AttackToken[]> {
  const now = Math.floor(Date.now() / 1000);
  const good = {
    sub: 'attacker',
    'cognito:groups': ['analyst'],
    iss: issuer.issuer,
    aud: issuer.clientId,
    token_use: 'id',
    iat: now,
    exp: now + 3600,
  };
  const valid = await issuer.sign(good);
  const [header, payload] = valid.split('.') as [string, string, string];
  const kid = issuer.jwks.keys[0]!.kid!;
  const publicPem = createPublicKey(await readFile(path.join(dataDir, 'identity', 'private-key.pem'), 'utf8'))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const hs256Header = b64({ alg: 'HS256', kid, typ: 'JWT' });
  const hs256Signature = createHmac('sha256', publicPem).update(`${hs256Header}.${payload}`).digest('base64url');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const signWithOther = (kidOfHeader: string) =>
    new SignJWT(good).setProtectedHeader({ alg: 'RS256', kid: kidOfHeader, typ: 'JWT' }).sign(other);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const tampered = b64({ ...claims, 'cognito:groups': ['steward'], sub: 'someone-else' });
  return [
    { name: 'a malformed token (not three parts)', token: 'not-a-jwt' },
    { name: 'a malformed token (undecodable parts)', token: 'abc.def.ghi' },
    { name: "a token with alg 'none' and no signature", token: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` },
    { name: "a token with alg 'none' naming the issuer's kid", token: `${b64({ alg: 'none', kid })}.${payload}.` },
    {
      name: 'an HS256 token signed with the public key as secret',
      token: `${hs256Header}.${payload}.${hs256Signature}`,
    },
    { name: 'a token signed by another key with an unknown kid', token: await signWithOther('unknown-kid') },
    { name: "a token signed by another key claiming the issuer's kid", token: await signWithOther(kid) },
    { name: 'a token without a kid', token: await new SignJWT(good).setProtectedHeader({ alg: 'RS256' }).sign(other) },
    { name: 'an expired token', token: await issuer.sign({ ...good, iat: now - 7200, exp: now - 3600 }) },
    { name: 'a token not valid yet (nbf in the future)', token: await issuer.sign({ ...good, nbf: now + 3600 }) },
    { name: 'a token without exp', token: await issuer.sign({ ...good, exp: undefined }) },
    { name: 'a token of another issuer', token: await issuer.sign({ ...good, iss: 'https://evil.example/pool' }) },
    { name: 'a token for another client (aud)', token: await issuer.sign({ ...good, aud: 'another-client' }) },
    {
      name: 'an access token (Cognito shape: client_id, no aud)',
      token: await issuer.sign({ ...good, aud: undefined, client_id: issuer.clientId, token_use: 'access' }),
    },
    { name: 'an access token carrying the right aud', token: await issuer.sign({ ...good, token_use: 'access' }) },
    { name: 'a token whose payload was tampered with', token: `${header}.${tampered}.${valid.split('.')[2]}` },
  ];
}
