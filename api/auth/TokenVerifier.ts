import { pathToFileURL } from 'node:url';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
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

/**
 * Verifies Cognito-shaped ID tokens with aws-jwt-verify, on AWS and locally alike: signature (RS256 by a key
 * of the issuer's JWKS, chosen by `kid`), issuer, audience (the app client id), `token_use: id`, `exp` (required),
 * `nbf`. Every failure the caller can cause becomes an `UnauthenticatedError` with a fixed message.
 *
 * On AWS the API Gateway Cognito authorizer has already checked the token; the handler checks again so the
 * Lambda is never the only line, nor trusts a misconfigured integration.
 */
export class TokenVerifier implements Authenticator {
  private constructor(private readonly check: Verify) {}

  /** A Cognito user pool's ID tokens (`CognitoJwtVerifier`, JWKS from the pool's well-known URL). */
  static cognito(options: CognitoVerifierOptions): TokenVerifier {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: options.userPoolId,
      clientId: clientIds(options.clientId),
      tokenUse: 'id',
      customJwtCheck: ({ payload }) => requireIdClaims(payload),
    });
    if (options.jwks) verifier.cacheJwks(options.jwks);
    return new TokenVerifier((token) => verifier.verify(token));
  }

  /** The local issuer's tokens (`JwtVerifier`, JWKS read from the data dir). */
  static local(options: LocalVerifierOptions): TokenVerifier {
    const verifier = JwtVerifier.create(
      {
        issuer: options.issuer,
        audience: clientIds(options.clientId),
        jwksUri: pathToFileURL(options.jwksFile).href,
        customJwtCheck: ({ payload }) => requireIdClaims(payload),
      },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: new FileJwksFetcher(),
          penaltyBox: new SimplePenaltyBox({ waitSeconds: 1 }),
        }),
      },
    );
    return new TokenVerifier((token) => verifier.verify(token));
  }

  static fromConfig(auth: AuthConfig): TokenVerifier {
    return auth.mode === 'cognito'
      ? TokenVerifier.cognito({ userPoolId: auth.userPoolId, clientId: auth.clientId })
      : TokenVerifier.local({ issuer: auth.issuer, clientId: auth.clientId, jwksFile: auth.jwksFile });
  }

  /** The token's claims once every check passed; `UnauthenticatedError` otherwise. */
  async verify(token: string): Promise<IdTokenClaims> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError(`The bearer token is longer than ${MAX_TOKEN_LENGTH} characters.`);
    }
    try {
      return (await this.check(token)) as unknown as IdTokenClaims;
    } catch (err) {
      throw verificationFailure(err);
    }
  }

  async authenticate(token: string): Promise<Caller> {
    return claimsToCaller(await this.verify(token));
  }
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
