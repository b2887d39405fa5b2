import { EXAM_RESULTS } from '../../../etl/schemas/examResults';

/** A valid exam_results row in canonical column order, as text fields. */
export type ExamRow = Record<string, string>;

let counter = 0;

/** A valid exam_results row; `overrides` replaces fields by column name. */
export function examRow(overrides: Partial<ExamRow> = {}): ExamRow {
  counter++;
  return {
    result_id: `R-${String(counter).padStart(6, '0')}`,
    exam_id: 'MAT-G05-2025-AUT',
    exam_title: 'Mathematics, grade 5',
    subject: 'mathematics',
    grade_level: '5',
    school_id: 'SCH-0001',
    school_name: 'Ashford Primary',
    district_id: 'DIS-01',
    region: 'North',
    class_id: 'SCH-0001-05A',
    teacher_id: 'TCH-00001',
    student_id: `STU-${counter}`,
    student_name: 'Maria Jensen',
    attempt: '1',
    started_at: '2025-10-14T09:05:00+02:00',
    submitted_at: '2025-10-14T10:02:31+02:00',
    score: '31.00',
    max_score: '40.00',
    passed: 'true',
    ...overrides,
  };
}

/** A field quoted when it must be (or always, with `quoteAll`), RFC 4180 style. */
export function csvField(value: string, quoteAll = false): string {
  return quoteAll || /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV export of exam_results rows with the canonical header. */
export function examResultsCsv(rows: readonly ExamRow[], options: { eol?: string; bom?: boolean } = {}): string {
  const eol = options.eol ?? '\n';
  const names = EXAM_RESULTS.columns.map((c) => c.name);
  const lines = [names.join(','), ...rows.map((r) => names.map((n) => csvField(r[n] ?? '')).join(','))];
  return `${options.bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`;
}
