import { bearerToken } from '../../../api/auth/bearerToken';
import { TokenVerifier } from '../../../api/auth/TokenVerifier';
import { UnauthenticatedError } from '../../../api/errors';
import { LocalIssuer } from './LocalIssuer';

/**
 * The local gateway's Cognito authorizer: verifies the bearer token of a request to an operation that needs
 * one, before the handler runs, and hands the token's claims on (API Gateway passes them as
 * `requestContext.authorizer.claims`). Like the Cognito authorizer it checks the token only (signature, issuer,
 * client, token use, expiry), not the caller's groups: the handler checks the token again and decides the role.
 *
 * The gateway calls {@link checkToken} (its `GatewayTokenCheck`) with the token taken from `Authorization`;
 * {@link authorize} does the same from the raw headers.
 */
export class LocalAuthorizer {
  private constructor(private readonly verifier: TokenVerifier) {}

  /** The authorizer of the data dir's local issuer (creating its key pair the first time). */
  static async forDataDir(dataDir: string): Promise<LocalAuthorizer> {
    return LocalAuthorizer.forIssuer(await LocalIssuer.open(dataDir));
  }

  static forIssuer(issuer: LocalIssuer): LocalAuthorizer {
    return new LocalAuthorizer(TokenVerifier.fromConfig(issuer.authConfig()));
  }

  /** Resolves to the token's claims, or rejects with `UnauthenticatedError`. */
  readonly checkToken = async (token: string): Promise<Readonly<Record<string, unknown>>> =>
    this.verifier.verify(token);

  /**
   * `Authorization: Bearer <token>` (header names in any case) to the token's claims; rejects with
   * `UnauthenticatedError` when the header is missing, not a bearer token, or the token fails a check.
   */
  async authorize(
    headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  ): Promise<Readonly<Record<string, unknown>>> {
    const values = Object.entries(headers)
      .filter(([name]) => name.toLowerCase() === 'authorization')
      .flatMap(([, value]) => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]));
    if (values.length !== 1) {
      throw new UnauthenticatedError(
        values.length === 0 ? undefined : 'Send exactly one Authorization header: Authorization: Bearer <id token>.',
      );
    }
    const token = bearerToken(values[0]);
    if (!token) throw new UnauthenticatedError('The Authorization header must be `Bearer <id token>`.');
    return this.checkToken(token);
  }
}
