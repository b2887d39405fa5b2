import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TokenVerifier } from '../../../../api/auth/TokenVerifier';
import { writeStackRecord } from '../../../../infra/cli/stackRecord';
import { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../../bin/examlake.js');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-token-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'token', ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('examlake token', () => {
  it('prints only a token the API verifies, for each way of naming a scope', async () => {
    const [admin, partner, bad, missing] = await Promise.all([
      cli('--role', 'school_admin', '--schools', 'SCH-0001,SCH-0002', '--districts', 'DIS-01', '--ttl', '600'),
      cli('--role', 'partner', '--partner', 'P1'),
      cli('--role', 'partner'),
      cli('--schools', 'S1'),
    ]);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = TokenVerifier.fromConfig((await LocalIssuer.open(dataDir)).authConfig());
    const caller = await verifier.authenticate(admin.stdout.trim());
    expect(caller).toMatchObject({
      role: 'school_admin',
      schoolIds: ['SCH-0001', 'SCH-0002'],
      districtIds: ['DIS-01'],
    });
    const claims = await verifier.verify(admin.stdout.trim());
    expect(claims.exp - claims.iat).toBe(600);
    expect(await verifier.authenticate(partner.stdout.trim())).toMatchObject({ role: 'partner', partnerId: 'P1' });

    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('A partner token needs a partner id (e.g. --partner P1).');
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain("required option '--role <role>' not specified");
  });
});

describe('examlake token without --data-dir', () => {
  it('signs with the keys of the running stack’s data dir, as its record names it', async () => {
    const recordPath = path.join(dataDir, 'record.json');
    const stackDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-token-stack-'));
    const remove = await writeStackRecord(
      { endpoint: 'http://127.0.0.1:1', apiUrl: null, dataDir: stackDir, region: 'us-east-1' },
      recordPath,
    );
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, EXAMLAKE_STACK_RECORD: recordPath };
      delete env['EXAMLAKE_DATA_DIR'];
      const { stdout } = await run(process.execPath, [bin, 'token', '--role', 'analyst'], { env, cwd: stackDir });
      const verifier = TokenVerifier.fromConfig((await LocalIssuer.open(stackDir)).authConfig());
      expect(await verifier.authenticate(stdout.trim())).toMatchObject({ role: 'analyst' });
    } finally {
      await remove();
      await rm(stackDir, { recursive: true, force: true });
    }
  });
});
