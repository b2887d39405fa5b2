import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenVerifier } from '../../../../api/auth/TokenVerifier';
import { LocalIssuer } from '../../../../infra/local/identity/LocalIssuer';
import { formatRoleTokens, roleTokens } from '../../../../infra/local/identity/roleTokens';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-role-tokens-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('roleTokens', () => {
  it('mints one verifiable token per role, scoped to sample-data ids', async () => {
    const issuer = await LocalIssuer.open(dataDir);
    const tokens = await roleTokens(issuer);
    expect(tokens.map((t) => t.role)).toEqual(['school_admin', 'partner', 'analyst', 'steward']);
    const verifier = TokenVerifier.fromConfig(issuer.authConfig());
    const callers = await Promise.all(tokens.map((t) => verifier.authenticate(t.token)));
    expect(callers.map((c) => c.role)).toEqual(['school_admin', 'partner', 'analyst', 'steward']);
    expect(callers[0]!.schoolIds).toEqual(['SCH-0001', 'SCH-0002']);
    expect(callers[1]!.partnerId).toBe('P1');
    const claims = await verifier.verify(tokens[2]!.token);
    expect(claims.exp - claims.iat).toBe(43_200);
  });

  it('prints each role with the command that mints another token like it', async () => {
    const text = formatRoleTokens(await roleTokens(await LocalIssuer.open(dataDir), 60));
    expect(text).toContain('school_admin (npx examlake token --role school_admin --schools SCH-0001,SCH-0002):');
    expect(text).toContain('partner (npx examlake token --role partner --partner P1):');
    expect(text).toContain('steward (npx examlake token --role steward):');
    expect(text.split('\n').filter((line) => /^ {4}[\w-]+\.[\w-]+\.[\w-]+$/.test(line))).toHaveLength(4);
  });
});
