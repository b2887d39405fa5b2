/** A token request the local issuer refuses (unknown role, missing scope attribute, bad id or lifetime). */
export class TokenRequestError extends Error {
  readonly code = 'INVALID_TOKEN_REQUEST';

  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}
