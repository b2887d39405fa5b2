import { API_SETTINGS as S } from './settings';

/** The API's configuration: read from the environment once, at the edge, then passed down frozen. */
export interface ApiConfig {
  readonly cacheTable: string;
  readonly runsTable: string;
  readonly grantsTable: string;
  readonly resultsBucket: string;
  readonly workGroup: string;
  readonly glueDatabase: string;
  readonly signingKeySecretId: string;
  readonly signingKeyMaxAgeSeconds: number;
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
  readonly extractMaxRows: number;
  readonly extractUrlTtlSeconds: number;
  readonly extractDailyRows: number;
  readonly extractDailyBytes: number;
  /** The pseudonym key's secret; undefined: partner extracts are refused (503) until it is set. */
  readonly studentKeySecretId: string | undefined;
  readonly partnerRequestsPerSecond: number;
  readonly partnerBurst: number;
  readonly principalRequestsPerSecond: number;
  readonly principalBurst: number;
  readonly principalMaxInFlight: number;
  readonly openCacheMaxAgeSeconds: number;
  readonly logLevel: string;
  /** The API's public base URL (the served contract's `servers`); undefined: the contract's own. */
  readonly publicUrl: string | undefined;
  /** Base URL of `/oauth2/authorize` and `/oauth2/token` (the served contract's flow); undefined: the contract's. */
  readonly oauthDomainUrl: string | undefined;
  /** Origins allowed to read responses cross-origin; `*` for any. Empty: no CORS headers. */
  readonly corsAllowOrigins: readonly string[];
  /** How tokens are verified; undefined when `EXAMLAKE_AUTH_MODE` is unset (then an authenticator must be injected). */
  readonly auth: AuthConfig | undefined;
}

/** Token verification settings: a Cognito user pool on AWS, the local issuer's JWKS file on one machine. */
export type AuthConfig =
  | { readonly mode: 'cognito'; readonly userPoolId: string; readonly clientId: string }
  | { readonly mode: 'local'; readonly issuer: string; readonly clientId: string; readonly jwksFile: string };

/** The values of `EXAMLAKE_AUTH_MODE`. */
export const AUTH_MODES = ['cognito', 'local'] as const;

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
  return Object.freeze({
    cacheTable: text('cacheTable'),
    runsTable: text('runsTable'),
    grantsTable: text('grantsTable'),
    resultsBucket: text('resultsBucket'),
    workGroup: text('workGroup'),
    glueDatabase: text('glueDatabase'),
    signingKeySecretId: text('signingKeySecretId'),
    signingKeyMaxAgeSeconds: number('signingKeyMaxAgeSeconds', 0, 86_400),
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
    extractMaxRows: number('extractMaxRows', 1),
    extractUrlTtlSeconds: number('extractUrlTtlSeconds', 1, 3600),
    extractDailyRows: number('extractDailyRows', 0),
    extractDailyBytes: number('extractDailyBytes', 0),
    studentKeySecretId: env[S.studentKeySecretId.env]?.trim() || undefined,
    partnerRequestsPerSecond: number('partnerRequestsPerSecond', 0),
    partnerBurst: number('partnerBurst', 1),
    principalRequestsPerSecond: number('principalRequestsPerSecond', 0),
    principalBurst: number('principalBurst', 1),
    principalMaxInFlight: number('principalMaxInFlight', 1),
    openCacheMaxAgeSeconds: number('openCacheMaxAgeSeconds', 0),
    logLevel: text('logLevel'),
    publicUrl: baseUrl(env, 'publicUrl'),
    oauthDomainUrl: baseUrl(env, 'oauthDomainUrl'),
    corsAllowOrigins: corsOrigins(env[S.corsAllowOrigins.env] ?? S.corsAllowOrigins.default),
    auth: authConfig(env, text),
  });
}

/** An optional absolute http(s) URL without query or fragment; a trailing slash is dropped. */
function baseUrl(env: NodeJS.ProcessEnv, key: 'publicUrl' | 'oauthDomainUrl'): string | undefined {
  const value = (env[S[key].env] ?? S[key].default).trim();
  if (value === '') return undefined;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(value)) {
    throw new ConfigurationError(
      `${S[key].env} must be an http(s) URL without query or fragment (e.g. https://api.example.org/api), got '${value}'.`,
    );
  }
  return value.replace(/\/+$/, '');
}

function corsOrigins(value: string): readonly string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      throw new ConfigurationError(
        `${S.corsAllowOrigins.env} must list origins like https://d111.cloudfront.net (or *), got '${origin}'.`,
      );
    }
  }
  return Object.freeze(origins);
}

function authConfig(env: NodeJS.ProcessEnv, text: (key: keyof typeof S) => string): AuthConfig | undefined {
  const mode = env[S.authMode.env];
  if (mode === undefined || mode === '') return undefined;
  if (mode === 'cognito') {
    const userPoolId = text('userPoolId');
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
      throw new ConfigurationError(`${S.userPoolId.env} must look like us-east-1_AbC123, got '${userPoolId}'.`);
    }
    return Object.freeze({ mode, userPoolId, clientId: text('clientId') });
  }
  if (mode === 'local') {
    return Object.freeze({
      mode,
      issuer: text('localIssuer'),
      clientId: text('clientId'),
      jwksFile: text('localJwksFile'),
    });
  }
  throw new ConfigurationError(`${S.authMode.env} must be one of ${AUTH_MODES.join(', ')}, got '${mode}'.`);
}

/** The configuration from explicit values (local gateway, tests), with every default of `API_SETTINGS` applied. */
export function apiConfig(
  values: Partial<ApiConfig> &
    Pick<ApiConfig, 'cacheTable' | 'runsTable' | 'grantsTable' | 'resultsBucket' | 'workGroup' | 'signingKeySecretId'>,
): ApiConfig {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, def] of Object.entries(S)) {
    const value = (values as Record<string, unknown>)[key];
    if (value !== undefined) env[def.env] = String(value);
  }
  const auth = values.auth;
  if (auth) {
    env[S.authMode.env] = auth.mode;
    env[S.clientId.env] = auth.clientId;
    if (auth.mode === 'cognito') env[S.userPoolId.env] = auth.userPoolId;
    else {
      env[S.localIssuer.env] = auth.issuer;
      env[S.localJwksFile.env] = auth.jwksFile;
    }
  }
  return loadApiConfig(env);
}
