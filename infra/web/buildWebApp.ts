import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import type { WebAppConfig } from '../../web/src/WebAppConfig';

const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** Where the app lives under its site: `/app/…` (the page itself is also served at `/` locally). */
export const WEB_APP_PATH = '/app/';

/** The app's static files by name (under {@link WEB_APP_PATH}): `index.html`, `main.js`, `main.css`. */
export type WebAppFiles = ReadonlyMap<string, { readonly type: string; readonly body: Buffer }>;

/**
 * Bundles `web/` into static files with esbuild (Preact, Observable Plot and oidc-client-ts included: nothing is
 * fetched from a CDN at run time). In memory: `npm start` serves the result and the CDK app deploys it, so there
 * is no build directory to go stale. About a second.
 */
export async function buildWebApp(): Promise<WebAppFiles> {
  const webDir = path.join(PROJECT_ROOT, 'web');
  const result = await build({
    entryPoints: { main: path.join(webDir, 'src', 'main.tsx'), 'main-styles': path.join(webDir, 'styles.css') },
    bundle: true,
    write: false,
    outdir: '/out',
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    logLevel: 'silent',
    tsconfig: path.join(webDir, 'tsconfig.json'),
  });
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path).replace('main-styles.css', 'main.css');
    if (name.startsWith('main-styles.js')) continue;
    files.set(name, { type: mediaType(name), body: Buffer.from(file.contents) });
  }
  files.set('index.html', {
    type: mediaType('index.html'),
    body: await readFile(path.join(webDir, 'index.html')),
  });
  return files;
}

/** `config.json`: the app's settings, from the values the served contract is written from. */
export function webAppConfigFile(config: WebAppConfig): { type: string; body: Buffer } {
  return { type: mediaType('config.json'), body: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) };
}

function mediaType(name: string): string {
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  if (name.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (name.endsWith('.css')) return 'text/css; charset=utf-8';
  if (name.endsWith('.json')) return 'application/json';
  return 'text/plain; charset=utf-8';
}
