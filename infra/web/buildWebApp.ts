import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { WebAppConfig } from '../../web/src/WebAppConfig';

const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** Where the app lives under its site: `/app/…` (the page itself is also served at `/` locally). */
export const WEB_APP_PATH = '/app/';

/** The app's static files by name (under {@link WEB_APP_PATH}): `index.html`, `main.js`, `main.css`. */
export type WebAppFiles = ReadonlyMap<string, { readonly type: string; readonly body: Buffer }>;

/** The app's sources: `web/` (its own tsconfig, DOM types, Preact's JSX). */
export const WEB_APP_SOURCE = path.join(PROJECT_ROOT, 'web');

/**
 * Bundles `web/` into static files with esbuild (Preact, Observable Plot and oidc-client-ts included: nothing is
 * fetched from a CDN at run time). In memory, so there is no build directory to go stale: `npm start` serves the
 * result, the CDK app writes it into its asset ({@link writeWebApp}). Synchronous (CDK's local bundling is);
 * about a second.
 */
export function buildWebApp(): WebAppFiles {
  const webDir = WEB_APP_SOURCE;
  const result = buildSync({
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
    body: readFileSync(path.join(webDir, 'index.html')),
  });
  return files;
}

/** Writes the built app into `dir` (`<dir>/index.html`, …): the CDK asset's local bundling. */
export function writeWebApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, file] of buildWebApp()) writeFileSync(path.join(dir, name), file.body);
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
