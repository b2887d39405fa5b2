import type { Caller } from '../access/Caller';

/**
 * Turns a bearer token into the caller it identifies, or throws `UnauthenticatedError`. The adapter wraps the
 * identity issue's `TokenVerifier` (aws-jwt-verify on AWS, the local issuer's JWKS locally).
 */
export interface Authenticator {
  authenticate(token: string): Promise<Caller>;
}
