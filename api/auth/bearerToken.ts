/**
 * The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, surrounding spaces allowed),
 * or undefined when the header is absent or has another form. The router, the local authorizer and the local
 * gateway read the header with this one rule.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}
