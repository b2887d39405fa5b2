import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ROLE_PRECEDENCE, type TokenRole } from '../../../api/auth/idTokenClaims';
import { LocalIssuer, MAX_TTL_SECONDS } from '../../local/identity/LocalIssuer';
import { localStackConfigFromEnv, stackChoiceFromEnv, stackRecordPathFromEnv } from '../env';
import { findRunningStack } from '../stackRecord';

interface TokenFlags {
  role: TokenRole;
  schools?: string[];
  districts?: string[];
  partner?: string;
  ttl: number;
  subject?: string;
  dataDir?: string;
}

/**
 * `examlake token`: mints an ID token from the data dir's local issuer and prints only the token, so it pipes:
 * `curl -H "Authorization: Bearer $(npx examlake token --role analyst)" …`.
 */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      'Mint a local ID token (Cognito-shaped: cognito:groups, custom:school_ids, custom:district_ids, ' +
        'custom:partner_id) signed by the local issuer of the data dir; prints only the token.',
    )
    .addOption(new Option('--role <role>', 'the caller’s group').choices(ROLE_PRECEDENCE).makeOptionMandatory())
    .option('--schools <ids>', 'comma-separated school ids (school_admin)', list)
    .option('--districts <ids>', 'comma-separated district ids (school_admin)', list)
    .option('--partner <id>', 'partner id (partner)')
    .option('--ttl <seconds>', `lifetime in seconds, 1–${MAX_TTL_SECONDS}`, ttl, 3600)
    .option('--subject <sub>', 'the token’s sub (default: a random UUID)')
    .option(
      '--data-dir <dir>',
      'where the issuer’s keys live (env EXAMLAKE_DATA_DIR; default: the data dir of the running stack, else .data)',
    )
    .action(async (flags: TokenFlags) => {
      const dataDir = await issuerDataDir(process.env, flags.dataDir);
      const issuer = await LocalIssuer.open(dataDir);
      const token = await issuer.mint({
        role: flags.role,
        schoolIds: flags.schools,
        districtIds: flags.districts,
        partnerId: flags.partner,
        ttlSeconds: flags.ttl,
        subject: flags.subject,
      });
      process.stdout.write(`${token}\n`);
    });
}

/**
 * The data dir whose issuer signs: `--data-dir` or `EXAMLAKE_DATA_DIR` when given, else the running stack's
 * (its record), else `.data`. A token from keys no API has seen would be refused with 401, so minting into a
 * data dir without keys says so on stderr (stdout stays the token alone).
 */
async function issuerDataDir(env: NodeJS.ProcessEnv, flag: string | undefined): Promise<string> {
  const { dataDir } = localStackConfigFromEnv(env, { dataDir: flag });
  if (stackChoiceFromEnv(env, { dataDir: flag }).dataDir !== undefined) return dataDir;
  const running = await findRunningStack(stackRecordPathFromEnv(env), undefined);
  if (running) return running.dataDir;
  if (!existsSync(path.join(dataDir, 'identity'))) {
    process.stderr.write(
      `No local stack is running and ${dataDir} has no issuer keys yet: an API started on another data dir will ` +
        'refuse this token. Add --data-dir <the data dir of your stack>.\n',
    );
  }
  return dataDir;
}

function list(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new InvalidArgumentError('give at least one id, e.g. SCH-0001,SCH-0002.');
  return ids;
}

function ttl(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAX_TTL_SECONDS) {
    throw new InvalidArgumentError(`give a whole number of seconds from 1 to ${MAX_TTL_SECONDS}.`);
  }
  return seconds;
}
