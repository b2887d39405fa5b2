import { sql } from '../core/Sql';
import { commonFilters, MEAN_SCORE, PASS_RATE, scorePct } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/** The classes of one school side by side. */
export const classComparison: ReportDefinition = {
  id: 'class-comparison',
  title: 'Class comparison',
  description:
    'The classes of one school side by side: attempts, students, mean score (percent of the maximum) and pass rate, optionally for one exam, class, subject and a date range.',
  datasets: ['exam_results'],
  columnsRead: {
    exam_results: [
      'class_id',
      'teacher_id',
      'student_id',
      'passed',
      'score',
      'max_score',
      'school_id',
      'exam_id',
      'subject',
      'submitted_at',
    ],
  },
  disclosure: {
    keys: ['class_id', 'teacher_id'],
    counts: ['attempts', 'students'],
    shares: [{ share: 'pass_rate', of: 'attempts' }],
    // The classes split the school's attempts, which school-summary publishes.
    partition: true,
  },
  parametersSchema: 'ClassComparisonParameters',
  roles: ['school_admin', 'partner', 'analyst'],
  columns: [
    { name: 'class_id', type: 'varchar', description: 'The class.' },
    { name: 'teacher_id', type: 'varchar', description: 'Its teacher (the latest listed).' },
    { name: 'attempts', type: 'bigint', description: 'Attempts by its students.' },
    { name: 'students', type: 'bigint', description: 'Distinct students.' },
    { name: 'mean_score_pct', type: 'double', description: 'Mean score, percent of the maximum.' },
    { name: 'pass_rate', type: 'double', description: 'Share of attempts passed (0–1).' },
  ],
  query: (p) => sql`WITH a AS (
  SELECT r.class_id, r.teacher_id, r.student_id, r.passed, ${scorePct('r')} AS score_pct
  FROM exam_results r
  WHERE r.school_id = ${p.schoolId!}${commonFilters('r', p, ['examId', 'classId', 'subject', 'dates'])}
)
SELECT class_id, max(teacher_id) AS teacher_id, count(*) AS attempts, count(DISTINCT student_id) AS students,
       ${MEAN_SCORE}, ${PASS_RATE}
FROM a
GROUP BY class_id
ORDER BY class_id`,
};
