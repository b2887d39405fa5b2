import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileStyle } from '../../../etl/generate/FileStyle';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { camelCase, HEADER_STYLES, headerName, titleCase } from '../../../etl/generate/headerNames';
import { Random } from '../../../etl/generate/Random';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';
import { resolveHeader } from '../../../etl/schemas/resolveHeader';
import { judgeExport } from './support/judgeExport';

const SMALL = { schools: 1, classesPerGrade: 1, studentsPerClass: 8 } as const;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-style-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('header styles', () => {
  it('spell column names as their style says', () => {
    const col = EXAM_RESULTS.columns.find((c) => c.name === 'student_id')!;
    const rng = Random.fromSeed('h');
    expect(titleCase('student_id')).toBe('Student ID');
    expect(camelCase('max_score')).toBe('maxScore');
    expect(headerName(col, 'canonical', rng)).toBe('student_id');
    expect(headerName(col, 'title', rng)).toBe('Student ID');
    expect(headerName(col, 'camel', rng)).toBe('studentId');
    expect(headerName(col, 'kebab', rng)).toBe('student-id');
    expect(headerName(col, 'alias', rng)).toBe('pupil_id');
  });

  it.each(HEADER_STYLES)('%s resolves to the canonical columns of both datasets', (style) => {
    const rng = Random.fromSeed(style);
    for (const schema of [EXAM_RESULTS, ITEM_RESPONSES]) {
      for (let round = 0; round < 5; round++) {
        const header = schema.columns.map((c) => headerName(c, style, rng));
        expect(resolveHeader(schema, header).fields.map((c) => c?.name)).toEqual(schema.columns.map((c) => c.name));
      }
    }
  });
});

describe('fileStyle', () => {
  it('is plain CSV unless asked otherwise', () => {
    expect(fileStyle({ variety: false }, Random.fromSeed('s'))).toEqual({
      headerStyle: 'canonical',
      bom: false,
      eol: '\n',
      trailingBlankLines: 0,
      booleans: ['true', 'false'],
      dateTimeSeparator: 'T',
      quotedNewlines: false,
    });
  });

  it('keeps options fixed under variety', () => {
    const rng = Random.fromSeed('s');
    for (let i = 0; i < 20; i++) {
      expect(fileStyle({ variety: true, headerStyle: 'kebab', bom: false, crlf: true }, rng)).toMatchObject({
        headerStyle: 'kebab',
        bom: false,
        eol: '\r\n',
      });
    }
  });
});

describe('generated file styles', () => {
  it('--header-style, --bom and --crlf apply to every file, and every row still reads as valid', async () => {
    const out = path.join(dir, 'styled');
    await generateSampleData(out, { ...SMALL, seed: 'style', headerStyle: 'title', bom: true, crlf: true });
    const files = await judgeExport(out);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = await readFile(path.join(out, file.file));
      expect([file.file, file.bom]).toEqual([file.file, true]);
      expect(bytes.toString('utf8').replace(/\r\n/g, '')).not.toContain('\n');
      const schema = file.dataset === 'exam_results' ? EXAM_RESULTS : ITEM_RESPONSES;
      expect(file.header).toEqual(schema.columns.map((c) => titleCase(c.name)));
      expect(file.rows.filter((r) => r.outcome !== 'ok')).toEqual([]);
    }
  });

  it('--variety varies header spelling, BOM, line ends, booleans, timestamps, quoting and trailing lines', async () => {
    const out = path.join(dir, 'variety');
    await generateSampleData(out, { ...SMALL, seed: 'variety', variety: true });
    const files = await judgeExport(out);
    const texts = await Promise.all(files.map((f) => readFile(path.join(out, f.file), 'utf8')));
    const headers = new Set(files.map((f) => f.header.join(',')));
    expect(headers.size).toBeGreaterThan(4);
    expect(new Set(files.map((f) => f.bom))).toEqual(new Set([true, false]));
    expect(new Set(files.map((f) => f.crlf))).toEqual(new Set([true, false]));
    const results = texts.filter((_, i) => files[i]!.dataset === 'exam_results');
    const passedSpellings = new Set(
      results.flatMap((t) => [...t.matchAll(/,(true|TRUE|True|1|yes)\r?$/gm)].map((m) => m[1])),
    );
    expect(passedSpellings.size).toBeGreaterThan(1);
    expect(texts.some((t) => /,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d,/.test(t))).toBe(true);
    expect(texts.some((t) => /"[^"\r\n]*:\r?\n[^"]*"/.test(t))).toBe(true);
    expect(texts.some((t) => /\r?\n\r?\n$/.test(t))).toBe(true);
    for (const file of files) expect([file.file, file.rows.filter((r) => r.outcome !== 'ok')]).toEqual([file.file, []]);
  });
});
