import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TYPE_FORMATS } from '../../../etl/schemas/columnTypes';
import { DATASETS } from '../../../etl/schemas/datasets';
import { REJECT_REASON_CODES } from '../../../etl/schemas/rejectReasons';
import {
  DATA_DICTIONARY_COMMAND,
  DATA_DICTIONARY_PATH,
  renderDataDictionary,
} from '../../../etl/schemas/renderDataDictionary';

const ROOT = path.resolve(__dirname, '../../..');

describe('renderDataDictionary', () => {
  it(`matches ${DATA_DICTIONARY_PATH}`, async () => {
    const committed = await readFile(path.join(ROOT, DATA_DICTIONARY_PATH), 'utf8').catch(() => '(missing)');
    const rendered = renderDataDictionary();
    if (committed !== rendered) {
      throw new Error(
        `${DATA_DICTIONARY_PATH} is out of date with etl/schemas. Run \`${DATA_DICTIONARY_COMMAND}\` and commit the result.`,
      );
    }
  });

  it('renders the same text every time', () => {
    expect(renderDataDictionary()).toBe(renderDataDictionary());
  });

  it('says how it was generated and not to edit it by hand', () => {
    expect(renderDataDictionary()).toContain(
      `<!-- Generated from etl/schemas by \`${DATA_DICTIONARY_COMMAND}\`. Do not edit by hand. -->`,
    );
  });

  it('documents every reject reason and every value format', () => {
    const text = renderDataDictionary();
    for (const code of REJECT_REASON_CODES)
      expect(text).toMatch(new RegExp(`^\\| \`${code}\` \\| (file|row) \\| \\S`, 'm'));
    expect(text).toContain('Not a reject: `SUPERSEDED`');
    for (const kind of Object.keys(TYPE_FORMATS)) expect(text).toMatch(new RegExp(`^\\| ${kind} \\| \\S`, 'm'));
  });

  it('lists every rule of every dataset', () => {
    const text = renderDataDictionary();
    for (const dataset of Object.values(DATASETS)) {
      for (const rule of dataset.rules) {
        expect(text).toContain(
          `- \`${rule.name}\`: \`${rule.left} ${rule.operator} ${rule.right}\`. ${rule.description}`,
        );
      }
    }
  });

  it('keeps every table row in its columns, escaping pipes in cells', () => {
    const rows = renderDataDictionary()
      .split('\n')
      .filter((line) => line.startsWith('|'));
    for (const row of rows) {
      const cells = row.replace(/\\\|/g, '').split('|').length - 2;
      expect([2, 3, 7]).toContain(cells);
    }
  });
});
