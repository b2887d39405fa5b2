import { render } from 'preact';
import { App } from './App';
import { Session } from './auth';
import type { WebAppConfig } from './WebAppConfig';

/**
 * Start: read `config.json` (served beside the app), finish a sign-in redirect when this page is one, render.
 * The redirect URI is the app's own address, so the page that started the sign-in is the one that completes it.
 */
async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  let config: WebAppConfig;
  try {
    const response = await fetch('/app/config.json');
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    config = (await response.json()) as WebAppConfig;
  } catch (err) {
    root.innerHTML = '';
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = `The app cannot start: ${String(err)}`;
    root.append(p);
    return;
  }
  const redirectUri = `${window.location.origin}${window.location.pathname}`;
  const session = new Session(config, redirectUri);
  let notice: string | undefined;
  if (Session.isCallback(window.location)) {
    try {
      const returnTo = await session.completeSignIn();
      window.history.replaceState(null, '', `${window.location.pathname}${returnTo}`);
    } catch (err) {
      notice = `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
      window.history.replaceState(null, '', window.location.pathname);
    }
  }
  root.replaceChildren();
  render(<App config={config} session={session} {...(notice ? { notice } : {})} />, root);
}

void start();
