import { ETL_SETTINGS } from '../../settings/etlSettings';
import { readSettings, type SettingValues, settingsEnvironment } from '../../settings/readSettings';
import { ConfigurationError } from '../../settings/Setting';

/** Names of the resources the ETL handlers and the transform job use: read from the environment once. */
export type EtlConfig = SettingValues<typeof ETL_SETTINGS>;

/** Environment variable of each setting. */
export const ETL_ENV = Object.freeze(
  Object.fromEntries(Object.entries(ETL_SETTINGS).map(([key, setting]) => [key, setting.env])) as {
    readonly [K in keyof typeof ETL_SETTINGS]: (typeof ETL_SETTINGS)[K]['env'];
  },
);

/** A setting is missing: the message names the variable. */
export class EtlConfigurationError extends ConfigurationError {
  override readonly name = 'EtlConfigurationError';
}

/** Reads and validates the ETL configuration (`settings/etlSettings.ts`); fails fast naming the first missing variable. */
export function loadEtlConfig(env: NodeJS.ProcessEnv): EtlConfig {
  try {
    return readSettings(ETL_SETTINGS, env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    const key = Object.keys(ETL_ENV).find((k) => ETL_ENV[k as keyof typeof ETL_ENV] === err.variable);
    throw new EtlConfigurationError(
      err.missing ? `Set ${err.variable} (the ${key} the ETL uses).` : err.message,
      err.variable,
      err.missing,
    );
  }
}

/** The environment that yields a configuration: what the CDK stack and `wireEtl` set on the handlers. */
export function etlEnvironment(config: EtlConfig): Record<string, string> {
  return settingsEnvironment(ETL_SETTINGS, config);
}
