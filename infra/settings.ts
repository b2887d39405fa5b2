import type { SettingDefinition } from '../etl/schemas/SettingDefinition';

export type { SettingDefinition };

/** Settings of the local stack and the CLI. */
export const LOCAL_STACK_SETTINGS = {
  host: {
    env: 'EXAMLAKE_STACK_HOST',
    default: '127.0.0.1',
    unit: 'host',
    description: 'Interface the local stack edge endpoint binds to.',
  },
  port: {
    env: 'EXAMLAKE_STACK_PORT',
    default: '4566',
    unit: 'port',
    description: 'Port of the local stack edge endpoint (S3, DynamoDB, Glue, Athena). `--port` overrides it.',
  },
  dataDir: {
    env: 'EXAMLAKE_DATA_DIR',
    default: '.data',
    unit: 'path',
    description: 'Directory holding all local state: objects, tables, catalog, job runs, query history, secrets.',
  },
  duckdbMemoryLimit: {
    env: 'EXAMLAKE_DUCKDB_MEMORY_LIMIT',
    default: '1GB',
    unit: 'DuckDB size (e.g. 512MB, 2GB)',
    description: 'Memory one DuckDB engine (local Athena, local Glue job) may use before spilling to disk.',
  },
} as const satisfies Record<string, SettingDefinition>;
