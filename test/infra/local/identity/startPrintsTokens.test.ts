import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(__dirname, '../../../../bin/examlake.js');
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-start-tokens-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `examlake start` until it prints its tokens; resolves to everything printed so far. */
function startUntilTokens(): Promise<string> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [bin, 'start', '--port', '0', '--api-port', '0', '--data-dir', dataDir], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl-C to stop.')) resolve(out);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`examlake start exited (${code}) before printing tokens:\n${out}`)));
  });
}

describe('examlake start', () => {
  it('serves the API and prints one working token per role', async () => {
    const out = await startUntilTokens();
    const url = /API: (http:\/\/[\d.]+:\d+)\/v1\/health/.exec(out)?.[1];
    expect(url).toBeDefined();
    const tokens = new Map(
      [...out.matchAll(/^ {2}(\w+) \(npx examlake token[^\n]*\):\n {4}([\w-]+\.[\w-]+\.[\w-]+)$/gm)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    expect([...tokens.keys()]).toEqual(['school_admin', 'partner', 'analyst', 'steward']);
    for (const [role, token] of tokens) {
      const path = role === 'steward' ? '/v1/partners/P1/grant' : '/v1/reports';
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect({ role, status: res.status }).not.toMatchObject({ status: 401 });
      expect({ role, status: res.status }).not.toMatchObject({ status: 403 });
    }
    expect((await fetch(`${url}/v1/reports`)).status).toBe(401);
  });
});
