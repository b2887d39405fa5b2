import type { SettingDefinition } from '../schemas/SettingDefinition';

/** Names of the resources the ETL handlers and the transform job use: read from the environment once. */
export interface EtlConfig {
  readonly rawBucket: string;
  readonly curatedBucket: string;
  readonly runsTable: string;
  readonly glueDatabase: string;
  readonly transformJob: string;
}

/**
 * Settings of the ETL handlers and the Glue job, declared once (rendered into docs/settings.md). All required:
 * the CDK stack sets them on the functions and the job, `wireEtl` passes the local names.
 */
export const ETL_SETTINGS = {
  rawBucket: {
    env: 'EXAMLAKE_RAW_BUCKET',
    default: undefined,
    unit: 'S3 bucket name',
    description:
      'Where the exam platform delivers CSV exports (`<dataset>/…csv`); its Object Created events start runs.',
  },
  curatedBucket: {
    env: 'EXAMLAKE_CURATED_BUCKET',
    default: undefined,
    unit: 'S3 bucket name',
    description: 'Curated Parquet versions (`<dataset>/v=<runId>/`) and the rejects of each run (`_rejects/`).',
  },
  runsTable: {
    env: 'EXAMLAKE_RUNS_TABLE',
    default: undefined,
    unit: 'DynamoDB table name',
    description: 'Bookmarks of processed raw objects (key and ETag), run summaries and the pending-run marker.',
  },
  glueDatabase: {
    env: 'EXAMLAKE_GLUE_DATABASE',
    default: undefined,
    unit: 'Glue database',
    description: 'Database of the dataset tables the job commits new versions to.',
  },
  transformJob: {
    env: 'EXAMLAKE_TRANSFORM_JOB',
    default: undefined,
    unit: 'Glue job name',
    description: 'The transform job the ingest trigger starts.',
  },
} as const satisfies Record<keyof EtlConfig, SettingDefinition>;

/** Environment variable of each setting. */
export const ETL_ENV = Object.freeze(
  Object.fromEntries(Object.entries(ETL_SETTINGS).map(([key, setting]) => [key, setting.env])) as {
    readonly [K in keyof typeof ETL_SETTINGS]: (typeof ETL_SETTINGS)[K]['env'];
  },
);

/** A setting is missing: the message names the variable. */
export class EtlConfigurationError extends Error {
  readonly code = 'ETL_CONFIGURATION';
  constructor(message: string) {
    super(message);
    this.name = 'EtlConfigurationError';
  }
}

/** Reads and validates the ETL configuration; fails fast naming the first missing variable. */
export function loadEtlConfig(env: NodeJS.ProcessEnv): EtlConfig {
  const entries = Object.entries(ETL_ENV).map(([key, name]) => {
    const value = env[name]?.trim();
    if (!value) throw new EtlConfigurationError(`Set ${name} (the ${key} the ETL uses).`);
    return [key, value] as const;
  });
  return Object.freeze(Object.fromEntries(entries) as unknown as EtlConfig);
}

/** The environment that yields a configuration: what the CDK stack and `wireEtl` set on the handlers. */
export function etlEnvironment(config: EtlConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(ETL_ENV).map(([key, name]) => [name, config[key as keyof EtlConfig]]));
}
