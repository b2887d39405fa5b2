import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { InvalidGenerateOptionError, OutputExistsError } from '../../../etl/generate/errors';
import { GENERATE_DEFAULTS, generateOptions } from '../../../etl/generate/generateOptions';
import { type GenerateSummary, generateSampleData } from '../../../etl/generate/generateSampleData';
import { readManifest } from './support/judgeExport';

/** A small world: two schools, one class per grade of eight students (about 20,000 rows). */
const SMALL = { schools: 2, classesPerGrade: 1, studentsPerClass: 8 } as const;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-generate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under a directory, relative path → bytes. */
async function tree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, full), await readFile(full));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

describe('generateSampleData', () => {
  let first: GenerateSummary;

  beforeAll(async () => {
    first = await generateSampleData(path.join(dir, 'a'), { ...SMALL, seed: 'same', badRows: 0.05, variety: true });
  });

  it('writes byte-identical files for the same seed and options', async () => {
    await generateSampleData(path.join(dir, 'b'), { ...SMALL, seed: 'same', badRows: 0.05, variety: true });
    const a = await tree(path.join(dir, 'a'));
    const b = await tree(path.join(dir, 'b'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect([name, bytes.equals(b.get(name)!)]).toEqual([name, true]);
  });

  it('writes different data for a different seed', async () => {
    await generateSampleData(path.join(dir, 'c'), { ...SMALL, seed: 'other', badRows: 0.05, variety: true });
    const a = await tree(path.join(dir, 'a'));
    const c = await tree(path.join(dir, 'c'));
    const results = (t: Map<string, Buffer>) => t.get(path.join('exam_results', 'exam_results-2025-11.csv'));
    expect(results(c)).toBeDefined();
    expect(results(c)!.equals(results(a)!)).toBe(false);
    expect(c.get(path.join('_meta', 'items.json'))!.equals(a.get(path.join('_meta', 'items.json'))!)).toBe(false);
  });

  it('lays out one file per dataset and month, a corrections file, and _meta', async () => {
    const names = [...(await tree(path.join(dir, 'a'))).keys()];
    const months = ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
    for (const dataset of ['exam_results', 'item_responses']) {
      for (const month of months) expect(names).toContain(path.join(dataset, `${dataset}-${month}.csv`));
      expect(names).toContain(path.join(dataset, `${dataset}-corrections.csv`));
    }
    expect(names.filter((n) => n.startsWith('_meta'))).toEqual(
      ['bad-rows.jsonl', 'items.csv', 'items.json', 'manifest.json'].map((f) => path.join('_meta', f)),
    );
    expect(names.every((n) => /^(exam_results|item_responses|_meta)\//.test(n))).toBe(true);
  });

  it('lists every file in the manifest with its records, lines and bytes, and sums them in the summary', async () => {
    const manifest = await readManifest(path.join(dir, 'a'));
    expect(manifest.files).toEqual(first.files);
    for (const f of manifest.files) {
      const text = await readFile(path.join(dir, 'a', f.file));
      expect(f.bytes).toBe(text.length);
      expect(f.lines).toBe(text.toString('latin1').split('\n').length - 1);
      expect(f.records).toBeGreaterThan(0);
    }
    expect(first.rows.exam_results).toBe(
      manifest.files.filter((f) => f.dataset === 'exam_results').reduce((n, f) => n + f.records, 0),
    );
    expect(first.bytes).toBe(manifest.files.reduce((n, f) => n + f.bytes, 0));
    expect(manifest.options).toMatchObject({ ...SMALL, seed: 'same', badRows: 0.05, variety: true });
    expect(manifest.counts).toMatchObject({ schools: 2, badRows: first.badRows });
  });

  it('reports progress up to every attempt, with growing rows and bytes', async () => {
    const seen: { attemptsDone: number; attemptsPlanned: number; rows: number }[] = [];
    const summary = await generateSampleData(
      path.join(dir, 'progress'),
      { ...SMALL, schools: 1, seed: 'p' },
      { onProgress: (p) => seen.push(p) },
    );
    expect(seen.length).toBeGreaterThan(10);
    const last = seen[seen.length - 1]!;
    expect(last.attemptsDone).toBe(last.attemptsPlanned);
    expect(last.rows).toBe(summary.rows.exam_results + summary.rows.item_responses);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.attemptsDone).toBeGreaterThanOrEqual(seen[i - 1]!.attemptsDone);
      expect(seen[i]!.rows).toBeGreaterThanOrEqual(seen[i - 1]!.rows);
    }
  });

  it('splits each month into files of --schools-per-file schools', async () => {
    const summary = await generateSampleData(path.join(dir, 'split'), {
      ...SMALL,
      schools: 3,
      schoolsPerFile: 2,
      seed: 's',
    });
    const files = summary.files.map((f) => f.file);
    expect(files).toContain('exam_results/exam_results-2025-11-schools-0001-0002.csv');
    expect(files).toContain('exam_results/exam_results-2025-11-schools-0003-0003.csv');
    const text = await readFile(
      path.join(dir, 'split', 'exam_results/exam_results-2025-11-schools-0003-0003.csv'),
      'utf8',
    );
    const rows = parse(text, { from_line: 2 }) as string[][];
    const schoolIds = new Set(rows.map((r) => r[5]));
    expect([...schoolIds]).toEqual(['SCH-0003']);
  });

  it('writes gzip files with --format csv.gz, holding the same CSV', async () => {
    await generateSampleData(path.join(dir, 'plain'), { ...SMALL, schools: 1, seed: 'z' });
    const summary = await generateSampleData(path.join(dir, 'gz'), {
      ...SMALL,
      schools: 1,
      seed: 'z',
      format: 'csv.gz',
    });
    expect(summary.files.every((f) => f.file.endsWith('.csv.gz'))).toBe(true);
    const gz = await readFile(path.join(dir, 'gz', 'exam_results/exam_results-2025-11.csv.gz'));
    const plain = await readFile(path.join(dir, 'plain', 'exam_results/exam_results-2025-11.csv'));
    expect(gunzipSync(gz).equals(plain)).toBe(true);
  });

  it('refuses a non-empty output directory unless told to replace it', async () => {
    const target = path.join(dir, 'occupied');
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'mine');
    const attempt = generateSampleData(target, { ...SMALL, schools: 1 });
    await expect(attempt).rejects.toThrow(OutputExistsError);
    await expect(generateSampleData(target, { ...SMALL, schools: 1 })).rejects.toMatchObject({
      code: 'OUTPUT_EXISTS',
      message: `Output directory ${target} is not empty. Choose another --out, or pass --force to replace its contents.`,
    });
    expect(await readdir(target)).toEqual(['keep.txt']);
    await generateSampleData(target, { ...SMALL, schools: 1 }, { replace: true });
    expect((await readdir(target)).sort()).toEqual(['_meta', 'exam_results', 'item_responses']);
  });

  it('refuses an output path that is a file', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(generateSampleData(file, SMALL)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });

  it('leaves nothing behind when generating fails', async () => {
    const target = path.join(dir, 'failing');
    const failing = generateSampleData(
      target,
      { ...SMALL, schools: 1 },
      {
        onProgress: (p) => {
          if (p.attemptsDone > 100) throw new Error('disk full');
        },
      },
    );
    await expect(failing).rejects.toThrow('disk full');
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((n) => n.startsWith('failing'))).toEqual([]);
  });
});

