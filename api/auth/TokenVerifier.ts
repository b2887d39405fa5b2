import { pathToFileURL } from 'node:url';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../access/Caller';
import type { AuthConfig } from '../config';
import { UnauthenticatedError } from '../errors';
import type { Authenticator } from '../ports/Authenticator';
import { claimsToCaller } from './claimsToCaller';
import { FileJwksFetcher } from './FileJwksFetcher';
import type { IdTokenClaims } from './idTokenClaims';
import { IdTokenClaimError, verificationFailure } from './verificationFailure';

/** Longest bearer token looked at; Cognito ID tokens are 1–2 KB. */
export const MAX_TOKEN_LENGTH = 8192;

export interface CognitoVerifierOptions {
  readonly userPoolId: string;
  /** The app client id the tokens must be for; several comma-separated (e.g. Swagger UI and a partner portal). */
  readonly clientId: string;
  /** The pool's JWKS, when already known (tests, or a pre-warmed cold start). @default fetched from the pool */
  readonly jwks?: Jwks;
}

export interface LocalVerifierOptions {
  /** @default 'http://localhost/examlake-local' */
  readonly issuer: string;
  /** The `aud` the tokens must carry; several comma-separated. */
  readonly clientId: string;
  /** The local issuer's public JWKS (`<dataDir>/identity/jwks.json`). */
  readonly jwksFile: string;
}

type Verify = (token: string) => Promise<JwtPayload>;
/** Whether the issuer's key `kid` is still in the verifier's JWKS cache (a rotated-out key is not). */
type KeyHeld = (kid: string) => boolean;

/** The bounded cache of verified tokens (see {@link TokenVerifier}). */
export interface VerifiedTokenCacheOptions {
  /** Verified tokens kept at most; the oldest is dropped first. 0 turns the cache off. @default 10000 */
  readonly maxEntries?: number;
  /** How long a verified token is reused at most, whatever its `exp`. @default 300 */
  readonly maxAgeSeconds?: number;
  /** @default Date.now */
  readonly nowMs?: () => number;
}

interface VerifiedToken {
  readonly claims: IdTokenClaims;
  /** When the entry stops being usable: the token's `exp`, or the cache's `maxAgeSeconds`, whichever is first. */
  readonly usableUntilMs: number;
  /** The token's `nbf`, if any (a cached token is never used before it). */
  readonly notBeforeMs: number;
  /** The `kid` of the key that signed it: the entry holds only while the verifier still holds that key. */
  readonly kid: string;
}

/**
 * Verifies Cognito-shaped ID tokens with aws-jwt-verify, on AWS and locally alike: signature (RS256 by a key
 * of the issuer's JWKS, chosen by `kid`), issuer, audience (the app client id), `token_use: id`, `exp` (required),
 * `nbf`. Every failure the caller can cause becomes an `UnauthenticatedError` with a fixed message.
 *
 * On AWS the API Gateway Cognito authorizer has already checked the token; the handler checks again so the
 * Lambda is never the only line, nor trusts a misconfigured integration.
 */
export class TokenVerifier implements Authenticator {
  private readonly verified: LRUCache<string, VerifiedToken>;
  /** The caller of each remembered claims object (a pure function of the claims). */
  private readonly callers = new WeakMap<IdTokenClaims, Caller>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly nowMs: () => number;

  private constructor(
    private readonly check: Verify,
    private readonly keyHeld: KeyHeld,
    cache: VerifiedTokenCacheOptions = {},
  ) {
    this.maxEntries = cache.maxEntries ?? 10_000;
    this.verified = new LRUCache({ max: Math.max(1, this.maxEntries) });
    this.maxAgeMs = (cache.maxAgeSeconds ?? 300) * 1000;
    this.nowMs = cache.nowMs ?? (() => Date.now());
  }

  /** A Cognito user pool's ID tokens (`CognitoJwtVerifier`, JWKS from the pool's well-known URL). */
  static cognito(options: CognitoVerifierOptions, cache?: VerifiedTokenCacheOptions): TokenVerifier {
    const jwksCache = new SimpleJwksCache();
    const verifier = CognitoJwtVerifier.create(
      {
        userPoolId: options.userPoolId,
        clientId: clientIds(options.clientId),
        tokenUse: 'id',
        customJwtCheck: ({ payload }) => requireIdClaims(payload),
      },
      { jwksCache },
    );
    if (options.jwks) verifier.cacheJwks(options.jwks);
    const [region] = options.userPoolId.split('_');
    const jwksUri = `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId}/.well-known/jwks.json`;
    return new TokenVerifier((token) => verifier.verify(token), keyHeldBy(jwksCache, jwksUri), cache);
  }

