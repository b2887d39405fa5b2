import { InMemoryWebStorage, type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { WebAppConfig } from './WebAppConfig';

/** Who is signed in, as the app needs it: the ID token the API accepts and when it stops working. */
export interface SignedIn {
  readonly idToken: string;
  readonly expiresAtMs: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Sign-in through the authorization-code flow with PKCE (oidc-client-ts), against Cognito's hosted UI on AWS and
 * the local issuer's provider locally. Tokens live in memory only (`InMemoryWebStorage`): a reload or a new tab
 * signs in again, and nothing readable by another script survives the page. Only the flow's short-lived state
 * (PKCE verifier, return route) waits in sessionStorage across the redirect, as the library requires.
 *
 * Timeline of a session: signed out → `signIn(route)` redirects to the provider → the provider redirects back to
 * the app's own URL with `?code&state` → `completeSignIn()` redeems the code → signed in until the ID token
 * expires (the `expired` listener fires; the app shows the sign-in again) or `signOut()`.
 */
export class Session {
  private readonly manager: UserManager;
  private user: User | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  /** How the last session ended: the app says so when it was the token's expiry. */
  endedBy: 'expiry' | 'sign-out' | undefined;

  constructor(
    private readonly config: WebAppConfig,
    redirectUri: string,
  ) {
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      automaticSilentRenew: false,
      loadUserInfo: false,
      monitorSession: false,
    });
  }

  get signedIn(): SignedIn | undefined {
    const user = this.user;
    if (!user?.id_token || !user.expires_at) return undefined;
    const expiresAtMs = idTokenExpiryMs(user) ?? user.expires_at * 1000;
    if (expiresAtMs <= Date.now()) return undefined;
    return { idToken: user.id_token, expiresAtMs, claims: user.profile as Record<string, unknown> };
  }

  /** Called when the session starts or ends (sign-in, sign-out, expiry). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Redirects to the sign-in page; `returnTo` (a route) is where the app opens once back. */
  async signIn(returnTo: string): Promise<void> {
    await this.manager.signinRedirect({ state: { returnTo } });
  }

  /** True when the page was opened by the provider's redirect (`?code=…&state=…` or `?error=…`). */
  static isCallback(location: Location): boolean {
    const query = new URLSearchParams(location.search);
    return query.has('state') && (query.has('code') || query.has('error'));
  }

  /** Redeems the code of the redirect; resolves to the route to open. Rejects with the provider's error. */
  async completeSignIn(): Promise<string> {
    const user = await this.manager.signinRedirectCallback();
    this.start(user);
    const state = user.state as { returnTo?: unknown } | undefined;
    return typeof state?.returnTo === 'string' ? state.returnTo : '';
  }

  /** Forgets the tokens; on AWS also ends the hosted UI's session. */
  async signOut(): Promise<void> {
    await this.manager.removeUser();
    this.end('sign-out');
    if (this.config.signOutUrl) window.location.assign(this.config.signOutUrl);
  }

  /** The token stopped working (the API answered 401): back to signed out. */
  expire(): void {
    this.end('expiry');
  }

  private start(user: User): void {
    this.user = user;
    this.endedBy = undefined;
    clearTimeout(this.expiryTimer);
    const signedIn = this.signedIn;
    if (signedIn) {
      // setTimeout holds at most 2^31-1 ms; ID tokens live at most a day.
      this.expiryTimer = setTimeout(() => this.end('expiry'), Math.min(signedIn.expiresAtMs - Date.now(), 2 ** 31 - 1));
    }
    this.emit();
  }

  private end(reason: 'expiry' | 'sign-out'): void {
    clearTimeout(this.expiryTimer);
    if (!this.user) return;
    this.user = null;
    this.endedBy = reason;
    void this.manager.removeUser();
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The ID token's own `exp`: the API checks that one, which may come before the token response's `expires_in`. */
function idTokenExpiryMs(user: User): number | undefined {
  const exp = (user.profile as { exp?: unknown }).exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}
