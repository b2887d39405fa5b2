import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginCallbackUrl } from '../signIn';

export interface LoopbackSignInOptions {
  /** Base URL of `/oauth2/authorize` and `/oauth2/token`: the Cognito hosted domain, or the local gateway. */
  readonly domainUrl: string;
  /** The public app client to sign in as (no secret). */
  readonly clientId: string;
  /** Port of the loopback redirect; 0 picks a free one (the local provider accepts any loopback port). */
  readonly port: number;
  /** Told the URL the user must open in a browser. */
  readonly onAuthorizeUrl: (url: string) => void;
  /** How long to wait for the browser to come back. @default 300000 */
  readonly timeoutMs?: number;
}

/** The tokens of a completed sign-in. */
export interface SignInTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** A sign-in that did not end with tokens: refused, abandoned, or answered with something unexpected. */
export class SignInError extends Error {
  readonly code = 'SIGN_IN_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/**
 * The OAuth authorization-code flow with PKCE for a command-line user (RFC 8252): listen on a loopback port, hand
 * the authorize URL to the user's browser, take the code from the redirect, and redeem it with the verifier.
 * Works against Cognito's hosted UI and the local OIDC provider alike; the ID token is what the API accepts.
 */
export async function signInWithLoopback(options: LoopbackSignInOptions): Promise<SignInTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new SignInError(
              `Port ${options.port} is in use: choose another with --port (and register its callback URL).`,
            )
          : err,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  try {
    const redirectUri = loginCallbackUrl((server.address() as AddressInfo).port);
    const authorize = new URL(`${options.domainUrl}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const answer = waitForRedirect(server, options.timeoutMs ?? 300_000);
    options.onAuthorizeUrl(authorize.toString());
    const params = await answer;
    if (params.get('state') !== state) throw new SignInError('The sign-in answered with another state: start again.');
    const error = params.get('error');
    if (error) throw new SignInError(`Sign-in refused: ${error}${describe(params.get('error_description'))}`);
    const code = params.get('code');
    if (!code) throw new SignInError('The sign-in came back without a code.');
    return await redeem(options, code, redirectUri, verifier);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The query of the first request to `/callback`, answered with a page telling the user to go back. */
function waitForRedirect(server: http.Server, timeoutMs: number): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SignInError(`No sign-in within ${Math.round(timeoutMs / 1000)} s: start again.`)),
      timeoutMs,
    );
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/callback') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      clearTimeout(timer);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end('<!doctype html><title>examlake</title><p>Signed in to examlake: return to the terminal.</p>');
      resolve(url.searchParams);
    });
  });
}

async function redeem(
  options: LoopbackSignInOptions,
  code: string,
  redirectUri: string,
  verifier: string,
): Promise<SignInTokens> {
  let res: Response;
  try {
    res = await fetch(`${options.domainUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: options.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
  } catch (err) {
    throw new SignInError(`Could not reach ${options.domainUrl}/oauth2/token.`, { cause: err });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    throw new SignInError(
      `The token endpoint refused the code: ${String(body['error'] ?? res.status)}${describe(body['error_description'])}`,
    );
  }
  if (typeof body['id_token'] !== 'string') throw new SignInError('The token endpoint returned no id_token.');
  return {
    idToken: body['id_token'],
    accessToken: String(body['access_token'] ?? ''),
    expiresInSeconds: Number(body['expires_in'] ?? 0),
  };
}

function describe(text: unknown): string {
  return typeof text === 'string' && text !== '' ? ` (${text})` : '';
}
