import { readdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HEALTH_PATH } from '../../../infra/local/edge/EdgeServer';
import { isLoopbackHost } from '../../../infra/local/edge/loopbackHost';
import { type ApiTestStack, startApiTestStack } from '../../api/support/startApiTestStack';

/**
 * The local stack against a web page on the same machine (DNS rebinding: the page's name resolves to 127.0.0.1,
 * its requests carry its own Host) and against other users of the machine (the data dir holds raw exports with
 * names): other Host names are refused by the edge and the API gateway, and everything written is owner-only.
 */
let t: ApiTestStack;

beforeAll(async () => {
  t = await startApiTestStack();
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** One GET with exactly this Host header (fetch would set its own), resolving to the status line and body. */
function getWithHost(base: string, pathname: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('end', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body });
    });
    socket.on('error', reject);
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

describe('local stack hardening', () => {
  it('answers only Host headers of loopback names, at the edge and at the API gateway', async () => {
    for (const [base, pathname] of [
      [t.stack.endpoint, HEALTH_PATH],
      [t.url, '/v1/health'],
    ] as const) {
      const port = new URL(base).port;
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
        expect({ host, status: (await getWithHost(base, pathname, host)).status }).toEqual({ host, status: 200 });
      }
      for (const host of [
        `attacker.example:${port}`,
        'attacker.example',
        `localhost.attacker.example:${port}`,
        '127.0.0.2',
      ]) {
        const refused = await getWithHost(base, pathname, host);
        expect({ host, status: refused.status }).toEqual({ host, status: 403 });
        expect(refused.body).toContain('DNS rebinding');
      }
    }
  });

  it('recognises loopback names with any port, and the bound address when it is a specific one', () => {
    expect(isLoopbackHost('LOCALHOST:3000')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('examlake-raw.localhost:4566')).toBe(true);
    expect(isLoopbackHost('localhost.attacker.example')).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
    expect(isLoopbackHost('localhost:3000@attacker.example')).toBe(false);
    expect(isLoopbackHost('192.168.1.5:4566', '192.168.1.5')).toBe(true);
    expect(isLoopbackHost('attacker.example:4566', '0.0.0.0')).toBe(false);
  });

  it('writes every data file owner-only (0600) in owner-only directories (0700)', async () => {
    const s3 = new S3Client({ ...t.stack.clientConfig, forcePathStyle: true });
    const athena = new AthenaClient(t.stack.clientConfig);
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: 'examlake-raw', Key: 'exam_results/names.csv', Body: 'student_name\nAda\n' }),
      );
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({ QueryString: 'SELECT 1 AS one', WorkGroup: 'examlake' }),
      );
      for (;;) {
        const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        if (!['QUEUED', 'RUNNING'].includes(QueryExecution?.Status?.State ?? '')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      s3.destroy();
      athena.destroy();
    }
    // Let the batched history writes land.
    await new Promise((r) => setTimeout(r, 400));
    const open: string[] = [];
    let files = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const mode = (await stat(full)).mode;
        if ((mode & 0o077) !== 0) open.push(`${path.relative(t.stack.dataDir, full)} ${(mode & 0o777).toString(8)}`);
        if (entry.isDirectory()) await walk(full);
        else files += 1;
      }
    };
    expect(((await stat(t.stack.dataDir)).mode & 0o777).toString(8)).toBe('700');
    await walk(t.stack.dataDir);
    expect(files).toBeGreaterThan(5);
    expect(open).toEqual([]);
  });
});
