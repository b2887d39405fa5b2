/** Names of the resources the ETL handlers and the transform job use: read from the environment once. */
export interface EtlConfig {
  readonly rawBucket: string;
  readonly curatedBucket: string;
  readonly runsTable: string;
  readonly glueDatabase: string;
  readonly transformJob: string;
}

/** Environment variable of each setting (set by the CDK stack on AWS, by `wireEtl` locally). */
export const ETL_ENV = Object.freeze({
  rawBucket: 'EXAMLAKE_RAW_BUCKET',
  curatedBucket: 'EXAMLAKE_CURATED_BUCKET',
  runsTable: 'EXAMLAKE_RUNS_TABLE',
  glueDatabase: 'EXAMLAKE_GLUE_DATABASE',
  transformJob: 'EXAMLAKE_TRANSFORM_JOB',
} as const satisfies Record<keyof EtlConfig, string>);

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
