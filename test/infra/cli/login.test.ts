import { spawn } from 'node:child_process';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { type ApiTestStack, startApiTestStack } from '../../api/support/startApiTestStack';

/**
 * `npx examlake login` as a user runs it, against the local OIDC provider: it prints the address to open, the
 * "browser" (fetch, doing what the sign-in page's form does) signs in, and the command prints an ID token the API
 * accepts.
 */
const BIN = path.resolve(__dirname, '../../../bin/examlake.js');
let t: ApiTestStack;

beforeAll(async () => {
  t = await startApiTestStack();
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** Starts the command; resolves the address it asks the user to open, and later its exit and output. */
function login(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, 'login', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  const authorizeUrl = new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const url = /(http\S+\/oauth2\/authorize\?\S+)/.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    child.on('close', () => reject(new Error(`login exited before asking to sign in: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { authorizeUrl, exited };
}

/** What a browser does on the sign-in page: submit the form with a role, follow the redirect to the loopback. */
async function signInAs(authorizeUrl: string, choice: Record<string, string>): Promise<number> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  for (const [name, value] of Object.entries(choice)) form.set(name, value);
  const signedIn = await fetch(`${t.url}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(signedIn.status).toBe(302);
  return (await fetch(signedIn.headers.get('location')!)).status;
}

describe('npx examlake login', () => {
  it('signs in through the browser with PKCE and prints only an ID token the API accepts', async () => {
    const run = login(['--domain', t.url, '--port', '0']);
    const authorizeUrl = await run.authorizeUrl;
    const request = new URL(authorizeUrl).searchParams;
    expect(request.get('client_id')).toBe('examlake-local');
    expect(request.get('code_challenge_method')).toBe('S256');
    expect(request.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);

    expect(await signInAs(authorizeUrl, { role: 'partner', partner: 'P1' })).toBe(200);
    const { code, stdout } = await run.exited;
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(decodeJwt(token)).toMatchObject({
      token_use: 'id',
      'cognito:groups': ['partner'],
      'custom:partner_id': 'P1',
    });
    const res = await fetch(`${t.url}/v1/reports`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  }, 60_000);

  it('exits with status 1 and the reason when the sign-in is refused, printing no token', async () => {
    const run = login(['--domain', t.url, '--port', '0']);
    const authorizeUrl = new URL(await run.authorizeUrl);
    // A request the provider sends back with an error: the same client, no PKCE.
    authorizeUrl.searchParams.set('code_challenge_method', 'plain');
    const refused = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(refused.status).toBe(302);
    await fetch(refused.headers.get('location')!);
    const { code, stdout, stderr } = await run.exited;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Sign-in refused: invalid_request');
  }, 60_000);
});
