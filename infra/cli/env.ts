import os from 'node:os';
import path from 'node:path';
import {
  GLUE_ENGINES,
  type GlueEngine,
  LOCAL_STACK_DEFAULTS,
  type LocalStackConfig,
  localStackConfig,
} from '../local/config';
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
    athenaQueryTimeoutMs: parseMs(env[S.athenaQueryTimeoutMs.env]) ?? LOCAL_STACK_DEFAULTS.athenaQueryTimeoutMs,
    glueEngine: parseGlueEngine(env[S.glueEngine.env]),
    sparkPython: env[S.sparkPython.env] || LOCAL_STACK_DEFAULTS.sparkPython,
    sparkDriverMemory: parseJvmSize(env[S.sparkDriverMemory.env]) ?? LOCAL_STACK_DEFAULTS.sparkDriverMemory,
    sparkIvyDir: env[S.sparkIvyDir.env] || LOCAL_STACK_DEFAULTS.sparkIvyDir,
  });
}

/** Where `npm start` and `examlake stack` record the running stack for the other commands (`~` expanded). */
export function stackRecordPathFromEnv(env: NodeJS.ProcessEnv): string {
  const configured = env[S.stackRecord.env] || S.stackRecord.default;
  return path.resolve(
    configured === '~' || configured.startsWith('~/') ? path.join(os.homedir(), configured.slice(1)) : configured,
  );
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

function parseMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) {
    throw new Error(`${S.athenaQueryTimeoutMs.env} must be a whole number of milliseconds ≥ 1, got '${value}'.`);
  }
  return ms;
}

function parseGlueEngine(value: string | undefined): GlueEngine {
  if (value === undefined || value === '') return LOCAL_STACK_DEFAULTS.glueEngine;
  const engine = GLUE_ENGINES.find((e) => e === value.trim().toLowerCase());
  if (!engine) throw new Error(`${S.glueEngine.env} must be one of ${GLUE_ENGINES.join(', ')}, got '${value}'.`);
  return engine;
}

function parseJvmSize(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+[kmgt]?$/i.test(value.trim())) {
    throw new Error(`${S.sparkDriverMemory.env} must be a JVM size such as 512m or 2g, got '${value}'.`);
  }
  return value.trim();
}

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, got '${value}'.`);
  }
  return port;
}
