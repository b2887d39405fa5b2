import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWebApp, writeWebApp } from '../../../infra/web/buildWebApp';

describe('buildWebApp', () => {
  it('bundles the app into a page, one script and one stylesheet that load nothing from another origin', () => {
    const files = buildWebApp();
    expect([...files.keys()].sort()).toEqual(['index.html', 'main.css', 'main.js']);
    const page = files.get('index.html')!.body.toString('utf8');
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['data:,', '/app/main.css', '/app/main.js']);
    const script = files.get('main.js')!.body.toString('utf8');
    // Bundled, not imported: no static or dynamic import of a URL is left for the browser to fetch (asserted as
    // booleans, so a failure does not print the whole bundle).
    expect(/\bimport\s*\(\s*["'`]https?:|\bfrom\s*["']https?:|^import\s/m.test(script)).toBe(false);
    expect(script.includes('/app/config.json')).toBe(true);
    expect(files.get('main.js')!.type).toBe('text/javascript; charset=utf-8');
  });

  it('writes the files into a directory, as the CDK asset bundles them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'webapp-'));
    try {
      writeWebApp(path.join(dir, 'app'));
      expect((await readdir(path.join(dir, 'app'))).sort()).toEqual(['index.html', 'main.css', 'main.js']);
      expect(await readFile(path.join(dir, 'app', 'index.html'), 'utf8')).toContain('<div id="app">');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
