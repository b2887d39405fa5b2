import { t } from '../../../etl/schemas/columnTypes';
import type { DatasetSchema } from '../../../etl/schemas/DatasetSchema';
import { column, defineDataset } from '../../../etl/schemas/defineDataset';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';
import { type HeaderMapping, resolveHeader } from '../../../etl/schemas/resolveHeader';
import { type RecordCheck, validateRecord } from '../../../etl/schemas/validateRecord';

/** A row of every column's documented example, with some fields replaced. */
function row(schema: DatasetSchema, changes: Record<string, string> = {}): string[] {
  for (const name of Object.keys(changes)) {
    if (!schema.columns.some((c) => c.name === name)) throw new Error(`${schema.name} has no column ${name}`);
  }
  return schema.columns.map((c) => changes[c.name] ?? c.example);
}

const NOW = '2025-10-14T09:00:00Z';
const results = resolveHeader(
  EXAM_RESULTS,
  EXAM_RESULTS.columns.map((c) => c.name),
);
const responses = resolveHeader(
  ITEM_RESPONSES,
  ITEM_RESPONSES.columns.map((c) => c.name),
);

function check(changes: Record<string, string>, mapping: HeaderMapping = results): RecordCheck {
  return validateRecord(mapping, row(mapping.dataset, changes));
}

function failure(result: RecordCheck) {
  if (result.ok) throw new Error('expected the row to be rejected');
  return result;
}

