import { sql } from '../core/Sql';
import { commonFilters, scorePct } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/** One student's attempts in time order. */
export const studentProgress: ReportDefinition = {
  id: 'student-progress',
  title: 'Student progress',
  description:
    "One student's attempts in the order they were submitted, with score percent and pass, optionally for one subject and a date range.",
  datasets: ['exam_results'],
  columnsRead: {
    exam_results: [
      'student_id',
      'submitted_at',
      'exam_id',
      'exam_title',
      'subject',
      'attempt',
      'score',
      'max_score',
      'passed',
    ],
  },
  disclosure: null,
  parametersSchema: 'StudentProgressParameters',
  // Addressed by student id (personal data): not for partners, who see pseudonyms only.
  roles: ['school_admin', 'analyst'],
  columns: [
    { name: 'submitted_at', type: 'timestamp', description: 'When the attempt was submitted (UTC).' },
    { name: 'exam_id', type: 'varchar', description: 'The exam.' },
    { name: 'exam_title', type: 'varchar', description: 'Its title.' },
    { name: 'subject', type: 'varchar', description: 'Its subject.' },
    { name: 'attempt', type: 'integer', description: 'Attempt number at this exam (1 = first).' },
    { name: 'score_pct', type: 'double', description: 'Score, percent of the maximum.' },
    { name: 'passed', type: 'boolean', description: 'Whether the attempt passed.' },
  ],
  query: (p) => sql`SELECT r.submitted_at, r.exam_id, r.exam_title, r.subject, r.attempt,
       round(${scorePct('r')}, 2) AS score_pct, r.passed
FROM exam_results r
WHERE r.student_id = ${p.studentId!}${commonFilters('r', p, ['subject', 'dates'])}
ORDER BY r.submitted_at, r.exam_id, r.attempt`,
};
