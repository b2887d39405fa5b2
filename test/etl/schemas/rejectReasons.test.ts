import { t } from '../../../etl/schemas/columnTypes';
import { SchemaError } from '../../../etl/schemas/errors';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { type ParsedField, parseField } from '../../../etl/schemas/parseField';
import {
  invalidTypeReason,
  REJECT_REASON_CODES,
  REJECT_REASONS,
  type RejectReasonCode,
  SUPERSEDED,
} from '../../../etl/schemas/rejectReasons';
import { judgeObject } from '../generate/support/judgeExport';

/**
 * One small raw object per reason code, judged by the schemas (plus the reference CSV reader for what the schemas
 * leave to the caller): every code in the catalogue is produced by some input, and by the one expected.
 */
const HEADER = EXAM_RESULTS.columns.map((c) => c.name).join(',');
const example = (changes: Record<string, string> = {}) =>
  EXAM_RESULTS.columns
    .map((c) => changes[c.name] ?? (c.example.includes(',') ? `"${c.example}"` : c.example))
    .join(',');
const object = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);
const KEY = 'exam_results/test.csv';

const FILE_CASES: Record<string, readonly [string, Buffer]> = {
  EMPTY_FILE: [KEY, Buffer.from('\uFEFF\n\r\n')],
  UNKNOWN_DATASET: ['uploads/attendance.csv', object('student_id,date,present', 'STU-1,2025-10-14,true')],
  MISSING_COLUMNS: [KEY, object(HEADER.replace(',score', ''))],
  UNKNOWN_COLUMNS: [KEY, object(`${HEADER},shoe_size`)],
  DUPLICATE_COLUMNS: [KEY, object(`${HEADER},Student ID`)],
};

const ROW_CASES: Record<string, Buffer> = {
  INVALID_ENCODING: Buffer.concat([
    object(HEADER),
    Buffer.from(example({ student_name: 'Jonas M' })),
    Buffer.from([0xfc, 0x0a]),
  ]),
  MALFORMED_ROW: object(HEADER, example({ exam_title: 'A "quoted" title' })),
  WRONG_FIELD_COUNT: object(HEADER, `${example()},extra`),
  MISSING_REQUIRED: object(HEADER, example({ subject: '' })),
  INVALID_INTEGER: object(HEADER, example({ grade_level: 'five' })),
  INVALID_DECIMAL: object(HEADER, example({ score: '31 pts' })),
  INVALID_BOOLEAN: object(HEADER, example({ passed: 'maybe' })),
  INVALID_TIMESTAMP: object(HEADER, example({ started_at: '14/10/2025 09:05' })),
  OUT_OF_RANGE: object(HEADER, example({ grade_level: '13' })),
  INVALID_ENUM: object(HEADER, example({ subject: 'astrology' })),
  PATTERN_MISMATCH: object(HEADER, example({ student_id: 'STU 000123' })),
  TOO_LONG: object(HEADER, example({ region: 'x'.repeat(101) })),
  CONSTRAINT_VIOLATION: object(HEADER, example({ score: '41.00' })),
  DUPLICATE_IN_FILE: object(HEADER, example(), example()),
};

/** Declared types no dataset uses yet: their reasons come from parsing a field of that type. */
const TYPE_ONLY: Partial<Record<RejectReasonCode, ParsedField>> = {
  INVALID_DOUBLE: parseField(t.double(), 'NaN'),
  INVALID_DATE: parseField(t.date(), '2025-02-30'),
};

function fileReason([key, data]: readonly [string, Buffer]): string {
  try {
    judgeObject(key, data);
  } catch (err) {
    if (err instanceof SchemaError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('REJECT_REASONS', () => {
  it('describes every code in a sentence', () => {
    for (const code of REJECT_REASON_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(REJECT_REASONS[code].description).toMatch(/^[A-Z`].{20,}\.\)?$/s);
    }
    expect(SUPERSEDED.description).toMatch(/^A later raw object/);
    expect(REJECT_REASON_CODES).not.toContain(SUPERSEDED.code);
  });

  it('lists the whole-object reasons before the row reasons', () => {
    const scopes = REJECT_REASON_CODES.map((c) => REJECT_REASONS[c].scope);
    expect(scopes).toEqual([...scopes].sort((a, b) => (a === b ? 0 : a === 'file' ? -1 : 1)));
  });

  it('has an example input for every code', () => {
    const covered = [...Object.keys(FILE_CASES), ...Object.keys(ROW_CASES), ...Object.keys(TYPE_ONLY)].sort();
    expect(covered).toEqual([...REJECT_REASON_CODES].sort());
    for (const code of Object.keys(FILE_CASES)) expect(REJECT_REASONS[code as RejectReasonCode].scope).toBe('file');
    for (const code of Object.keys(ROW_CASES)) expect(REJECT_REASONS[code as RejectReasonCode].scope).toBe('row');
  });

  it.each(Object.entries(FILE_CASES))('refuses the whole object as %s', (code, input) => {
    expect(fileReason(input)).toBe(code);
  });

  it.each(Object.entries(ROW_CASES))('rejects the row as %s, keeping the valid rows', (code, data) => {
    const judged = judgeObject(KEY, data);
    const outcomes = judged.rows.map((r) => r.outcome);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([code]);
    expect(judged.rows.find((r) => r.outcome === code)!.line).toBe(code === 'DUPLICATE_IN_FILE' ? 3 : 2);
  });

  it.each(Object.entries(TYPE_ONLY))('gives %s for a field of its type', (code, parsed) => {
    expect(parsed).toMatchObject({ ok: false, reason: code });
  });

  it('maps every non-string type to its own reason', () => {
    expect(
      (['integer', 'bigint', 'decimal', 'double', 'boolean', 'timestamp', 'date'] as const).map(invalidTypeReason),
    ).toEqual([
      'INVALID_INTEGER',
      'INVALID_INTEGER',
      'INVALID_DECIMAL',
      'INVALID_DOUBLE',
      'INVALID_BOOLEAN',
      'INVALID_TIMESTAMP',
      'INVALID_DATE',
    ]);
  });

  it('accepts the example row, a header-only object, and an object with BOM, CRLF and trailing blank lines', () => {
    expect(judgeObject(KEY, object(HEADER, example())).rows.map((r) => r.outcome)).toEqual(['ok']);
    expect(judgeObject(KEY, object(HEADER)).rows).toEqual([]);
    const styled = Buffer.from(`\uFEFF${HEADER}\r\n${example({ exam_title: '"Line one\r\nline two"' })}\r\n\r\n\r\n`);
    const judged = judgeObject(KEY, styled);
    expect(judged.rows.map((r) => [r.line, r.outcome])).toEqual([[2, 'ok']]);
    expect(judged.rows[0]!.values!['exam_title']).toBe('Line one\r\nline two');
  });

  it('reads an unterminated quote to the end of the object as one malformed row', () => {
    const data = object(
      HEADER,
      example(),
      example({ result_id: 'r2', exam_title: '"Never closed' }),
      example({ result_id: 'r3' }),
    );
    const judged = judgeObject(KEY, data);
    expect(judged.rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'ok'],
      [3, 'MALFORMED_ROW'],
    ]);
  });
});
