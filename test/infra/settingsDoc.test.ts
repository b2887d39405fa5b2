import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSettings, SETTING_GROUPS, SETTINGS_DOC_COMMAND, SETTINGS_DOC_PATH } from '../../infra/renderSettings';
import { API_SETTINGS } from '../../settings/apiSettings';
import { ETL_SETTINGS } from '../../settings/etlSettings';

const ROOT = path.resolve(__dirname, '../..');

describe('docs/settings.md', () => {
  it('is the rendering of the setting declarations', () => {
    const current = readFileSync(path.join(ROOT, SETTINGS_DOC_PATH), 'utf8');
    if (current !== renderSettings()) {
      throw new Error(`${SETTINGS_DOC_PATH} is out of date: run ${SETTINGS_DOC_COMMAND}`);
    }
  });

  it('declares every setting with a unit and a description, and a shared variable with one unit', () => {
    const units = new Map<string, string>();
    for (const group of SETTING_GROUPS) {
      const names = Object.values(group.settings).map((s) => s.env);
      expect(new Set(names).size).toBe(names.length);
      for (const setting of Object.values(group.settings)) {
        expect(setting.unit.length).toBeGreaterThan(0);
        expect(setting.description.length).toBeGreaterThan(10);
        // The API and the ETL both name the runs table and the Glue database: one resource, one meaning.
        expect([setting.env, units.get(setting.env) ?? setting.unit]).toEqual([setting.env, setting.unit]);
        units.set(setting.env, setting.unit);
      }
    }
  });

  it('declares a variable two groups read once: the same declaration, so one default and one parser', () => {
    const declarations = new Map<string, unknown>();
    for (const group of SETTING_GROUPS) {
      for (const setting of Object.values(group.settings)) {
        expect([setting.env, declarations.get(setting.env) ?? setting]).toEqual([setting.env, setting]);
        expect(declarations.get(setting.env) ?? setting).toBe(setting);
        declarations.set(setting.env, setting);
      }
    }
    expect(API_SETTINGS.runsTable).toBe(ETL_SETTINGS.runsTable);
    expect(API_SETTINGS.glueDatabase).toBe(ETL_SETTINGS.glueDatabase);
    expect(ETL_SETTINGS.glueDatabase.parse(undefined)).toBe('examlake');
  });

  it('is read by each reader module through the declarations, never by a literal variable name', () => {
    for (const group of SETTING_GROUPS) {
      const reader = readFileSync(path.join(ROOT, group.readBy), 'utf8');
      // One typed parse per group (`readSettings`), so every declared setting is read and none is spelled twice.
      expect([group.readBy, /\breadSettings\(/.test(reader)]).toEqual([group.readBy, true]);
      for (const setting of Object.values(group.settings)) expect(reader).not.toContain(`'${setting.env}'`);
    }
  });
});
