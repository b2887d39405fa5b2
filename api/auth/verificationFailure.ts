import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwksValidationError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtNotBeforeError,
  JwtParseError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
import { UnauthenticatedError } from '../errors';

/** A claim check of our own failed (`customJwtCheck`): the reason is one of ours, never token content. */
export class IdTokenClaimError extends Error {
  constructor(readonly reason: 'token_use' | 'exp' | 'iat' | 'sub') {
    super(`id token claim ${reason} missing or wrong`);
    this.name = 'IdTokenClaimError';
  }
}

const HINT = 'Sign in again (locally: npx examlake token --role <role>).';

/**
 * Turns a verification failure into a 401 whose message names what is wrong in fixed words: never the token,
 * never a claim value (aws-jwt-verify's own messages quote issuers and audiences, so they are not passed on).
 * The library error stays as `cause` for the logs. Failures that are not the caller's fault (the JWKS cannot be
 * fetched or read, a configuration error) are rethrown unchanged and answered as a 500.
 */
export function verificationFailure(err: unknown): UnauthenticatedError {
  if (err instanceof IdTokenClaimError) {
    const message =
      err.reason === 'token_use'
        ? 'This operation needs an id token (token_use id), not an access token.'
        : `The token has no valid ${err.reason} claim. ${HINT}`;
    return new UnauthenticatedError(message, err);
  }
  if (!(err instanceof JwtBaseError) || err instanceof FetchError || err instanceof JwksValidationError) throw err;
  const message =
    err instanceof JwtExpiredError
      ? `The token has expired. ${HINT}`
      : err instanceof JwtNotBeforeError
        ? 'The token is not valid yet (nbf is in the future).'
        : err instanceof JwtInvalidIssuerError || isUnknownIssuer(err)
          ? `The token was not issued by this API's identity provider. ${HINT}`
          : err instanceof JwtInvalidAudienceError || err instanceof CognitoJwtInvalidClientIdError
            ? `The token was issued for another app client. ${HINT}`
            : err instanceof CognitoJwtInvalidTokenUseError
              ? 'This operation needs an id token (token_use id), not an access token.'
              : err instanceof JwtParseError
                ? 'The bearer token is not a well-formed JWT.'
                : `The token's signature cannot be verified. ${HINT}`;
  return new UnauthenticatedError(message, err);
}

/** A Cognito verifier meets an issuer it has no pool for by a parameter error (`issuer not configured: …`). */
function isUnknownIssuer(err: JwtBaseError): boolean {
  return err instanceof ParameterValidationError && err.message.startsWith('issuer not configured');
}
