import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { TokenVerifier } from '../../../../api/auth/TokenVerifier';
import { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';
import { LocalOidcProvider } from '../../../../infra/local/identity/LocalOidcProvider';
import { type ApiTestStack, startApiTestStack } from '../../../api/support/startApiTestStack';

/**
 * The local issuer as an OpenID Connect provider, over HTTP on the local gateway, as Swagger UI and the web app
 * use it: discovery, the sign-in page, codes with PKCE, and tokens the API accepts.
 */
let t: ApiTestStack;
let redirectUri: string;
const CLIENT = 'examlake-local';

beforeAll(async () => {
  t = await startApiTestStack();
  redirectUri = `${t.url}/docs/oauth2-redirect.html`;
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizationRequest(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Submits the sign-in page's form; resolves to the redirect's URL. */
async function signIn(challenge: string, choice: Record<string, string>, extra: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...authorizationRequest(challenge, extra), ...choice }),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function exchange(code: string, verifier: string, extra: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...extra,
    }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, string> };
}

async function codeFor(challenge: string, choice: Record<string, string> = { role: 'analyst' }): Promise<string> {
  const { status, location } = await signIn(challenge, choice);
  expect(status).toBe(302);
  return new URL(location!).searchParams.get('code')!;
}

describe('the local OIDC provider', () => {
  it('publishes a discovery document naming its endpoints, the tokens’ issuer and PKCE S256', async () => {
    const res = await fetch(`${t.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, string>;
    const issuer = await LocalIssuer.open(t.stack.dataDir);
    expect(doc).toMatchObject({
      issuer: issuer.issuer,
      authorization_endpoint: `${t.url}/oauth2/authorize`,
      token_endpoint: `${t.url}/oauth2/token`,
      jwks_uri: `${t.url}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    expect(await (await fetch(doc['jwks_uri']!)).json()).toEqual(JSON.parse(JSON.stringify(issuer.jwks)));
  });

  it('shows a sign-in page that says it is the local development issuer and offers every role', async () => {
    const query = new URLSearchParams(authorizationRequest(pkce().challenge));
    const res = await fetch(`${t.url}/oauth2/authorize?${query}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Local development issuer');
    for (const role of ['analyst', 'school_admin', 'partner', 'steward']) expect(page).toContain(`value="${role}"`);
    expect(page).toContain(`name="code_challenge" value="${query.get('code_challenge')}"`);
  });

  it('signs a school administrator in with a code whose ID token the API accepts, and refuses its access token', async () => {
    const { verifier, challenge } = pkce();
    const { status, location } = await signIn(challenge, {
      role: 'school_admin',
      schools: 'SCH-0001, SCH-0002',
      districts: '',
      partner: 'P1',
    });
    expect(status).toBe(302);
    const back = new URL(location!);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-1');

    const tokens = await exchange(back.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid email profile' });
    const claims = await TokenVerifier.fromConfig((await LocalIssuer.open(t.stack.dataDir)).authConfig()).verify(
      tokens.json['id_token']!,
    );
    expect(claims).toMatchObject({
      aud: CLIENT,
      token_use: 'id',
      nonce: 'nonce-1',
      'cognito:groups': ['school_admin'],
      'custom:school_ids': 'SCH-0001,SCH-0002',
    });
    expect(claims).not.toHaveProperty('custom:partner_id');
    expect(decodeJwt(tokens.json['access_token']!)).toMatchObject({ token_use: 'access', client_id: CLIENT });

    const withId = await fetch(`${t.url}/v1/datasets`, {
      headers: { authorization: `Bearer ${tokens.json['id_token']}` },
    });
    expect(withId.status).toBe(200);
    const withAccess = await fetch(`${t.url}/v1/datasets`, {
      headers: { authorization: `Bearer ${tokens.json['access_token']}` },
    });
    expect(withAccess.status).toBe(401);
  });

  it('redeems a code once only', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect((await exchange(code, verifier)).status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      error: 'invalid_grant',
      error_description: 'The code is unknown or was already used.',
    });
  });

  it('refuses a wrong code_verifier, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.json).toEqual({
      error: 'invalid_grant',
      error_description: 'The code_verifier does not match the code_challenge (PKCE S256).',
    });
    expect((await exchange(code, verifier)).json['error']).toBe('invalid_grant');
  });

  it('refuses a code redeemed for another redirect_uri or client', async () => {
    const first = pkce();
    const code = await codeFor(first.challenge);
    const res = await exchange(code, first.verifier, { redirect_uri: `${t.url}/elsewhere` });
    expect(res.json['error_description']).toBe('The redirect_uri differs from the one of the authorization request.');
    const second = pkce();
    const unknown = await exchange(await codeFor(second.challenge), second.verifier, { client_id: 'someone-else' });
    expect(unknown.status).toBe(401);
    expect(unknown.json['error']).toBe('invalid_client');
  });

  it('never redirects to an unregistered redirect_uri or for an unknown client', async () => {
    for (const extra of [
      { redirect_uri: 'https://attacker.example/callback' },
      { client_id: 'unknown-client' },
    ] as Record<string, string>[]) {
      const res = await fetch(
        `${t.url}/oauth2/authorize?${new URLSearchParams(authorizationRequest(pkce().challenge, extra))}`,
        { redirect: 'manual' },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const posted = await signIn(pkce().challenge, { role: 'analyst' }, extra);
      expect(posted.status).toBe(400);
      expect(posted.location).toBeNull();
    }
  });

  it('sends a request without PKCE S256 back to the client with invalid_request', async () => {
    for (const extra of [{ code_challenge_method: 'plain' }, { code_challenge: '' }] as Record<string, string>[]) {
      const { status, location } = await signIn(pkce().challenge, { role: 'analyst' }, extra);
      expect(status).toBe(302);
      const back = new URL(location!).searchParams;
      expect(back.get('error')).toBe('invalid_request');
      expect(back.get('code')).toBeNull();
      expect(back.get('state')).toBe('state-1');
    }
  });

  it('shows the page again with the reason when the chosen scope is incomplete', async () => {
    const res = await signIn(pkce().challenge, { role: 'partner', partner: '' });
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.text).toContain('A partner token needs a partner id');
  });
});

describe('authorization codes', () => {
  it('expire after their lifetime', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-oidc-'));
    try {
      let nowMs = Date.parse('2026-12-03T12:00:00Z');
      const redirect = 'http://127.0.0.1:3000/docs/oauth2-redirect.html';
      const provider = new LocalOidcProvider(await LocalIssuer.open(dataDir), {
        baseUrl: 'http://127.0.0.1:3000',
        clients: [{ clientId: CLIENT, redirectUris: [redirect] }],
        codeTtlSeconds: 60,
        now: () => new Date(nowMs),
      });
      const { verifier, challenge } = pkce();
      const post = (pathname: string, form: Record<string, string>) =>
        provider.handle({
          method: 'POST',
          url: new URL(`http://127.0.0.1:3000${pathname}`),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from(new URLSearchParams(form).toString()),
        });
      const signedIn = await post('/oauth2/authorize', {
        ...authorizationRequest(challenge, { redirect_uri: redirect }),
        role: 'steward',
      });
      const code = new URL(signedIn!.headers['location']!).searchParams.get('code')!;
      nowMs += 60_000;
      const late = await post('/oauth2/token', {
        grant_type: 'authorization_code',
        client_id: CLIENT,
        code,
        redirect_uri: redirect,
        code_verifier: verifier,
      });
      expect(late!.status).toBe(400);
      expect(JSON.parse(late!.body)).toEqual({ error: 'invalid_grant', error_description: 'The code has expired.' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
