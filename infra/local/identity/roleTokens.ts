import type { TokenRole } from '../../../api/auth/idTokenClaims';
import type { LocalIssuer, MintRequest } from './LocalIssuer';

/**
 * One sample caller per role, scoped to ids the sample-data generator produces (`SCH-0001`, `DIS-01`), so the
 * tokens `npm start` prints return rows at once.
 */
export const SAMPLE_CALLERS = {
  school_admin: { role: 'school_admin', schoolIds: ['SCH-0001', 'SCH-0002'] },
  partner: { role: 'partner', partnerId: 'P1' },
  analyst: { role: 'analyst' },
  steward: { role: 'steward' },
} as const satisfies Record<TokenRole, MintRequest>;

/** A minted sample token and the CLI command that mints the same kind again. */
export interface RoleToken {
  readonly role: TokenRole;
  readonly token: string;
  readonly command: string;
}

/**
 * Mints one token per role for {@link SAMPLE_CALLERS}.
 * @param ttlSeconds lifetime of each token. @default 43200 (12 hours)
 */
export async function roleTokens(issuer: LocalIssuer, ttlSeconds = 43_200): Promise<RoleToken[]> {
  return Promise.all(
    Object.values(SAMPLE_CALLERS).map(async (caller) => ({
      role: caller.role,
      token: await issuer.mint({ ...caller, ttlSeconds }),
      command: commandFor(caller),
    })),
  );
}

/** The tokens as `npm start` prints them: role, the command to mint another, then the token on its own line. */
export function formatRoleTokens(tokens: readonly RoleToken[]): string {
  const lines = ['Bearer tokens, one per role (Authorization: Bearer <token>; in Swagger UI: Authorize):'];
  for (const { role, token, command } of tokens) lines.push(`  ${role} (${command}):`, `    ${token}`);
  return lines.join('\n');
}

function commandFor(caller: MintRequest): string {
  const parts = ['npx examlake token', `--role ${caller.role}`];
  if (caller.schoolIds?.length) parts.push(`--schools ${caller.schoolIds.join(',')}`);
  if (caller.districtIds?.length) parts.push(`--districts ${caller.districtIds.join(',')}`);
  if (caller.partnerId) parts.push(`--partner ${caller.partnerId}`);
  return parts.join(' ');
}
