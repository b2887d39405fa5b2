import { apiConfig, ConfigurationError, loadApiConfig } from '../../../api/config';
import { createApi } from '../../../api/createApi';

const required = {
  EXAMLAKE_CACHE_TABLE: 'cache',
  EXAMLAKE_RUNS_TABLE: 'runs',
  EXAMLAKE_GRANTS_TABLE: 'grants',
  EXAMLAKE_RESULTS_BUCKET: 'results',
  EXAMLAKE_WORKGROUP: 'wg',
  EXAMLAKE_SIGNING_KEY_SECRET_ID: 'examlake/api-signing-key',
};

describe('auth settings', () => {
  it('reads a Cognito user pool and app client', () => {
    const config = loadApiConfig({
      ...required,
      EXAMLAKE_AUTH_MODE: 'cognito',
      EXAMLAKE_USER_POOL_ID: 'eu-west-1_AbC123',
      EXAMLAKE_CLIENT_ID: 'client',
    });
    expect(config.auth).toEqual({ mode: 'cognito', userPoolId: 'eu-west-1_AbC123', clientId: 'client' });
  });

  it('reads the local issuer, its URL named by the local stack (the API has no default issuer)', () => {
    const config = loadApiConfig({
      ...required,
      EXAMLAKE_AUTH_MODE: 'local',
      EXAMLAKE_LOCAL_ISSUER: 'http://localhost/examlake-local',
      EXAMLAKE_CLIENT_ID: 'examlake-local',
      EXAMLAKE_LOCAL_JWKS_FILE: '/data/identity/jwks.json',
    });
    expect(config.auth).toEqual({
      mode: 'local',
      issuer: 'http://localhost/examlake-local',
      clientId: 'examlake-local',
      jwksFile: '/data/identity/jwks.json',
    });
  });

  it.each([
    [{ EXAMLAKE_AUTH_MODE: 'cognito', EXAMLAKE_CLIENT_ID: 'c' }, /Set EXAMLAKE_USER_POOL_ID/],
    [{ EXAMLAKE_AUTH_MODE: 'cognito', EXAMLAKE_USER_POOL_ID: 'eu-west-1_A' }, /Set EXAMLAKE_CLIENT_ID/],
    [
      { EXAMLAKE_AUTH_MODE: 'cognito', EXAMLAKE_USER_POOL_ID: 'pool', EXAMLAKE_CLIENT_ID: 'c' },
      /like us-east-1_AbC123/,
    ],
    [{ EXAMLAKE_AUTH_MODE: 'local', EXAMLAKE_CLIENT_ID: 'c' }, /Set EXAMLAKE_LOCAL_JWKS_FILE/],
    [
      { EXAMLAKE_AUTH_MODE: 'local', EXAMLAKE_CLIENT_ID: 'c', EXAMLAKE_LOCAL_JWKS_FILE: '/j.json' },
      /Set EXAMLAKE_LOCAL_ISSUER/,
    ],
    [{ EXAMLAKE_AUTH_MODE: 'none' }, /EXAMLAKE_AUTH_MODE must be one of cognito, local, got 'none'/],
  ])('fails fast naming the variable for %j', (env, message) => {
    expect(() => loadApiConfig({ ...required, ...env })).toThrow(ConfigurationError);
    expect(() => loadApiConfig({ ...required, ...env })).toThrow(message);
  });

  it('passes explicit auth settings through apiConfig', () => {
    const auth = { mode: 'local', issuer: 'http://i', clientId: 'c', jwksFile: '/j.json' } as const;
    const config = apiConfig({
      cacheTable: 'c',
      runsTable: 'r',
      grantsTable: 'g',
      resultsBucket: 'b',
      workGroup: 'w',
      signingKeySecretId: 'examlake/api-signing-key',
      auth,
    });
    expect(config.auth).toEqual(auth);
  });

  it('refuses to build the API without an auth mode or an injected authenticator', async () => {
    const config = loadApiConfig(required);
    expect(config.auth).toBeUndefined();
    await expect(createApi(config)).rejects.toThrow(/Set EXAMLAKE_AUTH_MODE \(cognito or local\)/);
  });
});
