import os from 'node:os';
import path from 'node:path';
import { GLUE_ENGINES, type GlueEngine, LOCAL_STACK_SETTINGS as S } from '../../settings/localStackSettings';

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
  /** Longest one Athena query may run before it is CANCELLED, in milliseconds. @default 300000 */
  readonly athenaQueryTimeoutMs: number;
  /**
   * Length of one minute of a Glue job's `Timeout` (which Glue counts in minutes), in milliseconds. A run times
   * out after `Timeout × glueMinuteMs`; an aborted run that does not settle is ended one such minute later.
   * @default 60000
   */
  readonly glueMinuteMs: number;
  /**
   * What the transform job's runs execute: the DuckDB transform, or the AWS job script under spark-submit
   * (`infra/local/glue/spark/`). With `spark` the stack checks Python, PySpark and Java when it starts.
   * @default 'duckdb'
   */
  readonly glueEngine: GlueEngine;
  /** Python with PySpark (etl/glue/requirements.txt), for the spark engine; resolved to an absolute path. @default '.venv/bin/python' */
  readonly sparkPython: string;
  /** `--driver-memory` of a spark-engine run. @default '1g' */
  readonly sparkDriverMemory: string;
  /** Ivy cache for the s3a connector jars (`~` is the home directory). @default '~/.cache/examlake/spark-ivy' */
  readonly sparkIvyDir: string;
}

export { GLUE_ENGINES, type GlueEngine };

/** The stack's defaults: those of its settings (`settings/localStackSettings.ts`), and fixed ARN parts and limits. */
export const LOCAL_STACK_DEFAULTS: LocalStackConfig = Object.freeze({
  host: S.host.parse(undefined),
  port: S.port.parse(undefined),
  dataDir: S.dataDir.parse(undefined),
  region: 'us-east-1',
  accountId: '000000000000',
  duckdbMemoryLimit: S.duckdbMemoryLimit.parse(undefined),
  athenaConcurrentQueries: 2,
  athenaQueryTimeoutMs: S.athenaQueryTimeoutMs.parse(undefined),
  glueMinuteMs: 60_000,
  glueEngine: S.glueEngine.parse(undefined),
  sparkPython: S.sparkPython.parse(undefined),
  sparkDriverMemory: S.sparkDriverMemory.parse(undefined),
  sparkIvyDir: S.sparkIvyDir.parse(undefined),
});

/** Access key id and secret the local stack accepts; the same as LocalStack's, so existing habits work. */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'test', secretAccessKey: 'test' });

export function localStackConfig(overrides: Partial<LocalStackConfig> = {}): LocalStackConfig {
  const config = { ...LOCAL_STACK_DEFAULTS, ...overrides };
  if (!GLUE_ENGINES.includes(config.glueEngine)) {
    throw new Error(`The Glue engine must be one of ${GLUE_ENGINES.join(', ')}, got '${config.glueEngine}'.`);
  }
  return Object.freeze({
    ...config,
    dataDir: path.resolve(config.dataDir),
    sparkPython: path.resolve(expandHome(config.sparkPython)),
    sparkIvyDir: path.resolve(expandHome(config.sparkIvyDir)),
  });
}

/** A path with a leading `~` taken as the home directory. */
export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}
