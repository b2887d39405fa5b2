import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(__dirname, '../../../bin/examlake.js');
let dataDir: string;
let child: ChildProcess | undefined;
let out = '';

jest.setTimeout(240_000);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-start-'));
  out = await startUntilReady();
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `examlake start` (one school of sample data) until it says it is ready; resolves to what it printed. */
function startUntilReady(): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = [bin, 'start', '--port', '0', '--api-port', '0', '--data-dir', dataDir, '--schools', '1'];
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', EXAMLAKE_STACK_RECORD: recordPath() };
    child = spawn(process.execPath, args, { env });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      out = text;
      if (text.includes('Press Ctrl-C to stop.')) resolve(text);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`examlake start exited (${code}) before it was ready:\n${text}`)));
  });
}

function recordPath(): string {
  return path.join(dataDir, 'record', 'stack.json');
}

function apiUrl(): string {
  const url = /REST API\s+(http:\/\/[\d.]+:\d+)\/v1/.exec(out)?.[1];
  if (!url) throw new Error(`no API URL in the output of examlake start:\n${out}`);
  return url;
}

async function tokens(): Promise<Map<string, string>> {
  const file = await readFile(path.join(dataDir, 'tokens.env'), 'utf8');
  return new Map([...file.matchAll(/^export EXAMLAKE_TOKEN_(\w+)=(\S+)$/gm)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
}

describe('examlake start', () => {
  it('loads the sample data through the ETL and reports a reconciled run', () => {
    // Two school years, the earlier first (the web app compares them).
    expect(out).toMatch(/Generating sample exports of school year 2024\/25 for 1 schools[\s\S]*school year 2025\/26/);
    expect(out).toMatch(/Run jr_\w+: SUCCEEDED/);
    expect(out).toMatch(/exam_results: \d+ rows in = \d+ written \+ \d+ rejected \+ \d+ superseded/);
  });

  it('prints one token per role, also written to tokens.env, that the API accepts', async () => {
    const all = await tokens();
    expect([...all.keys()]).toEqual(['school_admin', 'partner', 'analyst', 'steward']);
    for (const [role, token] of all) {
      expect(out).toContain(token);
      const route = role === 'steward' ? '/v1/partners/P1/grant' : '/v1/reports';
      const res = await fetch(`${apiUrl()}${route}`, { headers: { authorization: `Bearer ${token}` } });
      expect({ role, status: res.status }).not.toMatchObject({ status: 401 });
      expect({ role, status: res.status }).not.toMatchObject({ status: 403 });
    }
    expect((await fetch(`${apiUrl()}/v1/reports`)).status).toBe(401);
  });

  it('answers a report over the loaded data, then the same request from the cache', async () => {
    const token = (await tokens()).get('analyst')!;
    const ask = () =>
      fetch(`${apiUrl()}/v1/reports/subject-trends`, { headers: { authorization: `Bearer ${token}` } }).then(
        async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }),
      );
    const first = await ask();
    expect(first.status).toBe(200);
    expect((first.body.rows as unknown[]).length).toBeGreaterThan(0);
    const second = await ask();
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.body)).toMatch(/"cache":"hit"/);
  });

  it('grants the sample partner, so the partner token reads its rows', async () => {
    const token = (await tokens()).get('partner')!;
    const res = await fetch(`${apiUrl()}/v1/reports/subject-trends`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(out).toMatch(/Partner P1 may read the North region/);
  });

  it('serves Swagger UI, with a contract naming this API and its sign-in', async () => {
    const res = await fetch(`${apiUrl()}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger/i);
    const contract = await (await fetch(`${apiUrl()}/openapi.yaml`)).text();
    expect(contract).toContain(`- url: "${apiUrl()}"`);
    expect(contract).toContain(`authorizationUrl: "${apiUrl()}/oauth2/authorize"`);
    expect(out).toContain(`${apiUrl()}/.well-known/openid-configuration`);
  });

  it("prints the web app's address first and serves it there, configured for this API and its sign-in", async () => {
    const running = out.slice(out.indexOf('examlake is running.'));
    const firstUrl = /(http:\/\/[\d.]+:\d+\S*)/.exec(running)?.[1];
    expect(firstUrl).toBe(`${apiUrl()}/`);
    expect(running).toMatch(/^ {2}Web app {9}http/m);
    const page = await fetch(`${apiUrl()}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/app/main.js');
    expect(await (await fetch(`${apiUrl()}/app/config.json`)).json()).toEqual({
      apiUrl: apiUrl(),
      authority: apiUrl(),
      clientId: 'examlake-local',
      docsUrl: `${apiUrl()}/docs`,
    });
  });

  it('records where it runs, for ingest and token to find it', async () => {
    for (const file of [path.join(dataDir, 'stack.json'), recordPath()]) {
      const record = JSON.parse(await readFile(file, 'utf8'));
      expect(record).toMatchObject({ apiUrl: apiUrl(), dataDir, pid: child!.pid });
      expect(record.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('prints one line per request, and the JSON audit records to the log file', async () => {
    const token = (await tokens()).get('analyst')!;
    await (await fetch(`${apiUrl()}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    await (await fetch(`${apiUrl()}/v1/reports/nope`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    await (await fetch(`${apiUrl()}/v1/reports`, { headers: { authorization: 'Bearer not-a-token' } })).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(out).toMatch(/GET \/v1\/reports → 401 UNAUTHORIZED: no token, or one this API did not issue/);
    expect(out).toMatch(/\d\d:\d\d:\d\d GET \/v1\/me → 200 analyst, \d+ ms/);
    expect(out).toMatch(/GET \/v1\/reports\/nope → 404 analyst, NOT_FOUND: No reportId 'nope' exists/);
    expect(out).not.toMatch(/"log":"audit"/);
    const log = await readFile(path.join(dataDir, 'logs', 'api.jsonl'), 'utf8');
    expect(log).toMatch(/"log":"audit".*"operationId":"putPartnerGrant"/);
  });
});
