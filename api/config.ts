import { API_SETTINGS as S } from './settings';

/** The API's configuration: read from the environment once, at the edge, then passed down frozen. */
export interface ApiConfig {
  readonly cacheTable: string;
  readonly runsTable: string;
  readonly grantsTable: string;
  readonly resultsBucket: string;
  readonly workGroup: string;
  readonly glueDatabase: string;
  readonly signingSecret: string;
  readonly queryWaitMs: number;
  readonly pollIntervalMs: number;
  readonly resultTtlSeconds: number;
  readonly failureBackoffSeconds: number;
  readonly leaseSeconds: number;
  readonly runningLeaseSeconds: number;
  readonly dataVersionTtlMs: number;
  readonly maxResultRows: number;
  readonly pageCacheBytes: number;
  readonly minimumCellSize: number;
  readonly grantCacheTtlSeconds: number;
  readonly partnerRequestsPerSecond: number;
  readonly partnerBurst: number;
  readonly openCacheMaxAgeSeconds: number;
  readonly logLevel: string;
}

/** Thrown when a setting is missing or malformed; names the variable. */
export class ConfigurationError extends Error {}

/** The only reader of `process.env` in the API: validates every setting and fails fast naming the variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const text = (key: keyof typeof S): string => {
    const value = env[S[key].env] ?? S[key].default;
    if (value === undefined || value === '') throw new ConfigurationError(`Set ${S[key].env}: ${S[key].description}`);
    return value;
  };
  const number = (key: keyof typeof S, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = text(key);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
      throw new ConfigurationError(`${S[key].env} must be an integer ${range} (${S[key].unit}), got '${raw}'.`);
    }
    return value;
  };
  const signingSecret = text('signingSecret');
  if (signingSecret.length < 32) throw new ConfigurationError(`${S.signingSecret.env} must be at least 32 characters.`);
  return Object.freeze({
    cacheTable: text('cacheTable'),
    runsTable: text('runsTable'),
    grantsTable: text('grantsTable'),
    resultsBucket: text('resultsBucket'),
    workGroup: text('workGroup'),
    glueDatabase: text('glueDatabase'),
    signingSecret,
    queryWaitMs: number('queryWaitMs', 0),
    pollIntervalMs: number('pollIntervalMs', 1),
    resultTtlSeconds: number('resultTtlSeconds', 1),
    failureBackoffSeconds: number('failureBackoffSeconds', 0),
    leaseSeconds: number('leaseSeconds', 1),
    runningLeaseSeconds: number('runningLeaseSeconds', 1),
    dataVersionTtlMs: number('dataVersionTtlMs', 0),
    maxResultRows: number('maxResultRows', 1),
    pageCacheBytes: number('pageCacheBytes', 0),
    minimumCellSize: number('minimumCellSize', 1),
    grantCacheTtlSeconds: number('grantCacheTtlSeconds', 0, 60),
    partnerRequestsPerSecond: number('partnerRequestsPerSecond', 0),
    partnerBurst: number('partnerBurst', 1),
    openCacheMaxAgeSeconds: number('openCacheMaxAgeSeconds', 0),
    logLevel: text('logLevel'),
  });
}

/** The configuration from explicit values (local gateway, tests), with every default of `API_SETTINGS` applied. */
export function apiConfig(
  values: Partial<ApiConfig> &
    Pick<ApiConfig, 'cacheTable' | 'runsTable' | 'grantsTable' | 'resultsBucket' | 'workGroup' | 'signingSecret'>,
): ApiConfig {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, def] of Object.entries(S)) {
    const value = (values as Record<string, unknown>)[key];
    if (value !== undefined) env[def.env] = String(value);
  }
  return loadApiConfig(env);
}
