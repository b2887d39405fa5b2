import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSettings, SETTING_GROUPS, SETTINGS_DOC_COMMAND, SETTINGS_DOC_PATH } from '../../infra/renderSettings';

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

  it('names only variables its reader module reads', () => {
    for (const group of SETTING_GROUPS) {
      const reader = readFileSync(path.join(ROOT, group.readBy), 'utf8');
      // Readers go through the declarations (`S.<key>.env` or a key of the declaration object), never a literal name.
      for (const key of Object.keys(group.settings)) {
        expect(reader).toMatch(new RegExp(`\\b${key}\\b`));
      }
    }
  });
});