describe('validateRecord', () => {
  it('accepts the documented example of every column, typed', () => {
    const result = check({});
    expect(result).toEqual({
      ok: true,
      values: expect.objectContaining({
        result_id: '7f3c2a9e-5d41-4b8a-9c0e-2f6d8b1a4e77',
        grade_level: 5,
        attempt: 1,
        started_at: Date.parse('2025-10-14T07:05:00Z'),
        submitted_at: Date.parse('2025-10-14T08:02:31Z'),
        score: 31,
        max_score: 40,
        passed: true,
      }),
    });
    expect(check({}, responses).ok).toBe(true);
  });

  it('reads the fields through the header mapping, in any column order', () => {
    const names = [...EXAM_RESULTS.columns.map((c) => c.name)].reverse();
    const mapping = resolveHeader(EXAM_RESULTS, names);
    const fields = names.map((n) => EXAM_RESULTS.columns.find((c) => c.name === n)!.example);
    expect(validateRecord(mapping, fields)).toEqual(check({}));
  });

  it('stores null for an empty nullable field and for a nullable column the header lacks', () => {
    const header = EXAM_RESULTS.columns.map((c) => c.name).filter((n) => n !== 'teacher_id');
    const mapping = resolveHeader(EXAM_RESULTS, header);
    const fields = EXAM_RESULTS.columns.filter((c) => c.name !== 'teacher_id').map((c) => c.example);
    const result = validateRecord(mapping, fields);
    expect(result.ok && result.values['teacher_id']).toBeNull();
    const empty = check({ exam_title: '', student_name: '  ' });
    expect(empty.ok && [empty.values['exam_title'], empty.values['student_name']]).toEqual([null, null]);
  });

  it('stores an enum value in its declared spelling', () => {
    const result = check({ subject: '  MatheMatics ' });
    expect(result.ok && result.values['subject']).toBe('mathematics');
  });

  it('rejects a row with fewer or more fields than the header as WRONG_FIELD_COUNT', () => {
    const short = row(EXAM_RESULTS).slice(0, -1);
    expect(validateRecord(results, short)).toEqual({
      ok: false,
      reason: 'WRONG_FIELD_COUNT',
      message: 'The row has 18 fields; the header has 19.',
    });
    expect(failure(validateRecord(results, [...row(EXAM_RESULTS), ''])).reason).toBe('WRONG_FIELD_COUNT');
  });

  it.each([
    ['an empty field', ''],
    ['an all-space field', '   '],
  ])('rejects %s in a required column as MISSING_REQUIRED, naming it', (_, text) => {
    expect(check({ student_id: text })).toEqual({
      ok: false,
      reason: 'MISSING_REQUIRED',
      column: 'student_id',
      message: 'student_id is required.',
    });
  });

  it.each([
    ['grade_level', 'five', 'INVALID_INTEGER'],
    ['score', '31,00', 'INVALID_DECIMAL'],
    ['passed', 'maybe', 'INVALID_BOOLEAN'],
    ['started_at', '2025-10-14T09:05:00', 'INVALID_TIMESTAMP'],
  ])('rejects %s %j as %s, naming the column', (column, text, reason) => {
    const result = failure(check({ [column]: text }));
    expect(result).toMatchObject({ reason, column });
    expect(result.message).toMatch(new RegExp(`^${column}: '${text}' is not `));
  });

  it('rejects an invalid double as INVALID_DOUBLE and an invalid date as INVALID_DATE', () => {
    const mapping = resolveHeader(TYPED, ['id', 'ratio', 'sat_on', 'submitted']);
    expect(failure(validateRecord(mapping, ['a', 'NaN', '2025-10-14', NOW]))).toMatchObject({
      reason: 'INVALID_DOUBLE',
      column: 'ratio',
    });
    expect(failure(validateRecord(mapping, ['a', '0.5', '2025-02-30', NOW]))).toMatchObject({
      reason: 'INVALID_DATE',
      column: 'sat_on',
    });
    expect(validateRecord(mapping, ['a', '0.05e1', '2025-02-28', NOW])).toEqual({
      ok: true,
      values: {
        id: 'a',
        ratio: 0.5,
        sat_on: '2025-02-28',
        low: null,
        high: null,
        at: null,
        submitted: Date.parse(NOW),
      },
    });
  });

  describe('value constraints', () => {
    it.each([
      ['grade_level', '0', 'grade_level 0 is not at least 1 and at most 12.'],
      ['grade_level', '13', 'grade_level 13 is not at least 1 and at most 12.'],
      ['attempt', '0', 'attempt 0 is not at least 1 and at most 20.'],
      ['score', '-1.00', 'score -1 is not at least 0.'],
      ['max_score', '0', 'max_score 0 is not greater than 0.'],
    ])('rejects %s %s as OUT_OF_RANGE', (column, text, message) => {
      expect(check({ [column]: text })).toEqual({ ok: false, reason: 'OUT_OF_RANGE', column, message });
    });

    it('accepts the bounds of an inclusive range', () => {
      expect(check({ grade_level: '1' }).ok).toBe(true);
      expect(check({ grade_level: '12' }).ok).toBe(true);
      expect(check({ score: '0' }).ok).toBe(true);
    });

    it('rejects a value at or beyond an exclusive maximum as OUT_OF_RANGE', () => {
      const mapping = resolveHeader(TYPED, ['id', 'ratio', 'submitted']);
      expect(validateRecord(mapping, ['a', '0.99', NOW]).ok).toBe(true);
      expect(validateRecord(mapping, ['a', '1', NOW])).toEqual({
        ok: false,
        reason: 'OUT_OF_RANGE',
        column: 'ratio',
        message: 'ratio 1 is not greater than 0 and less than 1.',
      });
    });

    it('rejects a value outside the enum as INVALID_ENUM, listing the allowed values', () => {
      expect(check({ subject: 'astrology' })).toEqual({
        ok: false,
        reason: 'INVALID_ENUM',
        column: 'subject',
        message: "subject 'astrology' is not one of mathematics, reading, writing, science, social_studies, languages.",
      });
    });

    it.each([
      ['a space', 'STU 000123'],
      ['a leading space', ' STU-000123'],
      ['a leading hyphen', '-STU'],
      ['a slash', 'STU/1'],
    ])('rejects an identifier with %s as PATTERN_MISMATCH', (_, text) => {
      expect(failure(check({ student_id: text }))).toMatchObject({ reason: 'PATTERN_MISMATCH', column: 'student_id' });
    });

    it('counts length in characters, not bytes or UTF-16 units, and rejects beyond it as TOO_LONG', () => {
      expect(check({ region: 'Ö'.repeat(100) }).ok).toBe(true);
      expect(check({ region: '🎓'.repeat(100) }).ok).toBe(true);
      expect(check({ region: 'x'.repeat(101) })).toEqual({
        ok: false,
        reason: 'TOO_LONG',
        column: 'region',
        message: 'region is longer than 100 characters.',
      });
      expect(failure(check({ result_id: 'a'.repeat(65) })).reason).toBe('TOO_LONG');
    });
  });

  describe('rules between columns', () => {
    it('rejects a submission before the start as CONSTRAINT_VIOLATION naming the rule', () => {
      expect(check({ started_at: '2025-10-14T10:00:00+02:00', submitted_at: '2025-10-14T09:59:59+02:00' })).toEqual({
        ok: false,
        reason: 'CONSTRAINT_VIOLATION',
        rule: 'submitted_after_started',
        message:
          'Rule submitted_after_started fails: submitted_at >= started_at (An attempt is submitted no earlier than it starts.)',
      });
    });

    it('compares timestamps as instants, whatever their offsets', () => {
      // 09:30 at +02:00 is 07:30 UTC, after 08:00 at +01:00 is 07:00 UTC.
      expect(check({ started_at: '2025-10-14T08:00:00+01:00', submitted_at: '2025-10-14T09:30:00+02:00' }).ok).toBe(
        true,
      );
      expect(
        failure(check({ started_at: '2025-10-14T09:00:00+00:00', submitted_at: '2025-10-14T10:30:00+02:00' })).rule,
      ).toBe('submitted_after_started');
    });

    it('accepts a submission at the same instant as the start', () => {
      expect(check({ started_at: '2025-10-14T08:00:00Z', submitted_at: '2025-10-14T10:00:00+02:00' }).ok).toBe(true);
    });

    it('rejects a score above the maximum as CONSTRAINT_VIOLATION, comparing numbers not text', () => {
      expect(failure(check({ score: '40.01', max_score: '40' })).rule).toBe('score_within_max');
      expect(check({ score: '9.00', max_score: '10.00' }).ok).toBe(true);
      expect(check({ score: '40', max_score: '40.00' }).ok).toBe(true);
    });

    it('rejects points above the maximum of the question', () => {
      expect(failure(check({ points: '2', max_points: '1' }, responses))).toMatchObject({
        reason: 'CONSTRAINT_VIOLATION',
        rule: 'points_within_max',
      });
    });

    it('holds a rule whose side is null, leaving the missing value to nullability', () => {
      const mapping = resolveHeader(TYPED, ['id', 'low', 'high', 'submitted']);
      expect(validateRecord(mapping, ['a', '', '1', NOW]).ok).toBe(true);
      expect(failure(validateRecord(mapping, ['a', '2', '1', NOW])).rule).toBe('low_le_high');
    });
  });

  describe('the order of reasons', () => {
    it('reports a missing required field before a type error in an earlier column', () => {
      expect(failure(check({ grade_level: 'five', passed: '' }))).toMatchObject({
        reason: 'MISSING_REQUIRED',
        column: 'passed',
      });
    });

    it('reports a type error before a value error in an earlier column', () => {
      expect(failure(check({ grade_level: '13', passed: 'maybe' })).reason).toBe('INVALID_BOOLEAN');
    });

    it('reports the type reason that comes first in the catalogue, not the first column', () => {
      // is_correct (boolean) comes before points (decimal) in the row; INVALID_DECIMAL comes first in the catalogue.
      expect(failure(check({ is_correct: 'maybe', points: 'one' }, responses))).toMatchObject({
        reason: 'INVALID_DECIMAL',
        column: 'points',
      });
    });

    it('within one reason, reports the first column in schema order', () => {
      expect(failure(check({ attempt: '0', grade_level: '13' })).column).toBe('grade_level');
    });

    it('reports a range error before an enum, pattern or length error', () => {
      expect(
        failure(check({ subject: 'astrology', student_id: 'a b', region: 'x'.repeat(101), score: '-1' })).reason,
      ).toBe('OUT_OF_RANGE');
      expect(failure(check({ subject: 'astrology', student_id: 'a b', region: 'x'.repeat(101) })).reason).toBe(
        'INVALID_ENUM',
      );
      expect(failure(check({ student_id: 'a b', region: 'x'.repeat(101) })).reason).toBe('PATTERN_MISMATCH');
    });

    it('reports a value error before a rule between columns', () => {
      expect(failure(check({ score: '50', subject: 'astrology' })).reason).toBe('INVALID_ENUM');
    });
  });
});

