import path from 'node:path';
import { LOCAL_STACK_SETTINGS as S } from '../../settings/localStackSettings';
import { readSettings } from '../../settings/readSettings';
import { expandHome, type LocalStackConfig, localStackConfig } from '../local/config';

/**
 * The CLI's only reader of `process.env`: the local stack's settings (declared in
 * `settings/localStackSettings.ts`), parsed once by their declarations. Command-line flags override them.
 */
export function localStackConfigFromEnv(
  env: NodeJS.ProcessEnv,
  flags: { port?: string; dataDir?: string; host?: string } = {},
): LocalStackConfig {
  const { stackRecord: _record, ...values } = readSettings(S, env);
  return localStackConfig({
    ...values,
    ...(flags.port !== undefined ? { port: S.port.parse(flags.port, '--port') } : {}),
    ...(flags.host !== undefined ? { host: S.host.parse(flags.host, '--host') } : {}),
    ...(flags.dataDir !== undefined ? { dataDir: S.dataDir.parse(flags.dataDir, '--data-dir') } : {}),
  });
}

/** Where `npm start` and `examlake stack` record the running stack for the other commands (`~` expanded). */
export function stackRecordPathFromEnv(env: NodeJS.ProcessEnv): string {
  return path.resolve(expandHome(S.stackRecord.parse(env[S.stackRecord.env])));
}

/**
 * Where the user told the CLI the stack is, if they did: `--port` or `EXAMLAKE_STACK_PORT` (on the configured
 * host), else `AWS_ENDPOINT_URL`; and the data dir they named (`--data-dir`, `EXAMLAKE_DATA_DIR`).
 */
export function stackChoiceFromEnv(
  env: NodeJS.ProcessEnv,
  flags: { port?: string; dataDir?: string } = {},
): { endpoint: string | undefined; dataDir: string | undefined; defaultEndpoint: string } {
  const config = localStackConfigFromEnv(env, flags);
  const byPort = flags.port !== undefined || Boolean(env[S.port.env]);
  const endpoint = byPort ? `http://${config.host}:${config.port}` : env['AWS_ENDPOINT_URL'] || undefined;
  const dataDir = flags.dataDir ?? (env[S.dataDir.env] || undefined);
  return { endpoint, dataDir, defaultEndpoint: `http://${config.host}:${config.port}` };
}
