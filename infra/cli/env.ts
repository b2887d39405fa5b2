import { LOCAL_STACK_DEFAULTS, type LocalStackConfig, localStackConfig } from '../local/config';
import { LOCAL_STACK_SETTINGS as S } from '../settings';

/**
 * The CLI's only reader of `process.env`: the local stack's settings (declared in `infra/settings.ts`),
 * validated once. Command-line flags override them.
 */
export function localStackConfigFromEnv(
  env: NodeJS.ProcessEnv,
  flags: { port?: string; dataDir?: string; host?: string } = {},
): LocalStackConfig {
  const port = parsePort(flags.port ?? env[S.port.env], flags.port ? '--port' : S.port.env);
  return localStackConfig({
    host: flags.host ?? env[S.host.env] ?? LOCAL_STACK_DEFAULTS.host,
    port: port ?? LOCAL_STACK_DEFAULTS.port,
    dataDir: flags.dataDir ?? env[S.dataDir.env] ?? LOCAL_STACK_DEFAULTS.dataDir,
    duckdbMemoryLimit: env[S.duckdbMemoryLimit.env] ?? LOCAL_STACK_DEFAULTS.duckdbMemoryLimit,
  });
}

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, got '${value}'.`);
  }
  return port;
}