describe('generateOptions', () => {
  it('fills in the defaults', () => {
    expect(generateOptions({})).toEqual(GENERATE_DEFAULTS);
    expect(generateOptions({ schools: 3, headerStyle: undefined })).toEqual({ ...GENERATE_DEFAULTS, schools: 3 });
  });

  it.each([
    [{ schools: 0 }, '--schools must be a whole number from 1 to 100000, got 0.'],
    [{ schools: 1.5 }, '--schools must be a whole number from 1 to 100000, got 1.5.'],
    [{ year: 1999 }, '--year must be a whole number from 2000 to 2098, got 1999.'],
    [{ classesPerGrade: 27 }, '--classes-per-grade must be a whole number from 1 to 26, got 27.'],
    [{ studentsPerClass: 7 }, '--students-per-class must be a whole number from 8 to 200, got 7.'],
    [{ schoolsPerFile: -1 }, '--schools-per-file must be a whole number from 0 to 100000, got -1.'],
    [{ badRows: 0.6 }, '--bad-rows must be a fraction from 0 to 0.5, got 0.6.'],
    [{ badRows: Number.NaN }, '--bad-rows must be a fraction from 0 to 0.5, got NaN.'],
    [{ format: 'parquet' }, '--format must be one of csv, csv.gz, got parquet.'],
    [
      { headerStyle: 'shouty' },
      '--header-style must be one of canonical, title, camel, kebab, alias, mixed, got shouty.',
    ],
    [{ seed: '' }, '--seed must not be empty.'],
  ])('refuses %j, naming the option and its range', (input, message) => {
    const run = () => generateOptions(input as never);
    expect(run).toThrow(InvalidGenerateOptionError);
    expect(run).toThrow(message);
  });
});
