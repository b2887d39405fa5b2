import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BadRowEntry } from '../../../etl/generate/badRowKinds';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import type { RejectedRow } from '../../../etl/transform/RejectedRow';
import { type TransformResult, transformObjects } from '../../../etl/transform/transformObjects';
import { rawObjectsOf } from '../support/rawObjectsOf';
import { readParquet } from '../support/readParquet';

// Generous on a loaded two-core machine; each step normally takes seconds.
jest.setTimeout(180_000);

let dir: string;
let result: TransformResult;
let badRows: BadRowEntry[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-transform-'));
  await generateSampleData(path.join(dir, 'in'), {
    seed: 'transform-test',
    schools: 1,
    classesPerGrade: 1,
    studentsPerClass: 8,
    badRows: 0.03,
    variety: true,
  });
  badRows = (await readFile(path.join(dir, 'in', '_meta', 'bad-rows.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  result = await transformObjects({
    objects: await rawObjectsOf(path.join(dir, 'in')),
    previousFiles: async () => [],
    runId: 'jr_test1',
    startedAt: new Date('2026-07-01T12:00:00Z'),
    studentKeySecret: randomBytes(32),
    workDir: path.join(dir, 'work'),
    duckdbMemoryLimit: '256MB',
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformObjects', () => {
  it('reconciles every dataset: rows in = written + rejected + superseded', () => {
    expect(result.datasets.map((d) => d.dataset.name).sort()).toEqual(['exam_results', 'item_responses']);
    for (const d of result.datasets) {
      expect(d.rowsIn).toBeGreaterThan(0);
      expect(d.rowsIn).toBe(d.version!.written + d.rejected + d.version!.superseded);
    }
  });

  it('rejects every injected bad row with its expected reason and physical line', async () => {
    const rejects: RejectedRow[] = [];
    for (const d of result.datasets) {
      const text = await readFile(d.rejectsPath!, 'utf8');
      rejects.push(
        ...text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as RejectedRow),
      );
    }
    const actual = rejects.map((r) => `${r.source.replace('s3://raw/', '')}:${r.line}:${r.reason}`).sort();
    const expected = badRows
      .filter((b) => b.expected !== 'SUPERSEDED')
      .map((b) => `${b.file}:${b.line}:${b.expected}`)
      .sort();
    expect(actual).toEqual(expected);
    for (const r of rejects) expect(r.text.length).toBeGreaterThan(0);
    const encoding = rejects.find((r) => r.reason === 'INVALID_ENCODING')!;
    expect(Buffer.from(encoding.base64!, 'base64').includes(0xfc)).toBe(true);
  });

  it('counts the superseded originals of corrected re-exports', () => {
    const superseded = result.datasets.reduce((n, d) => n + d.version!.superseded, 0);
    expect(superseded).toBe(badRows.filter((b) => b.expected === 'SUPERSEDED').length);
  });

  it('writes one sorted Parquet file per UTC month with unique natural keys', async () => {
    for (const d of result.datasets) {
      const files = d.version!.files;
      expect(new Set(files.map((f) => f.relativePath)).size).toBe(files.length);
      const all = files.map((f) => f.localPath);
      const [counts] = await readParquet(
        all,
        `SELECT count(*) AS n, count(DISTINCT (${d.dataset.naturalKey.join(', ')})) AS keys, count(DISTINCT student_key) FILTER (WHERE length(student_key) = 64) AS pseudonyms FROM t`,
      );
      expect(Number(counts!.n)).toBe(d.version!.written);
      expect(Number(counts!.keys)).toBe(d.version!.written);
      expect(Number(counts!.pseudonyms)).toBeGreaterThan(0);
      for (const f of files) {
        const rows = await readParquet([f.localPath], 'SELECT school_id, exam_id, submitted_at, run_id FROM t');
        const keys = rows.map((r) => `${r.school_id}\u0000${r.exam_id}`);
        expect(keys).toEqual([...keys].sort());
        for (const r of rows) {
          const at = new Date(`${String(r.submitted_at).replace(' ', 'T')}Z`);
          expect([at.getUTCFullYear(), at.getUTCMonth() + 1]).toEqual([f.year, f.month]);
          expect(r.run_id).toBe('jr_test1');
        }
      }
    }
  });
});
