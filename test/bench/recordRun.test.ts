import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recordRun } from '../../bench/recordRun';

describe('recordRun', () => {
  let dir: string;
  let docs: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-record-run-'));
    docs = path.join(dir, 'benchmarks.md');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts the newest run first under its benchmark, after the introduction, leaving other benchmarks alone', async () => {
    await writeFile(
      docs,
      [
        '# Benchmarks',
        '',
        '## Local Athena: protocol overhead',
        '',
        'What it measures.',
        '',
        '### older run',
        '',
        'old figures',
        '',
        '## API: cache hits and cold reports',
        '',
        '### api run',
        '',
        'api figures',
        '',
      ].join('\n'),
    );
    await recordRun('localAthena', 'newer run', 'new figures', docs);
    const page = await readFile(docs, 'utf8');
    const order = ['What it measures.', '### newer run', 'new figures', '### older run', '## API', '### api run'];
    const positions = order.map((text) => page.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('adds the benchmark heading at the end of the page when the page has none', async () => {
    await writeFile(docs, '# Benchmarks\n\nIntro.\n');
    await recordRun('transform', 'first run', 'figures', docs);
    expect(await readFile(docs, 'utf8')).toBe(
      '# Benchmarks\n\nIntro.\n\n## Transform (ETL)\n\n### first run\n\nfigures\n',
    );
  });
});
