import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TokenVerifier } from '../../../../api/auth/TokenVerifier';
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
      cli('--role', 'school_admin', '--schools', 'S0001,S0002', '--districts', 'D01', '--ttl', '600'),
      cli('--role', 'partner', '--partner', 'P1'),
      cli('--role', 'partner'),
      cli('--schools', 'S1'),
    ]);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = TokenVerifier.fromConfig((await LocalIssuer.open(dataDir)).authConfig());
    const caller = await verifier.authenticate(admin.stdout.trim());
    expect(caller).toMatchObject({ role: 'school_admin', schoolIds: ['S0001', 'S0002'], districtIds: ['D01'] });
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
