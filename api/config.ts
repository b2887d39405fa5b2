import { API_SETTINGS as S } from '../settings/apiSettings';
import { readSettings, type SettingValues, settingDefaults } from '../settings/readSettings';
import { ConfigurationError } from '../settings/Setting';

export { AUTH_MODES } from '../settings/apiSettings';
export { ConfigurationError };

/** The settings `auth` gathers: how tokens are verified. */
type AuthSettingKey = 'authMode' | 'userPoolId' | 'clientId' | 'localIssuer' | 'localJwksFile';

/**
 * The API's configuration: the typed values of `API_SETTINGS` (`settings/apiSettings.ts`), read from the
 * environment once, at the edge, then passed down frozen; the token settings gathered into `auth`.
 */
export type ApiConfig = Omit<SettingValues<typeof S>, AuthSettingKey> & {
  /** How tokens are verified; undefined when `EXAMLAKE_AUTH_MODE` is unset (then an authenticator must be injected). */
  readonly auth: AuthConfig | undefined;
};

/** Token verification settings: a Cognito user pool on AWS, the local issuer's JWKS file on one machine. */
export type AuthConfig =
  | { readonly mode: 'cognito'; readonly userPoolId: string; readonly clientId: string }
  | { readonly mode: 'local'; readonly issuer: string; readonly clientId: string; readonly jwksFile: string };

/** The only reader of `process.env` in the API: validates every setting and fails fast naming the variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const { authMode, userPoolId, clientId, localIssuer, localJwksFile, ...values } = readSettings(S, env);
  const need = (key: AuthSettingKey, value: string | undefined): string => {
    if (value === undefined) throw new ConfigurationError(`Set ${S[key].env}: ${S[key].description}`, S[key].env, true);
    return value;
  };
  let auth: AuthConfig | undefined;
  if (authMode === 'cognito') {
    auth = { mode: authMode, userPoolId: need('userPoolId', userPoolId), clientId: need('clientId', clientId) };
  } else if (authMode === 'local') {
    const jwksFile = need('localJwksFile', localJwksFile);
    auth = { mode: authMode, issuer: need('localIssuer', localIssuer), clientId: need('clientId', clientId), jwksFile };
  }
  return Object.freeze({ ...values, auth: auth && Object.freeze(auth) });
}

/** The settings without a default: what explicit configurations must name. */
type RequiredKey = 'cacheTable' | 'runsTable' | 'grantsTable' | 'resultsBucket' | 'workGroup' | 'signingKeySecretId';

/**
 * The configuration from explicit typed values (local gateway, tests), every default of `API_SETTINGS` applied
 * to the rest: no environment in between.
 */
export function apiConfig(values: Partial<ApiConfig> & Pick<ApiConfig, RequiredKey>): ApiConfig {
  const { authMode, userPoolId, clientId, localIssuer, localJwksFile, ...defaults } = settingDefaults(S);
  // A value given as undefined keeps the default, as an unset variable would.
  const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...defaults, auth: undefined, ...given } as ApiConfig);
}
