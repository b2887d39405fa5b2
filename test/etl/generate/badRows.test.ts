import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BAD_ROW_KINDS,
  type BadRowEntry,
  type BadRowKindName,
  badRowKindsFor,
} from '../../../etl/generate/badRowKinds';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { REJECT_REASON_CODES, REJECT_REASONS, SUPERSEDED } from '../../../etl/schemas/rejectReasons';
import { type JudgedFile, judgeExport, readBadRows, readManifest } from './support/judgeExport';

let dir: string;
let out: string;
let judged: JudgedFile[];
let badRows: BadRowEntry[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-bad-rows-'));
  out = path.join(dir, 'out');
  await generateSampleData(out, {
    seed: 'bad-rows',
    schools: 2,
    classesPerGrade: 1,
    studentsPerClass: 12,
    badRows: 0.05,
    variety: true,
  });
  judged = await judgeExport(out);
  badRows = await readBadRows(out);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const place = (e: { file: string; line: number }) => `${e.file}:${e.line}`;

describe('--bad-rows', () => {
  it('injects every kind of bad row into every dataset it applies to', () => {
    for (const dataset of ['exam_results', 'item_responses'] as const) {
      const kinds = new Set(badRows.filter((e) => e.dataset === dataset).map((e) => e.kind));
      expect([...kinds].sort()).toEqual([...badRowKindsFor(dataset)].sort());
    }
  });

  it('lists each bad row with the reason code its kind declares', () => {
    for (const entry of badRows) expect(entry.expected).toBe(BAD_ROW_KINDS[entry.kind].expected);
  });

  it('covers every row reason code the schemas document, and SUPERSEDED', () => {
    const expected = new Set(badRows.map((e) => e.expected));
    const rowReasons = REJECT_REASON_CODES.filter((c) => REJECT_REASONS[c].scope === 'row');
    // Dates and doubles are declared types no dataset uses yet; their reasons are exercised by the schema tests.
    const unused = ['INVALID_DATE', 'INVALID_DOUBLE'];
    expect([...expected].sort()).toEqual([...rowReasons.filter((c) => !unused.includes(c)), SUPERSEDED.code].sort());
  });

  it('makes each listed row fail with exactly its expected reason, and nothing else fail', () => {
    const actual = new Map(
      judged.flatMap((f) => f.rows.filter((r) => r.outcome !== 'ok').map((r) => [place(r), r] as const)),
    );
    const listed = new Map(badRows.map((e) => [place(e), e] as const));
    const mismatches = [...listed.values()]
      .filter((e) => actual.get(place(e))?.outcome !== e.expected)
      .map((e) => `${place(e)} ${e.kind}: expected ${e.expected}, judged ${actual.get(place(e))?.outcome ?? 'ok'}`);
    const unlisted = [...actual.values()].filter((r) => !listed.has(place(r))).map((r) => `${place(r)} ${r.outcome}`);
    expect({ mismatches, unlisted }).toEqual({ mismatches: [], unlisted: [] });
  });

  it('names the column or rule at fault where the defect has one', () => {
    const byPlace = new Map(judged.flatMap((f) => f.rows.map((r) => [place(r), r] as const)));
    const perColumn = new Set<BadRowKindName>([
      'missing_required',
      'invalid_integer',
      'invalid_decimal',
      'invalid_boolean',
      'invalid_timestamp',
      'timestamp_without_offset',
      'out_of_range',
      'bad_enum',
      'pattern_mismatch',
      'too_long',
    ]);
    for (const entry of badRows) {
      const row = byPlace.get(place(entry))!;
      if (perColumn.has(entry.kind)) expect([entry.kind, row.column]).toEqual([entry.kind, entry.column]);
      if (entry.expected === 'CONSTRAINT_VIOLATION') expect(row.rule).toBe(entry.rule);
    }
  });

  it('points each superseded row at the correction that replaces it', () => {
    const corrected = badRows.filter((e) => e.kind === 'corrected_reexport');
    expect(corrected.length).toBeGreaterThan(0);
    const byPlace = new Map(judged.flatMap((f) => f.rows.map((r) => [place(r), r] as const)));
    for (const entry of corrected) {
      expect(entry.correctedBy!.file).toMatch(/^(exam_results|item_responses)\/\1-corrections\.csv$/);
      const correction = byPlace.get(place(entry.correctedBy!))!;
      expect(correction.outcome).toBe('ok');
      const original = byPlace.get(place(entry))!;
      expect(original.outcome).toBe(SUPERSEDED.code);
    }
  });

  it('injects about the requested fraction of rows', async () => {
    const manifest = await readManifest(out);
    const rows = manifest.files.reduce((n, f) => n + f.records, 0);
    expect(manifest.counts['badRows']).toBe(badRows.length);
    expect(badRows.length / rows).toBeGreaterThan(0.03);
    expect(badRows.length / rows).toBeLessThan(0.07);
  });

  it('puts an unterminated quote only as the last record of its file', () => {
    for (const entry of badRows.filter((e) => e.kind === 'unterminated_quote')) {
      const file = judged.find((f) => f.file === entry.file)!;
      expect(file.rows[file.rows.length - 1]!.line).toBe(entry.line);
    }
  });
});
