import { sql } from '../core/Sql';
import { commonFilters, scorePct } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/** Histogram of one exam's score %, in `bins` equal-width bins (a score of 100% falls in the last bin). */
export const scoreDistribution: ReportDefinition = {
  id: 'score-distribution',
  title: 'Score distribution',
  description:
    'Histogram of the score (percent of the maximum) of one exam in equal-width bins, optionally for one school and a date range. Empty bins are not listed.',
  datasets: ['exam_results'],
  columnsRead: { exam_results: ['exam_id', 'school_id', 'score', 'max_score', 'submitted_at'] },
  disclosure: {
    keys: ['bin', 'lower_pct', 'upper_pct'],
    counts: ['attempts'],
    // The bins split the exam's attempts, which school-summary publishes.
    partition: true,
  },
  parametersSchema: 'ScoreDistributionParameters',
  roles: ['school_admin', 'partner', 'analyst'],
  columns: [
    { name: 'bin', type: 'integer', description: 'Bin number, 0 for the lowest scores.' },
    { name: 'lower_pct', type: 'double', description: 'Lowest score % of the bin (inclusive).' },
    { name: 'upper_pct', type: 'double', description: 'Highest score % of the bin (exclusive, except the last).' },
    { name: 'attempts', type: 'bigint', description: 'Attempts in the bin.' },
  ],
  query: (p) => {
    const bins = p.bins ?? 10;
    return sql`WITH a AS (
  SELECT ${scorePct('r')} AS score_pct
  FROM exam_results r
  WHERE r.exam_id = ${p.examId!}${commonFilters('r', p, ['schoolId', 'dates'])}
), b AS (
  SELECT least(CAST(floor(score_pct * ${bins} / 100.0) AS integer), ${bins - 1}) AS bin FROM a
)
SELECT bin, round(CAST(bin * 100.0 / ${bins} AS double), 2) AS lower_pct,
       round(CAST((bin + 1) * 100.0 / ${bins} AS double), 2) AS upper_pct, count(*) AS attempts
FROM b
GROUP BY bin
ORDER BY bin`;
  },
};
