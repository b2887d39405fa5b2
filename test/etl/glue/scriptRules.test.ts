import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BadRowEntry } from '../../../etl/generate/badRowKinds';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';
import { rawObjectsOf } from '../support/rawObjectsOf';

// Generous on a loaded two-core machine; each step normally takes seconds.
jest.setTimeout(180_000);

const HARNESS = path.join(__dirname, 'scriptHarness.py');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-script-'));
  await writeFile(path.join(dir, 'schema.json'), JSON.stringify(schemaDocument()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ScriptReading {
  key: string;
  dataset: string | null;
  rows: number;
  refusal: string | null;
  rejects: { line: number; reason: string }[];
}

function runScript(rawDir: string, keys: string[]): ScriptReading[] {
  const result = spawnSync('python3', [HARNESS, path.join(dir, 'schema.json'), rawDir, ...keys], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('the Glue script row rules (run in plain Python, Spark and AWS stubbed)', () => {
  it('rejects every injected bad row with the same reason and line as the local transform expects', async () => {
    const raw = path.join(dir, 'gen');
    await generateSampleData(raw, {
      seed: 'script',
      schools: 1,
      classesPerGrade: 1,
      studentsPerClass: 8,
      badRows: 0.03,
      variety: true,
    });
    const keys = (await rawObjectsOf(raw)).map((o) => o.key);
    const readings = runScript(raw, keys);
    const badRows: BadRowEntry[] = (await readFile(path.join(raw, '_meta', 'bad-rows.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const actual = readings.flatMap((r) => r.rejects.map((j) => `${r.key}:${j.line}:${j.reason}`)).sort();
    const expected = badRows
      .filter((b) => b.expected !== 'SUPERSEDED')
      .map((b) => `${b.file}:${b.line}:${b.expected}`)
      .sort();
    expect(actual).toEqual(expected);
    expect(readings.every((r) => r.refusal === null && r.rows > 0)).toBe(true);
  });

  it('refuses whole objects with the same reasons', async () => {
    const raw = path.join(dir, 'whole');
    const header = schemaDocument()
      .datasets[0]!.columns.map((c) => c.name)
      .join(',');
    const files: Record<string, string> = {
      'exam_results/empty.csv': '',
      'misc/unknown.csv': 'colour,size\nred,3\n',
      'exam_results/missing.csv': 'result_id,exam_id\nR-1,E-1\n',
      'exam_results/extra.csv': `${header},favourite_colour\n`,
    };
    for (const [key, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(raw, key)), { recursive: true });
      await writeFile(path.join(raw, key), content);
    }
    const readings = runScript(raw, Object.keys(files));
    expect(Object.fromEntries(readings.map((r) => [r.key, r.refusal]))).toEqual({
      'exam_results/empty.csv': 'EMPTY_FILE',
      'misc/unknown.csv': 'UNKNOWN_DATASET',
      'exam_results/missing.csv': 'MISSING_COLUMNS',
      'exam_results/extra.csv': 'UNKNOWN_COLUMNS',
    });
  });
});
