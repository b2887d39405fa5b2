import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK, SignJWT } from 'jose';
import { ROLE_PRECEDENCE, type TokenRole } from '../../../api/auth/idTokenClaims';
import type { AuthConfig } from '../../../api/config';
import { ID_RULE_TEXT, isIdentifier } from '../../../etl/schemas/identifier';
import { TokenRequestError } from './TokenRequestError';

/** `iss` of every local token; the local stack passes it to the API as `EXAMLAKE_LOCAL_ISSUER` (`authConfig()`). */
export const LOCAL_ISSUER_URL = 'http://localhost/examlake-local';
/** `aud` of every local token: the local stand-in for the Cognito app client id. */
export const LOCAL_CLIENT_ID = 'examlake-local';
/** Cognito's longest ID-token lifetime (1 day); local tokens may not outlive it. */
export const MAX_TTL_SECONDS = 86_400;

/** What a local token is for: the role and the attributes Cognito would carry for that user. */
export interface MintRequest {
  readonly role: TokenRole;
  /** Schools of a school administrator. */
  readonly schoolIds?: readonly string[];
  /** Districts of a school administrator. */
  readonly districtIds?: readonly string[];
  /** A partner's id (the key of its grant). */
  readonly partnerId?: string;
  /** Lifetime. @default 3600 */
  readonly ttlSeconds?: number;
  /** `sub`. @default a random UUID, as Cognito's subs are */
  readonly subject?: string;
  /** `nonce` of the OpenID Connect authentication request the token answers (sign-in through the local provider). */
  readonly nonce?: string;
}

/** A Cognito-shaped access token: what the token endpoint returns beside the ID token, refused by the API. */
export interface AccessTokenRequest {
  readonly subject: string;
  readonly username: string;
  readonly clientId: string;
  /** Space-separated scopes granted. */
  readonly scope: string;
  /** @default 3600 */
  readonly ttlSeconds?: number;
}

/**
 * The local stand-in for a Cognito user pool: an RS256 key pair made once per data dir, its public JWKS
 * published as a file (`<dataDir>/identity/jwks.json`, keys named by `kid`, the RFC 7638 thumbprint) and
 * Cognito-shaped ID tokens minted with it.
 *
 * The private key (`private-key.pem`, mode 0600) is created atomically: concurrent openers of a fresh data dir
 * agree on one key (the first hard link wins). The JWKS is always derived from the private key.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly kid: string,
    /** The public JWKS, as published in {@link jwksFile}. */
    readonly jwks: { readonly keys: readonly JWK[] },
    /** Where the JWKS is published. */
    readonly jwksFile: string,
    readonly issuer: string,
    readonly clientId: string,
  ) {}

  /** Opens the data dir's issuer, creating its key pair and JWKS the first time. */
  static async open(dataDir: string): Promise<LocalIssuer> {
    const dir = path.join(dataDir, 'identity');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keyFile = path.join(dir, 'private-key.pem');
    const pem = await readOrCreatePrivateKey(keyFile);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch (err) {
      throw new Error(`${keyFile} is not a PEM private key: delete ${dir} to make a new key pair.`, { cause: err });
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new Error(`${keyFile} is not an RSA key: delete ${dir} to make a new key pair.`);
    }
    const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const jwks = { keys: [Object.freeze({ ...publicJwk, kid, alg: 'RS256', use: 'sig' })] };
    const jwksFile = path.join(dir, 'jwks.json');
    const text = `${JSON.stringify(jwks, null, 2)}\n`;
    const current = await readFile(jwksFile, 'utf8').catch(() => undefined);
    if (current !== text) await writeAtomically(jwksFile, text, 0o644);
    return new LocalIssuer(privateKey, kid, Object.freeze(jwks), jwksFile, LOCAL_ISSUER_URL, LOCAL_CLIENT_ID);
  }

  /** The API's auth settings for verifying this issuer's tokens. */
  authConfig(): AuthConfig {
    return { mode: 'local', issuer: this.issuer, clientId: this.clientId, jwksFile: this.jwksFile };
  }

  /** Mints an ID token for a role, validated like a Cognito user would have to be set up. */
  async mint(request: MintRequest, now: Date = new Date()): Promise<string> {
    const claims = mintClaims(request);
    const iat = Math.floor(now.getTime() / 1000);
    return this.sign({
      ...claims,
      iss: this.issuer,
      aud: this.clientId,
      token_use: 'id',
      auth_time: iat,
      iat,
      exp: iat + (request.ttlSeconds ?? 3600),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    });
  }

  /**
   * Mints an access token shaped like Cognito's (`token_use: access`, `client_id`, `scope`, no `aud`). The API
   * refuses it, as on AWS: OAuth clients must send the ID token (Swagger UI's `x-tokenName: id_token`).
   */
  async mintAccessToken(request: AccessTokenRequest, now: Date = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return this.sign({
      sub: request.subject,
      iss: this.issuer,
      client_id: request.clientId,
      token_use: 'access',
      scope: request.scope,
      username: request.username,
      auth_time: iat,
      iat,
      exp: iat + (request.ttlSeconds ?? 3600),
      jti: randomUUID(),
    });
  }

  /**
   * Signs any claims with the issuer's key and `kid`, unchecked. For tests that need tokens no user could get
   * (expired, not yet valid, wrong audience): a genuine signature over wrong claims.
   */
  async sign(claims: Readonly<Record<string, unknown>>): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .sign(this.privateKey);
  }
}

