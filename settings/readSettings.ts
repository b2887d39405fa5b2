import type { Setting, SettingValue } from './Setting';

/** A group of declared settings, keyed by the name the code uses. */
export type SettingGroup = Readonly<Record<string, Setting<unknown>>>;

/** The typed values of a group. */
export type SettingValues<G extends SettingGroup> = { readonly [K in keyof G]: SettingValue<G[K]> };

/**
 * Parses every setting of a group from an environment, once, in declaration order: the first missing or malformed
 * one throws a `ConfigurationError` naming its variable. The result is frozen.
 */
export function readSettings<G extends SettingGroup>(group: G, env: NodeJS.ProcessEnv): SettingValues<G> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(group)) values[key] = setting.parse(env[setting.env]);
  return Object.freeze(values) as SettingValues<G>;
}

/** The typed defaults of the settings of a group that have one (those without are left out). */
export function settingDefaults<G extends SettingGroup>(group: G): Partial<SettingValues<G>> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(group)) {
    if (setting.default !== undefined) values[key] = setting.parse(undefined);
  }
  return Object.freeze(values) as Partial<SettingValues<G>>;
}

/** The environment that yields the given values of a group (what the CDK app and the local wiring set). */
export function settingsEnvironment<G extends SettingGroup>(
  group: G,
  values: { readonly [K in keyof G]?: string | number | undefined },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, setting] of Object.entries(group)) {
    const value = values[key];
    if (value !== undefined) env[setting.env] = String(value);
  }
  return env;
}
