import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { BAD_ROW_KINDS } from '../../../etl/generate/badRowKinds';
import { registerGenerateCommand } from '../../../infra/cli/commands/generate';

const DOC = path.resolve(__dirname, '../../../docs/sample-data.md');

describe('docs/sample-data.md', () => {
  let text: string;

  beforeAll(async () => {
    text = await readFile(DOC, 'utf8');
  });

  it('lists every bad-row kind with its datasets and expected reason', () => {
    for (const [kind, k] of Object.entries(BAD_ROW_KINDS)) {
      const datasets = k.datasets.length === 2 ? 'both' : k.datasets[0];
      expect(text).toContain(`| \`${kind}\` | ${datasets} | \`${k.expected}\` |`);
    }
    const rows = text.split('\n').filter((l) => /^\| `[a-z0-9_]+` \| (both|exam_results|item_responses) \|/.test(l));
    expect(rows).toHaveLength(Object.keys(BAD_ROW_KINDS).length);
  });

  it('documents every option of examlake generate', () => {
    const program = new Command();
    registerGenerateCommand(program);
    const generate = program.commands.find((c) => c.name() === 'generate')!;
    for (const option of generate.options) {
      const flag = option.long!;
      expect([flag, text.includes(`| \`${flag}`) || text.includes(`/ \`${flag}`)]).toEqual([flag, true]);
    }
  });
});
