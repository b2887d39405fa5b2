import { sql } from '../core/Sql';
import { commonFilters, MEAN_SCORE, PASS_RATE, scorePct } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/** Per exam of one school: attempts, students, mean and median score %, pass rate. */
export const schoolSummary: ReportDefinition = {
  id: 'school-summary',
  title: 'School summary',
  description:
    'Per exam taken at one school: attempts, distinct students, mean and median score (percent of the maximum) and pass rate, over an optional date range.',
  datasets: ['exam_results'],
  columnsRead: {
    exam_results: [
      'exam_id',
      'exam_title',
      'subject',
      'student_id',
      'passed',
      'score',
      'max_score',
      'school_id',
      'submitted_at',
    ],
  },
  disclosure: {
    keys: ['exam_id', 'exam_title', 'subject'],
    counts: ['attempts', 'students'],
    shares: [{ share: 'pass_rate', of: 'attempts' }],
  },
  parametersSchema: 'SchoolSummaryParameters',
  roles: ['school_admin', 'partner', 'analyst'],
  columns: [
    { name: 'exam_id', type: 'varchar', description: 'The exam.' },
    { name: 'exam_title', type: 'varchar', description: 'Its title.' },
    { name: 'subject', type: 'varchar', description: 'Its subject.' },
    { name: 'attempts', type: 'bigint', description: 'Attempts in the range.' },
    { name: 'students', type: 'bigint', description: 'Distinct students who attempted it.' },
    { name: 'mean_score_pct', type: 'double', description: 'Mean score, percent of the maximum.' },
    { name: 'median_score_pct', type: 'double', description: 'Median score, percent of the maximum.' },
    { name: 'pass_rate', type: 'double', description: 'Share of attempts passed (0–1).' },
  ],
  query: (p) => sql`WITH a AS (
  SELECT r.exam_id, r.exam_title, r.subject, r.student_id, r.passed, ${scorePct('r')} AS score_pct
  FROM exam_results r
  WHERE r.school_id = ${p.schoolId!}${commonFilters('r', p, ['examId', 'subject', 'dates'])}
), ranked AS (
  SELECT a.*, row_number() OVER (PARTITION BY exam_id ORDER BY score_pct) AS rn,
         count(*) OVER (PARTITION BY exam_id) AS n
  FROM a
)
SELECT exam_id, max(exam_title) AS exam_title, max(subject) AS subject, count(*) AS attempts,
       count(DISTINCT student_id) AS students, ${MEAN_SCORE},
       round(CAST(avg(CASE WHEN rn BETWEEN n / 2.0 AND n / 2.0 + 1 THEN score_pct END) AS double), 2) AS median_score_pct,
       ${PASS_RATE}
FROM ranked
GROUP BY exam_id
ORDER BY exam_id`,
};
