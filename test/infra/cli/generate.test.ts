import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readBadRows, readManifest } from '../../etl/generate/support/judgeExport';
import { runCli } from './runCli';

let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'examlake-cli-generate-'));
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const SMALL = ['--schools', '1', '--classes-per-grade', '1', '--students-per-class', '8'];

describe('examlake generate', () => {
  it('writes the exports into --out relative to the working directory and prints a summary', async () => {
    const run = await runCli(['generate', '--out', 'data', '--seed', 'cli', '--bad-rows', '0.05', ...SMALL], cwd);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const out = path.join(cwd, 'data');
    const manifest = await readManifest(out);
    const count = (dataset: string) =>
      manifest.files.filter((f) => f.dataset === dataset).reduce((n, f) => n + f.records, 0);
    const [results, responses] = [count('exam_results'), count('item_responses')];
    const bad = (await readBadRows(out)).length;
    expect(run.stdout).toMatch(
      new RegExp(
        `^Generated ${results + responses} rows \\(${results} exam_results, ${responses} item_responses, ${bad} bad\\) ` +
          `in ${manifest.files.length} files, [0-9.]+ MB, [0-9.]+ s \\([0-9]+ rows/s\\) → ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`,
      ),
    );
    expect(manifest.options).toMatchObject({ seed: 'cli', schools: 1, badRows: 0.05, format: 'csv' });
    expect((await readdir(out)).sort()).toEqual(['_meta', 'exam_results', 'item_responses']);
  });

  it('passes every option through to the generator', async () => {
    const run = await runCli(
      [
        'generate',
        '--out',
        'opts',
        '--seed',
        'o',
        '--year',
        '2030',
        '--format',
        'csv.gz',
        '--schools-per-file',
        '1',
        '--header-style',
        'kebab',
        '--bom',
        '--crlf',
        '--variety',
        ...SMALL,
      ],
      cwd,
    );
    expect(run.code).toBe(0);
    const manifest = await readManifest(path.join(cwd, 'opts'));
    expect(manifest.options).toEqual({
      seed: 'o',
      schools: 1,
      year: 2030,
      classesPerGrade: 1,
      studentsPerClass: 8,
      badRows: 0,
      format: 'csv.gz',
      schoolsPerFile: 1,
      headerStyle: 'kebab',
      bom: true,
      crlf: true,
      variety: true,
    });
    expect(manifest.files[0]!.file).toBe('exam_results/exam_results-2030-09-schools-0001-0001.csv.gz');
  });

  it('shows a progress bar on request', async () => {
    const run = await runCli(['generate', '--out', 'bar', '--progress', ...SMALL], cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/generate \|.*\| 100% \| (\d+)\/\1 attempts \| \d+ rows \| [0-9.]+ MB/);
  });

  it('replaces a non-empty output directory with --force, and refuses without it', async () => {
    const out = path.join(cwd, 'taken');
    await mkdir(out);
    await writeFile(path.join(out, 'notes.txt'), 'mine');
    const refused = await runCli(['generate', '--out', 'taken', ...SMALL], cwd);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Output directory taken is not empty. Choose another --out, or pass --force to replace its contents.\n',
    });
    expect(await readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const forced = await runCli(['generate', '--out', 'taken', '--force', ...SMALL], cwd);
    expect(forced.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['_meta', 'exam_results', 'item_responses']);
  });

  it('refuses bad options with a message naming the option, and writes nothing', async () => {
    const cases: [string[], string][] = [
      [['--schools', '0'], '--schools must be a whole number from 1 to 100000, got 0.\n'],
      [['--schools', 'ten'], "error: option '--schools <n>' argument 'ten' is invalid. a whole number is expected.\n"],
      [['--bad-rows', '0.9'], '--bad-rows must be a fraction from 0 to 0.5, got 0.9.\n'],
      [
        ['--bad-rows', 'lots'],
        "error: option '--bad-rows <fraction>' argument 'lots' is invalid. a number from 0 to 0.5",
      ],
      [['--format', 'parquet'], '--format must be one of csv, csv.gz, got parquet.\n'],
      [
        ['--header-style', 'shouty'],
        '--header-style must be one of canonical, title, camel, kebab, alias, mixed, got shouty.\n',
      ],
      [['--students-per-class', '500'], '--students-per-class must be a whole number from 8 to 200, got 500.\n'],
      [['--colour'], "error: unknown option '--colour'"],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(['generate', '--out', 'never', ...args], cwd)));
    runs.forEach((run, i) => {
      expect([cases[i]![0], run.code, run.stdout]).toEqual([cases[i]![0], 1, '']);
      expect(run.stderr.startsWith(cases[i]![1])).toBe(true);
    });
    await expect(stat(path.join(cwd, 'never'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('requires --out', async () => {
    const run = await runCli(['generate', ...SMALL], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: required option '--out <dir>' not specified\n/);
  });
});