/** A small dataset with the types and constraints the real ones do not use. */
const TYPED = defineDataset({
  name: 'typed_fixture',
  title: 'Typed fixture',
  description: 'Exercises doubles, dates and exclusive maxima.',
  grain: 'one row per test case',
  columns: [
    column('id', t.string(), { description: 'Key.', example: 'a' }),
    column('ratio', t.double(), {
      nullable: true,
      description: 'A ratio.',
      example: '0.5',
      constraints: { exclusiveMin: 0, exclusiveMax: 1 },
    }),
    column('sat_on', t.date(), { nullable: true, description: 'A day.', example: '2025-10-14' }),
    column('low', t.integer(), { nullable: true, description: 'Low.', example: '1' }),
    column('high', t.integer(), { nullable: true, description: 'High.', example: '2' }),
    column('at', t.timestamp(), { nullable: true, description: 'Not a partition source here.', example: '' }),
    column('submitted', t.timestamp(), { description: 'Partition source.', example: '2025-10-14T09:00:00Z' }),
  ],
  naturalKey: ['id'],
  rules: [{ name: 'low_le_high', left: 'low', operator: '<=', right: 'high', description: 'Ordered.' }],
  sortKeys: ['id'],
  partitionSource: 'submitted',
  pseudonymSource: undefined,
});
