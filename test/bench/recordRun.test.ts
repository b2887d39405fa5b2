import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type BenchmarkRun,
  type HistoryPaths,
  readHistory,
  recordRun,
  renderRun,
  renderSummary,
  SUMMARY_END,
  SUMMARY_START,
} from '../../bench/recordRun';

const run = (overrides: Partial<BenchmarkRun> = {}): BenchmarkRun => ({
  benchmark: 'localAthena',
  title: '10,000,000 rows, 20 runs',
  command: 'npx tsx bench/localAthena.bench.ts',
  targets: [{ target: 'overhead, median', figure: '7.7 ms', goal: '≤ 10 ms', met: true }],
  body: '| measure | ms |\n|---|---|\n| (a) | 11.7 |',
  ...overrides,
});

describe('recordRun', () => {
  let dir: string;
  let paths: HistoryPaths;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-record-run-'));
    paths = { historyDir: path.join(dir, 'history'), docsPath: path.join(dir, 'benchmarks.md') };
    await writeFile(
      paths.docsPath,
      [
        '# Benchmarks',
        '',
        SUMMARY_START,
        'stale table',
        SUMMARY_END,
        '',
        '## Analyses',
        '',
        'kept as written',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends each run to its benchmark history as one JSON line with when, load, cores and commit', async () => {
    await recordRun(run(), paths);
    await recordRun(run({ title: 'second' }), paths);
    const lines = (await readFile(path.join(paths.historyDir, 'localAthena.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    const history = await readHistory('localAthena', paths.historyDir);
    expect(history.map((r) => r.title)).toEqual(['10,000,000 rows, 20 runs', 'second']);
    expect(history[0]).toMatchObject({ command: 'npx tsx bench/localAthena.bench.ts', cores: os.cpus().length });
    expect(Date.parse(history[0]!.finishedAt)).not.toBeNaN();
    expect(typeof history[0]!.load).toBe('number');
  });

  it('rewrites only the summary between the markers, one row per target with its latest figure and status', async () => {
    await recordRun(
      run({ targets: [{ target: 'overhead, median', figure: '12.0 ms', goal: '≤ 10 ms', met: false }] }),
      paths,
    );
    await recordRun(run(), paths);
    await recordRun(
      run({
        benchmark: 'apiCache',
        targets: [
          { target: 'hits vs bare', figure: '47%', goal: '≥ 30%', met: true },
          { target: 'cold on 10M', figure: '85 ms (1M rows)', goal: '≤ 500 ms', met: null },
        ],
      }),
      paths,
    );
    const page = await readFile(paths.docsPath, 'utf8');
    expect(page).not.toContain('stale table');
    expect(page).toContain('## Analyses\n\nkept as written');
    const rows = page.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| benchmark'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('| overhead, median | 7.7 ms | ≤ 10 ms | met |');
    expect(rows[1]).toContain('| hits vs bare | 47% | ≥ 30% | met |');
    expect(rows[2]).toContain('| cold on 10M | 85 ms (1M rows) | ≤ 500 ms | — |');
  });

  it('refuses a page without the summary markers and says where they go', async () => {
    await writeFile(paths.docsPath, '# Benchmarks\n');
    await expect(recordRun(run(), paths)).rejects.toThrow(/no summary markers/);
  });

  it('names the line of a history file that is not JSON', async () => {
    await recordRun(run(), paths);
    await writeFile(path.join(paths.historyDir, 'localAthena.jsonl'), '{"title":\n', { flag: 'a' });
    await expect(readHistory('localAthena', paths.historyDir)).rejects.toThrow(/localAthena.jsonl line 2 is not JSON/);
  });

  it('renders a recorded run as Markdown with its date, command, targets and figures', async () => {
    const recorded = await recordRun(run(), paths);
    const text = renderRun({ ...recorded, finishedAt: '2026-12-03T18:30:00.000Z', load: 1.4, cores: 2 });
    expect(text).toMatch(/^### 2026-12-03 18:30 UTC, load 1\.4 on 2 cores: 10,000,000 rows, 20 runs/);
    expect(text).toContain('`npx tsx bench/localAthena.bench.ts`');
    expect(text).toContain('- overhead, median: 7.7 ms (goal ≤ 10 ms: met)');
    expect(text).toContain('| (a) | 11.7 |');
  });
});

describe('docs/benchmarks.md', () => {
  it('shows the summary generated from bench/history, not a hand-edited table', async () => {
    const page = await readFile(path.resolve(__dirname, '../../docs/benchmarks.md'), 'utf8');
    const start = page.indexOf(SUMMARY_START) + SUMMARY_START.length;
    const table = page.slice(start, page.indexOf(SUMMARY_END)).trim();
    expect(table).toBe(await renderSummary());
  });
});
