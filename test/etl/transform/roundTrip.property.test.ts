import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SUBJECTS } from '../../../etl/schemas/examResults';
import { transformObjects } from '../../../etl/transform/transformObjects';
import { type ExamRow, examResultsCsv } from '../support/examResultsCsv';
import { readParquet } from '../support/readParquet';

const idChars = fc.constantFrom(...'ABCXYZ0189-_.:'.split(''));
const id = fc
  .tuple(fc.constantFrom('A', 'Z', '0', '9'), fc.array(idChars, { maxLength: 20 }))
  .map(([h, t]) => h + t.join(''));
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => s.trim() !== '' && !s.includes('\u0000'));
const moment = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => Math.floor(ms / 1000) * 1000);

const row = fc
  .record({
    result_id: id,
    exam_id: id,
    exam_title: fc.option(text, { nil: '' }),
    subject: fc.constantFrom(...SUBJECTS),
    grade_level: fc.integer({ min: 1, max: 12 }).map(String),
    school_id: id,
    school_name: fc.option(text, { nil: '' }),
    district_id: id,
    region: text,
    class_id: id,
    teacher_id: fc.option(id, { nil: '' }),
    student_id: id,
    student_name: fc.option(text, { nil: '' }),
    attempt: fc.integer({ min: 1, max: 20 }).map(String),
    started: moment,
    took: fc.integer({ min: 0, max: 7200 }),
    offset: fc.integer({ min: -12, max: 14 }),
    max: fc.integer({ min: 1, max: 99_999 }),
    part: fc.double({ min: 0, max: 1, noNaN: true }),
    passed: fc.constantFrom('true', 'false', 'YES', 'no', '1', '0'),
  })
  .map((r): ExamRow => {
    const stamp = (ms: number) => {
      const local = new Date(ms + r.offset * 3_600_000).toISOString().slice(0, 19);
      const sign = r.offset < 0 ? '-' : '+';
      return `${local}${sign}${String(Math.abs(r.offset)).padStart(2, '0')}:00`;
    };
    const maxScore = (r.max / 100).toFixed(2);
    const { started, took, offset: _o, max: _m, part, ...fields } = r;
    return {
      ...fields,
      started_at: stamp(started),
      submitted_at: stamp(started + took * 1000),
      max_score: maxScore,
      score: (Math.floor(r.max * part) / 100).toFixed(2),
    };
  });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-prop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CSV → Parquet round trip', () => {
  it('keeps every random valid row unchanged', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { minLength: 1, maxLength: 15, selector: (r) => r.result_id }),
        async (rows) => {
          n++;
          const content = examResultsCsv(rows, { eol: n % 2 ? '\r\n' : '\n', bom: n % 3 === 0 });
          const file = path.join(dir, `in-${n}.csv`);
          await writeFile(file, content);
          const result = await transformObjects({
            objects: [
              {
                key: 'exam_results/in.csv',
                etag: createHash('md5').update(content).digest('hex'),
                lastModified: new Date(),
                size: content.length,
                path: file,
                uri: 's3://raw/exam_results/in.csv',
              },
            ],
            previousFiles: async () => [],
            runId: `jr_${n}`,
            startedAt: new Date(),
            studentKeySecret: randomBytes(32),
            workDir: path.join(dir, `w-${n}`),
            duckdbMemoryLimit: '256MB',
          });
          const d = result.datasets[0]!;
          expect(d.rejected).toBe(0);
          const got = await readParquet(
            d.version!.files.map((f) => f.localPath),
            `SELECT result_id, exam_id, coalesce(exam_title, '') AS exam_title, subject, grade_level::VARCHAR AS grade_level,
             coalesce(school_name, '') AS school_name, region, coalesce(teacher_id, '') AS teacher_id,
             coalesce(student_name, '') AS student_name, epoch_ms(started_at) AS started, epoch_ms(submitted_at) AS submitted,
             score::VARCHAR AS score, max_score::VARCHAR AS max_score, passed FROM t ORDER BY result_id`,
          );
          const expected = [...rows]
            .sort((a, b) => (a.result_id! < b.result_id! ? -1 : 1))
            .map((r) => ({
              result_id: r.result_id,
              exam_id: r.exam_id,
              exam_title: r.exam_title,
              subject: r.subject,
              grade_level: r.grade_level,
              school_name: r.school_name,
              region: r.region,
              teacher_id: r.teacher_id,
              student_name: r.student_name,
              started: String(Date.parse(r.started_at!)),
              submitted: String(Date.parse(r.submitted_at!)),
              score: r.score,
              max_score: r.max_score,
              passed: ['true', 'yes', '1'].includes(r.passed!.toLowerCase()),
            }));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 15 },
    );
  });
});
