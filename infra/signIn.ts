/**
 * Where `npx examlake login` receives the sign-in's answer: a loopback redirect (RFC 8252 §7.3) on this port.
 * Registered with the local OIDC provider and, by default, with the Cognito app client (`oauthCallbackUrls`), which
 * takes `http://` only for `localhost` and matches ports exactly: another `--port` must be registered there too.
 */
export const LOGIN_CALLBACK_PORT = 8765;

/** The loopback redirect URI of `npx examlake login` on a port. */
export function loginCallbackUrl(port: number = LOGIN_CALLBACK_PORT): string {
  return `http://localhost:${port}/callback`;
}