/** Throws the {@link TokenRequestError} {@link LocalIssuer.mint} would throw for this request, if any. */
export function checkMintRequest(request: MintRequest): void {
  mintClaims(request);
}

function mintClaims(request: MintRequest): Record<string, unknown> {
  const { role } = request;
  if (!(ROLE_PRECEDENCE as readonly string[]).includes(role)) {
    throw new TokenRequestError(`Unknown role '${String(role)}': use one of ${ROLE_PRECEDENCE.join(', ')}.`);
  }
  const ttl = request.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new TokenRequestError(`The lifetime must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}.`);
  }
  const schoolIds = ids('school', request.schoolIds);
  const districtIds = ids('district', request.districtIds);
  const partnerId = request.partnerId === undefined ? undefined : ids('partner', [request.partnerId])[0];
  if (role === 'school_admin' && schoolIds.length === 0 && districtIds.length === 0) {
    throw new TokenRequestError('A school_admin token needs schools or districts (e.g. --schools SCH-0001,SCH-0002).');
  }
  if (role !== 'school_admin' && (schoolIds.length > 0 || districtIds.length > 0)) {
    throw new TokenRequestError(`Schools and districts apply to role school_admin only, not ${role}.`);
  }
  if (role === 'partner' && partnerId === undefined) {
    throw new TokenRequestError('A partner token needs a partner id (e.g. --partner P1).');
  }
  if (role !== 'partner' && partnerId !== undefined) {
    throw new TokenRequestError(`A partner id applies to role partner only, not ${role}.`);
  }
  const subject = request.subject ?? randomUUID();
  if (!/^[\w.@:-]{1,128}$/.test(subject))
    throw new TokenRequestError('The subject must be 1–128 characters of [\\w.@:-].');
  return {
    sub: subject,
    'cognito:username': `local-${role}-${subject.slice(0, 8)}`,
    'cognito:groups': [role],
    ...(schoolIds.length ? { 'custom:school_ids': schoolIds.join(',') } : {}),
    ...(districtIds.length ? { 'custom:district_ids': districtIds.join(',') } : {}),
    ...(partnerId ? { 'custom:partner_id': partnerId } : {}),
  };
}

function ids(kind: string, values: readonly string[] | undefined): string[] {
  const out = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
  const bad = out.find((v) => !isIdentifier(v));
  if (bad !== undefined) {
    throw new TokenRequestError(`'${bad}' is not a valid ${kind} id: ${ID_RULE_TEXT} characters.`);
  }
  return out;
}

/** The PEM of the private key; made and published with an exclusive hard link when absent. */
async function readOrCreatePrivateKey(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      throw new Error(`${file} is readable by other users: run chmod 600 on it (or delete it to make a new key).`);
    }
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp);
  }
  return readFile(file, 'utf8');
}

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, file);
}
