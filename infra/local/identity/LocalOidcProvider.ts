import { createHash } from 'node:crypto';
import type { TokenRole } from '../../../api/auth/idTokenClaims';
import type { MountedAnswer, MountedRequest } from '../gateway/MountedService';
import { AuthorizationCodes } from './AuthorizationCodes';
import { checkMintRequest, type LocalIssuer, type MintRequest } from './LocalIssuer';
import { type AuthorizationParams, type SignInChoice, signInErrorPage, signInPage } from './signInPage';
import { TokenRequestError } from './TokenRequestError';

/** A client allowed to sign users in: its id and the redirect URIs it registered (matched exactly, loopback ports aside). */
export interface OidcClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

export interface LocalOidcProviderOptions {
  /** Where the endpoints are served (the local gateway's URL): `<baseUrl>/oauth2/authorize`, … */
  readonly baseUrl: string;
  readonly clients: readonly OidcClient[];
  /** Lifetime of an authorization code. @default 60 */
  readonly codeTtlSeconds?: number;
  /** Lifetime of the tokens issued. @default 3600 (Cognito's default ID-token lifetime) */
  readonly tokenTtlSeconds?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The paths the provider answers; everything else is the API's. */
export const OIDC_PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/jwks.json',
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
} as const;

const SCOPES = ['openid', 'email', 'profile'] as const;
/** The S256 challenge: base64url of a SHA-256 digest, 43 characters. */
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The local issuer as a small OpenID Connect provider, so browser apps (Swagger UI, the web app) sign in locally
 * the way they sign in to Cognito on AWS: the authorization-code flow with PKCE (S256 only), public clients (no
 * secret), registered redirect URIs matched exactly. The sign-in page asks for no password: the developer picks a
 * role and its scope. Tokens are the issuer's own: the same Cognito-shaped ID tokens as `npx examlake token`.
 * Codes: {@link AuthorizationCodes} (single use, short-lived, in memory).
 *
 * The discovery document's `issuer` is the tokens' `iss` (`http://localhost/examlake-local`), not the gateway's
 * URL: tokens minted by the CLI and by this provider verify alike whatever port the API runs on. Clients fetch
 * discovery from the gateway (`<baseUrl>/.well-known/openid-configuration`) and must not require the issuer to
 * equal that URL (docs/identity.md).
 */
export class LocalOidcProvider {
  private readonly codes: AuthorizationCodes;
  private readonly tokenTtlSeconds: number;
  private readonly now: () => Date;

  constructor(
    private readonly issuer: LocalIssuer,
    private readonly options: LocalOidcProviderOptions,
  ) {
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.now = options.now ?? (() => new Date());
    this.codes = new AuthorizationCodes((options.codeTtlSeconds ?? 60) * 1000, this.now);
  }

  /** The OpenID Connect discovery document. */
  discovery(): Record<string, unknown> {
    const base = this.options.baseUrl;
    return {
      issuer: this.issuer.issuer,
      authorization_endpoint: `${base}${OIDC_PATHS.authorize}`,
      token_endpoint: `${base}${OIDC_PATHS.token}`,
      jwks_uri: `${base}${OIDC_PATHS.jwks}`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...SCOPES],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'token_use',
        'cognito:username',
        'cognito:groups',
        'custom:school_ids',
        'custom:district_ids',
        'custom:partner_id',
      ],
    };
  }

  /** Answers a request to one of {@link OIDC_PATHS}; undefined for any other path (the API's). */
  async handle(request: MountedRequest): Promise<MountedAnswer | undefined> {
    const { pathname } = request.url;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    switch (pathname) {
      case OIDC_PATHS.discovery:
        return method === 'GET' ? json(200, this.discovery(), 'public, max-age=60') : notAllowed('GET');
      case OIDC_PATHS.jwks:
        return method === 'GET' ? json(200, this.issuer.jwks, 'public, max-age=60') : notAllowed('GET');
      case OIDC_PATHS.authorize:
        if (method === 'GET') return this.authorize(Object.fromEntries(request.url.searchParams), undefined);
        if (method === 'POST') return this.authorize(...splitSignIn(formOf(request)));
        return notAllowed('GET, POST');
      case OIDC_PATHS.token:
        if (method === 'POST') return this.token(request);
        return notAllowed('POST');
      default:
        return undefined;
    }
  }

  /**
   * `GET`: checks the request and shows the sign-in page. `POST` (the page's form): checks it again, then
   * redirects to the client with a code. An unknown client or redirect URI is answered here and never redirected
   * to (RFC 6749 §4.1.2.1); every other error goes back to the client as `error=…`.
   */
  private async authorize(params: AuthorizationParams, choice: SignInChoice | undefined): Promise<MountedAnswer> {
    const clientId = params['client_id'] ?? '';
    const redirectUri = params['redirect_uri'] ?? '';
    const client = this.options.clients.find((c) => c.clientId === clientId);
    if (!client) {
      return html(400, signInErrorPage(`Unknown client_id '${clientId}': register it with the local provider.`));
    }
    if (!redirectAllowed(client, redirectUri)) {
      return html(
        400,
        signInErrorPage(
          `The redirect_uri '${redirectUri}' is not registered for ${clientId}; registered: ${client.redirectUris.join(', ')}.`,
        ),
      );
    }
    const state = params['state'];
    const fail = (error: string, description: string) =>
      redirect(redirectUri, { error, error_description: description, state });
    if (params['response_type'] !== 'code') return fail('unsupported_response_type', 'Only response_type=code.');
    const scopes = (params['scope'] ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) return fail('invalid_scope', 'The scope must include openid.');
    const unknown = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown !== undefined) return fail('invalid_scope', `Unknown scope ${unknown}; use ${SCOPES.join(', ')}.`);
    if (params['code_challenge_method'] !== 'S256' || !CHALLENGE_PATTERN.test(params['code_challenge'] ?? '')) {
      return fail(
        'invalid_request',
        'PKCE is required: code_challenge (43 characters) with code_challenge_method=S256.',
      );
    }
    const carried = Object.fromEntries(
      [
        'response_type',
        'client_id',
        'redirect_uri',
        'scope',
        'state',
        'nonce',
        'code_challenge',
        'code_challenge_method',
      ]
        .filter((name) => params[name] !== undefined)
        .map((name) => [name, params[name]!]),
    );
    if (choice === undefined) return html(200, signInPage(carried));

    const request = mintRequestOf(choice, params['nonce'], this.tokenTtlSeconds);
    try {
      checkMintRequest(request);
    } catch (err) {
      if (err instanceof TokenRequestError) return html(400, signInPage(carried, choice, err.message));
      throw err;
    }
    const code = this.codes.issue({
      clientId,
      redirectUri,
      codeChallenge: params['code_challenge']!,
      scope: scopes.join(' '),
      request,
    });
    return redirect(redirectUri, { code, state });
  }

  /** The token endpoint: one authorization code, its PKCE verifier, for the client and redirect URI it was issued to. */
  private async token(request: MountedRequest): Promise<MountedAnswer> {
    const type = String(request.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return tokenError(400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
    }
    const form = formOf(request);
    if (form['grant_type'] !== 'authorization_code') {
      return tokenError(400, 'unsupported_grant_type', 'Only grant_type=authorization_code.');
    }
    const client = this.options.clients.find((c) => c.clientId === form['client_id']);
    if (!client) return tokenError(401, 'invalid_client', 'Unknown client_id.');
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = form;
    if (!code || !redirectUri || !verifier) {
      return tokenError(400, 'invalid_request', 'code, redirect_uri and code_verifier are required.');
    }
    const outcome = this.codes.redeem(code, { clientId: client.clientId, redirectUri, codeVerifier: verifier });
    if ('refused' in outcome) return tokenError(400, 'invalid_grant', outcome.refused);
    const pending = outcome.grant;
    const now = this.now();
    const idToken = await this.issuer.mint(pending.request, now);
    const accessToken = await this.issuer.mintAccessToken(
      {
        subject: pending.request.subject!,
        username: `local-${pending.request.role}-${pending.request.subject!.slice(0, 8)}`,
        clientId: client.clientId,
        scope: pending.scope,
        ttlSeconds: this.tokenTtlSeconds,
      },
      now,
    );
    return {
      status: 200,
      headers: { ...NO_STORE, 'content-type': 'application/json', 'access-control-allow-origin': '*' },
      body: JSON.stringify({
        id_token: idToken,
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: this.tokenTtlSeconds,
        scope: pending.scope,
      }),
    };
  }
}

