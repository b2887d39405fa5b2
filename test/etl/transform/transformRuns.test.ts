import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RejectedRow } from '../../../etl/transform/RejectedRow';
import type { RawObject } from '../../../etl/transform/readRawObject';
import { transformObjects } from '../../../etl/transform/transformObjects';
import { type ExamRow, examResultsCsv, examRow } from '../support/examResultsCsv';
import { readParquet } from '../support/readParquet';

let dir: string;
const secret = randomBytes(32);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-runs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function object(
  key: string,
  content: string | Buffer,
  lastModified = new Date('2026-01-01T00:00:00Z'),
): Promise<RawObject> {
  const file = path.join(dir, 'raw', key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return {
    key,
    etag: createHash('md5').update(content).digest('hex'),
    lastModified,
    size: (await stat(file)).size,
    path: file,
    uri: `s3://raw/${key}`,
  };
}

function run(runId: string, objects: RawObject[], previous: readonly string[] = []) {
  return transformObjects({
    objects,
    previousFiles: async () => previous,
    runId,
    startedAt: new Date('2026-07-01T00:00:00Z'),
    studentKeySecret: secret,
    workDir: path.join(dir, 'work', runId),
    duckdbMemoryLimit: '256MB',
  });
}

describe('transformObjects on whole objects', () => {
  it('refuses objects it cannot accept as a whole, each with its reason', async () => {
    const header = examResultsCsv([]).trim();
    const result = await run('jr_refuse', [
      await object('exam_results/zero.csv', ''),
      await object('exam_results/bom-only.csv', '\ufeff\r\n'),
      await object('misc/unknown.csv', 'colour,size\nred,3\n'),
      await object('exam_results/missing.csv', 'result_id,exam_id\nR-1,E-1\n'),
      await object('exam_results/extra.csv', `${header},favourite_colour\n`),
      await object('exam_results/twice.csv', `${header},Result ID\n`),
      await object('exam_results/header-only.csv', `${header}\r\n`),
    ]);
    const outcome = Object.fromEntries(
      result.objects.map((o) => [o.object.key, o.accepted ? `accepted:${o.rowsIn}` : o.reason]),
    );
    expect(outcome).toEqual({
      'exam_results/zero.csv': 'EMPTY_FILE',
      'exam_results/bom-only.csv': 'EMPTY_FILE',
      'misc/unknown.csv': 'UNKNOWN_DATASET',
      'exam_results/missing.csv': 'MISSING_COLUMNS',
      'exam_results/extra.csv': 'UNKNOWN_COLUMNS',
      'exam_results/twice.csv': 'DUPLICATE_COLUMNS',
      'exam_results/header-only.csv': 'accepted:0',
    });
    const refusal = result.objects.find((o) => o.object.key === 'exam_results/missing.csv');
    expect(refusal).toMatchObject({ message: expect.stringContaining('missing required columns') });
    expect(result.datasets).toEqual([expect.objectContaining({ rowsIn: 0, version: undefined })]);
  });

  it('rejects what DuckDB reads leniently, at the physical line where each record starts', async () => {
    const names = examResultsCsv([]).trim();
    const line = (r: ExamRow) => examResultsCsv([r]).slice(names.length + 1, -1);
    const quotedNewline = examRow({ student_name: 'Anna\r\nBerg, "Jr"' });
    const unquotedQuote = line(examRow()).replace('Maria Jensen', 'Maria "MJ" Jensen');
    const text = [
      names,
      line(quotedNewline), // lines 2-3
      '', // 4: blank
      `${line(examRow())},`, // 5: a trailing delimiter, 20 fields
      unquotedQuote, // 6
      line(examRow()).split(',').slice(0, 5).join(','), // 7: too few fields
      line(examRow({ grade_level: '13' })), // 8
      line(examRow({ student_id: 'STU 1' })), // 9
      '',
      '',
    ].join('\r\n');
    const result = await run('jr_lenient', [await object('exam_results/lenient.csv', `\ufeff${text}`)]);
    const d = result.datasets[0]!;
    expect(d).toMatchObject({ rowsIn: 6, rejected: 5 });
    const rejects = (await readFile(d.rejectsPath!, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RejectedRow);
    expect(rejects.map((r) => [r.line, r.reason, r.column])).toEqual([
      [5, 'WRONG_FIELD_COUNT', undefined],
      [6, 'MALFORMED_ROW', undefined],
      [7, 'WRONG_FIELD_COUNT', undefined],
      [8, 'OUT_OF_RANGE', 'grade_level'],
      [9, 'PATTERN_MISMATCH', 'student_id'],
    ]);
    expect(rejects[0]).toMatchObject({ message: 'The row has 20 fields; the header has 19.' });
    expect(rejects[1]!.text).toBe(unquotedQuote);
    const [kept] = await readParquet(
      d.version!.files.map((f) => f.localPath),
      'SELECT student_name FROM t',
    );
    expect(kept).toEqual({ student_name: 'Anna\r\nBerg, "Jr"' });
  });

  it('finds rows DuckDB read leniently in a later object of the run, and only those', async () => {
    const names = examResultsCsv([]).trim();
    const line = (r: ExamRow) => examResultsCsv([r]).slice(names.length + 1, -1);
    const first = await object('exam_results/lenient-1.csv', examResultsCsv([examRow(), examRow(), examRow()]));
    const misquoted = line(examRow()).replace('Maria Jensen', 'Maria "MJ" Jensen');
    const second = await object(
      'exam_results/lenient-2.csv',
      [
        names,
        line(examRow({ student_name: 'Quoted "well"' })), // 2: a quote escaped inside quotes is fine
        misquoted, // 3
        `${line(examRow())},`, // 4: a trailing delimiter
        line(examRow()), // 5
        '',
      ].join('\n'),
      new Date('2026-01-02T00:00:00Z'),
    );
    const d = (await run('jr_lenient2', [first, second])).datasets[0]!;
    expect(d).toMatchObject({ rowsIn: 7, rejected: 2 });
    expect(d.version).toMatchObject({ written: 5 });
    const rejects = (await readFile(d.rejectsPath!, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RejectedRow);
    expect(rejects.map((r) => [r.source, r.line, r.reason, r.text === misquoted])).toEqual([
      ['s3://raw/exam_results/lenient-2.csv', 3, 'MALFORMED_ROW', true],
      ['s3://raw/exam_results/lenient-2.csv', 4, 'WRONG_FIELD_COUNT', false],
    ]);
  });

  it('keeps quotes escaped in fields that hold a delimiter or line feed, and finds a misquoted field beside them', async () => {
    const names = examResultsCsv([]).trim();
    const line = (r: ExamRow) => examResultsCsv([r]).slice(names.length + 1, -1);
    const title = 'Reading, grade 5: "Seasons"';
    const misquoted = line(examRow({ exam_title: title })).replace('Maria Jensen', 'Maria "MJ" Jensen');
    const text = [
      names,
      line(examRow({ exam_title: title })), // 2
      misquoted, // 3
      line(examRow({ student_name: 'Anna\nBerg "Jr"' })), // 4-5
      line(examRow()).replace('Maria Jensen', 'Maria "MJ" Jensen'), // 6
      '',
    ].join('\n');
    const d = (await run('jr_quoted', [await object('exam_results/quoted.csv', text)])).datasets[0]!;
    expect(d).toMatchObject({ rowsIn: 4, rejected: 2 });
    const rejects = (await readFile(d.rejectsPath!, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RejectedRow);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'MALFORMED_ROW'],
      [6, 'MALFORMED_ROW'],
    ]);
    expect(rejects[0]!.text).toBe(misquoted);
    const kept = await readParquet(
      d.version!.files.map((f) => f.localPath),
      'SELECT exam_title, student_name FROM t ORDER BY student_name',
    );
    expect(kept).toEqual([
      { exam_title: 'Mathematics, grade 5', student_name: 'Anna\nBerg "Jr"' },
      { exam_title: title, student_name: 'Maria Jensen' },
    ]);
  });

  it('infers the dataset from the header of an object outside any dataset prefix', async () => {
    const result = await run('jr_infer', [await object('drop/export.csv', examResultsCsv([examRow()]))]);
    expect(result.objects[0]).toMatchObject({ accepted: true, dataset: 'exam_results', rowsIn: 1 });
  });

  it('replaces rows of the previous version with a later correction and keeps the rest', async () => {
    const a = examRow({ student_name: 'First Version' });
    const b = examRow();
    const first = await run('jr_first', [await object('exam_results/a.csv', examResultsCsv([a, b]))]);
    const previous = first.datasets[0]!.version!.files.map((f) => f.localPath);
    const corrected = { ...a, student_name: 'Corrected Name' };
    const c = examRow({ submitted_at: '2025-11-02T10:00:00Z', started_at: '2025-11-02T09:00:00Z' });
    const second = await run(
      'jr_second',
      [await object('exam_results/b.csv', examResultsCsv([corrected, c]))],
      previous,
    );
    const version = second.datasets[0]!.version!;
    expect(version).toMatchObject({ written: 2, superseded: 0, replaced: 1, totalRows: 3 });
    expect(version.files.map((f) => f.relativePath)).toEqual([
      'year=2025/month=10/part-00000.parquet',
      'year=2025/month=11/part-00000.parquet',
    ]);
    const rows = await readParquet(
      version.files.map((f) => f.localPath),
      'SELECT result_id, student_name, run_id FROM t ORDER BY result_id',
    );
    expect(rows).toEqual([
      { result_id: a.result_id, student_name: 'Corrected Name', run_id: 'jr_second' },
      { result_id: b.result_id, student_name: b.student_name, run_id: 'jr_first' },
      { result_id: c.result_id, student_name: c.student_name, run_id: 'jr_second' },
    ]);
  });

  it('lets the later object of one run supersede an earlier one, by LastModified then key', async () => {
    const row = examRow();
    const early = await object(
      'exam_results/z-early.csv',
      examResultsCsv([{ ...row, score: '10.00' }]),
      new Date('2026-01-01T00:00:00Z'),
    );
    const late = await object(
      'exam_results/a-late.csv',
      examResultsCsv([{ ...row, score: '20.00' }]),
      new Date('2026-01-02T00:00:00Z'),
    );
    const result = await run('jr_order', [late, early]);
    const d = result.datasets[0]!;
    expect(d).toMatchObject({ rowsIn: 2, rejected: 0 });
    expect(d.version).toMatchObject({ written: 1, superseded: 1 });
    const [kept] = await readParquet(
      d.version!.files.map((f) => f.localPath),
      'SELECT CAST(score AS VARCHAR) AS score FROM t',
    );
    expect(kept).toEqual({ score: '20.00' });
  });

  it('writes a file only for months that keep a row, each month bounded in UTC', async () => {
    const moved = examRow({ started_at: '2025-10-31T23:00:00+02:00', submitted_at: '2025-10-31T23:30:00+02:00' });
    const early = await object('exam_results/m-early.csv', examResultsCsv([moved]), new Date('2026-01-01T00:00:00Z'));
    const late = await object(
      'exam_results/m-late.csv',
      examResultsCsv([
        { ...moved, started_at: '2025-12-01T00:30:00+01:00', submitted_at: '2025-12-01T00:45:00+01:00' },
        examRow({ started_at: '2025-12-01T01:00:00+01:00', submitted_at: '2025-12-01T01:00:00+01:00' }),
      ]),
      new Date('2026-01-02T00:00:00Z'),
    );
    const d = (await run('jr_months', [early, late])).datasets[0]!;
    expect(d.version).toMatchObject({ written: 2, superseded: 1 });
    // 31 October 23:30 +02:00 is October in UTC (lost to the correction), 1 December 00:45 +01:00 is November.
    expect(d.version!.files.map((f) => [f.relativePath, f.rows])).toEqual([
      ['year=2025/month=11/part-00000.parquet', 1],
      ['year=2025/month=12/part-00000.parquet', 1],
    ]);
  });

  it('gives the same curated rows when the same input is processed again', async () => {
    const rows = [examRow(), examRow({ student_name: 'Quote "Q", comma\nnewline' })];
    const input = [await object('exam_results/same.csv', examResultsCsv(rows, { eol: '\r\n', bom: true }))];
    const sql = 'SELECT * EXCLUDE (run_id) FROM t ORDER BY result_id';
    const one = await run('jr_same1', input);
    const two = await run('jr_same2', input);
    const read = (r: typeof one) =>
      readParquet(
        r.datasets[0]!.version!.files.map((f) => f.localPath),
        sql,
      );
    expect(await read(two)).toEqual(await read(one));
    expect((await read(one))[1]).toMatchObject({ student_name: 'Quote "Q", comma\nnewline' });
  });
});
