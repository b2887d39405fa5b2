import { sql } from '../core/Sql';
import { commonFilters, MEAN_SCORE, PASS_RATE, scorePct } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/** Per subject and calendar month (UTC) of submission: attempts, mean score %, pass rate. */
export const subjectTrends: ReportDefinition = {
  id: 'subject-trends',
  title: 'Subject trends',
  description:
    'Monthly attempts, mean score (percent of the maximum) and pass rate per subject, optionally for one subject, one school and a date range.',
  datasets: ['exam_results'],
  columnsRead: { exam_results: ['subject', 'school_id', 'passed', 'score', 'max_score', 'submitted_at'] },
  disclosure: {
    keys: ['subject', 'year', 'month'],
    counts: ['attempts'],
    shares: [{ share: 'pass_rate', of: 'attempts' }],
  },
  parametersSchema: 'SubjectTrendsParameters',
  roles: ['school_admin', 'partner', 'analyst'],
  columns: [
    { name: 'subject', type: 'varchar', description: 'The subject.' },
    { name: 'year', type: 'integer', description: 'Year of submission (UTC).' },
    { name: 'month', type: 'integer', description: 'Month of submission, 1–12 (UTC).' },
    { name: 'attempts', type: 'bigint', description: 'Attempts submitted that month.' },
    { name: 'mean_score_pct', type: 'double', description: 'Mean score, percent of the maximum.' },
    { name: 'pass_rate', type: 'double', description: 'Share of attempts passed (0–1).' },
  ],
  query: (p) => sql`WITH a AS (
  SELECT r.subject, CAST(year(r.submitted_at) AS integer) AS yr, CAST(month(r.submitted_at) AS integer) AS mo,
         r.passed, ${scorePct('r')} AS score_pct
  FROM exam_results r
  WHERE TRUE${commonFilters('r', p, ['subject', 'schoolId', 'dates'])}
)
SELECT subject, yr AS year, mo AS month, count(*) AS attempts, ${MEAN_SCORE}, ${PASS_RATE}
FROM a
GROUP BY subject, yr, mo
ORDER BY subject, year, month`,
};
