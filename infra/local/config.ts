import path from 'node:path';

/** Settings of the local stack. Built once at the edge (CLI or test setup) and passed down frozen. */
export interface LocalStackConfig {
  /** Interface the edge endpoint binds to. @default '127.0.0.1' */
  readonly host: string;
  /** Port of the edge endpoint; 0 picks a free port (tests). @default 4566 */
  readonly port: number;
  /** Directory holding every service's state. @default '.data' */
  readonly dataDir: string;
  /** Region reported in ARNs and events. @default 'us-east-1' */
  readonly region: string;
  /** Account id reported in ARNs and events. @default '000000000000' */
  readonly accountId: string;
  /** Memory DuckDB may use for one Athena query or Glue job before spilling to disk. @default '1GB' */
  readonly duckdbMemoryLimit: string;
  /** Athena queries executed at once; further queries wait in QUEUED. @default 2 */
  readonly athenaConcurrentQueries: number;
  /**
   * Length of one minute of a Glue job's `Timeout` (which Glue counts in minutes), in milliseconds. A run times
   * out after `Timeout × glueMinuteMs`; an aborted run that does not settle is ended one such minute later.
   * @default 60000
   */
  readonly glueMinuteMs: number;
}

export const LOCAL_STACK_DEFAULTS: LocalStackConfig = Object.freeze({
  host: '127.0.0.1',
  port: 4566,
  dataDir: '.data',
  region: 'us-east-1',
  accountId: '000000000000',
  duckdbMemoryLimit: '1GB',
  athenaConcurrentQueries: 2,
  glueMinuteMs: 60_000,
});

/** Access key id and secret the local stack accepts; the same as LocalStack's, so existing habits work. */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'test', secretAccessKey: 'test' });

export function localStackConfig(overrides: Partial<LocalStackConfig> = {}): LocalStackConfig {
  const config = { ...LOCAL_STACK_DEFAULTS, ...overrides };
  return Object.freeze({ ...config, dataDir: path.resolve(config.dataDir) });
}
