import { apiConfig, loadApiConfig } from '../../api/config';
import { API_SETTINGS } from '../../settings/apiSettings';
import { readSettings, settingDefaults, settingsEnvironment } from '../../settings/readSettings';
import { ConfigurationError, integer, list, oneOf, requiredText, text } from '../../settings/Setting';

const GROUP = {
  table: requiredText({ env: 'T_TABLE', unit: 'DynamoDB table name', description: 'The table.' }),
  waitMs: integer({ env: 'T_WAIT_MS', default: '100', min: 0, max: 1000, unit: 'ms', description: 'How long.' }),
  mode: oneOf({ env: 'T_MODE', default: 'fast', values: ['fast', 'slow'], unit: 'fast|slow', description: 'How.' }),
  name: text({ env: 'T_NAME', default: 'x', unit: 'name', description: 'A name.' }),
  origins: list({
    env: 'T_ORIGINS',
    default: '',
    item: /^https:\/\/\S+$/,
    like: 'https origins',
    unit: 'origins',
    description: 'Who.',
  }),
};

describe('the settings registry', () => {
  it('parses a group once into typed values, defaults for unset or blank variables', () => {
    expect(
      readSettings(GROUP, {
        T_TABLE: 'cache',
        T_WAIT_MS: ' 250 ',
        T_MODE: 'SLOW',
        T_NAME: '  ',
        T_ORIGINS: 'https://a, https://b',
      }),
    ).toEqual({
      table: 'cache',
      waitMs: 250,
      mode: 'slow',
      name: 'x',
      origins: ['https://a', 'https://b'],
    });
  });

  it.each([
    [{}, 'Set T_TABLE: The table.', true],
    [{ T_TABLE: 't', T_WAIT_MS: '1001' }, "T_WAIT_MS must be an integer between 0 and 1000 (ms), got '1001'.", false],
    [{ T_TABLE: 't', T_MODE: 'medium' }, "T_MODE must be one of fast, slow, got 'medium'.", false],
    [{ T_TABLE: 't', T_ORIGINS: 'http://a' }, "T_ORIGINS must list https origins, got 'http://a'.", false],
  ])('refuses %j naming the variable', (env, message, missing) => {
    const err = (() => {
      try {
        readSettings(GROUP, env);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ message, missing });
  });

  it('names a command-line flag that overrides a variable in its message', () => {
    expect(() => GROUP.waitMs.parse('-1', '--wait')).toThrow(
      "--wait must be an integer between 0 and 1000 (ms), got '-1'.",
    );
  });

  it('gives the typed defaults, and the environment that yields given values', () => {
    expect(settingDefaults(GROUP)).toEqual({ waitMs: 100, mode: 'fast', name: 'x', origins: [] });
    const env = settingsEnvironment(GROUP, { table: 'cache', waitMs: 5 });
    expect(env).toEqual({ T_TABLE: 'cache', T_WAIT_MS: '5' });
    expect(readSettings(GROUP, env)).toMatchObject({ table: 'cache', waitMs: 5 });
  });

  it('builds the API configuration from typed values with the declared defaults, as from an environment', () => {
    const names = {
      cacheTable: 'c',
      runsTable: 'r',
      grantsTable: 'g',
      resultsBucket: 'b',
      workGroup: 'w',
      signingKeySecretId: 's',
    };
    const env = settingsEnvironment(API_SETTINGS, names);
    expect(apiConfig({ ...names, queryWaitMs: undefined })).toEqual(loadApiConfig(env));
    expect(apiConfig(names).glueDatabase).toBe('examlake');
  });
});