  /** The local issuer's tokens (`JwtVerifier`, JWKS read from the data dir). */
  static local(options: LocalVerifierOptions, cache?: VerifiedTokenCacheOptions): TokenVerifier {
    const jwksUri = pathToFileURL(options.jwksFile).href;
    const jwksCache = new SimpleJwksCache({
      fetcher: new FileJwksFetcher(),
      penaltyBox: new SimplePenaltyBox({ waitSeconds: 1 }),
    });
    const verifier = JwtVerifier.create(
      {
        issuer: options.issuer,
        audience: clientIds(options.clientId),
        jwksUri,
        customJwtCheck: ({ payload }) => requireIdClaims(payload),
      },
      { jwksCache },
    );
    return new TokenVerifier((token) => verifier.verify(token), keyHeldBy(jwksCache, jwksUri), cache);
  }

  static fromConfig(auth: AuthConfig, cache?: VerifiedTokenCacheOptions): TokenVerifier {
    return auth.mode === 'cognito'
      ? TokenVerifier.cognito({ userPoolId: auth.userPoolId, clientId: auth.clientId }, cache)
      : TokenVerifier.local({ issuer: auth.issuer, clientId: auth.clientId, jwksFile: auth.jwksFile }, cache);
  }

  /**
   * The token's claims once every check passed; `UnauthenticatedError` otherwise.
   *
   * A token that passed is remembered, keyed by its exact text, and answered from memory until its `exp` (or
   * `maxAgeSeconds`, whichever comes first), never before its `nbf`, and only while the key that signed it is
   * still in the issuer's JWKS as last fetched (a rotated-out key ends its tokens' entries): the signature and
   * claims of the same bytes cannot change, so only the time- and key-dependent checks are repeated. Refused
   * tokens are never remembered.
   */
  async verify(token: string): Promise<IdTokenClaims> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError(`The bearer token is longer than ${MAX_TOKEN_LENGTH} characters.`);
    }
    const now = this.nowMs();
    const known = this.verified.get(token);
    if (known) {
      if (now < known.usableUntilMs && now >= known.notBeforeMs && this.keyHeld(known.kid)) return known.claims;
      this.verified.delete(token);
    }
    let claims: IdTokenClaims;
    try {
      claims = (await this.check(token)) as unknown as IdTokenClaims;
    } catch (err) {
      throw verificationFailure(err);
    }
    this.remember(token, claims, now);
    return claims;
  }

  /** Verified tokens held in memory (for tests and metrics). */
  get cachedTokens(): number {
    return this.verified.size;
  }

  private remember(token: string, claims: IdTokenClaims, now: number): void {
    if (this.maxEntries <= 0) return;
    const kid = headerKid(token);
    if (kid === undefined) return;
    const nbf = (claims as { nbf?: unknown }).nbf;
    this.verified.set(token, {
      claims,
      usableUntilMs: Math.min(claims.exp * 1000, now + this.maxAgeMs),
      notBeforeMs: typeof nbf === 'number' ? nbf * 1000 : 0,
      kid,
    });
  }

  /** The caller of a verified token; the same `Caller` object for every request with the same cached token. */
  async authenticate(token: string): Promise<Caller> {
    const claims = await this.verify(token);
    let caller = this.callers.get(claims);
    if (!caller) {
      caller = claimsToCaller(claims);
      this.callers.set(claims, caller);
    }
    return caller;
  }
}

/** `kid` of a (verified) JWT's header. */
function headerKid(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header?.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

function keyHeldBy(jwksCache: SimpleJwksCache, jwksUri: string): KeyHeld {
  return (kid) => {
    try {
      jwksCache.getCachedJwk(jwksUri, { header: { kid, alg: 'RS256' }, payload: {} } as never);
      return true;
    } catch {
      return false;
    }
  };
}

function clientIds(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new Error('TokenVerifier needs at least one app client id.');
  return ids;
}

/**
 * What aws-jwt-verify leaves optional but a Cognito ID token always has: `token_use: id` (the generic verifier
 * does not know the claim), an `exp` (a token without one would never expire), `iat` and `sub`.
 */
function requireIdClaims(payload: JwtPayload): void {
  if (payload.token_use !== 'id') throw new IdTokenClaimError('token_use');
  if (typeof payload.exp !== 'number') throw new IdTokenClaimError('exp');
  if (typeof payload.iat !== 'number') throw new IdTokenClaimError('iat');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new IdTokenClaimError('sub');
}