/**
 * Exact match, except the port of an `http` loopback URI (RFC 8252 §7.3): a command-line client listens on
 * whatever port is free. Cognito matches ports exactly; `npx examlake login` uses a fixed port by default.
 */
function redirectAllowed(client: OidcClient, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  const loopback = (text: string) => {
    try {
      const url = new URL(text);
      if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
      url.port = '';
      return url.toString();
    } catch {
      return undefined;
    }
  };
  const asked = loopback(uri);
  return asked !== undefined && client.redirectUris.some((registered) => loopback(registered) === asked);
}

/** The sign-in form's own fields apart from the authorization request it carries. */
function splitSignIn(form: Record<string, string>): [AuthorizationParams, SignInChoice] {
  const { role, schools, districts, partner, ...params } = form;
  return [params, { role, schools, districts, partner }];
}

/**
 * The chosen role and only the scope fields that apply to it (the page shows them all). The subject is derived
 * from the choice, so signing in again as the same role and scope is the same user (one audit trail).
 */
function mintRequestOf(choice: SignInChoice, nonce: string | undefined, ttlSeconds: number): MintRequest {
  const role = (choice.role ?? '') as TokenRole;
  const list = (text: string | undefined) => (text ?? '').split(',');
  const scope = {
    ...(role === 'school_admin' ? { schoolIds: list(choice.schools), districtIds: list(choice.districts) } : {}),
    ...(role === 'partner' ? { partnerId: (choice.partner ?? '').trim() } : {}),
  };
  const digest = createHash('sha256')
    .update(JSON.stringify({ role, ...scope }))
    .digest('hex');
  const subject = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
  return { role, ...scope, subject, ttlSeconds, ...(nonce !== undefined ? { nonce } : {}) };
}

function formOf(request: MountedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function json(status: number, body: unknown, cacheControl: string): MountedAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': cacheControl, 'access-control-allow-origin': '*' },
    body: JSON.stringify(body),
  };
}

function html(status: number, body: string): MountedAnswer {
  return {
    status,
    headers: {
      ...NO_STORE,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
    },
    body,
  };
}

function redirect(target: string, params: Readonly<Record<string, string | undefined>>): MountedAnswer {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { status: 302, headers: { ...NO_STORE, location: url.toString() }, body: '' };
}

function tokenError(status: number, error: string, description: string): MountedAnswer {
  return {
    status,
    headers: { ...NO_STORE, 'content-type': 'application/json', 'access-control-allow-origin': '*' },
    body: JSON.stringify({ error, error_description: description }),
  };
}

function notAllowed(allow: string): MountedAnswer {
  return {
    status: 405,
    headers: { 'content-type': 'application/json', allow },
    body: JSON.stringify({ error: 'invalid_request', error_description: `Use ${allow}.` }),
  };
}
