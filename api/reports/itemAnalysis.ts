import { sql } from '../core/Sql';
import { commonFilters } from './filters';
import type { ReportDefinition } from './ReportDefinition';

/**
 * Classical item analysis of one exam: per question, the proportion of correct answers (difficulty), the
 * point-biserial correlation of answering it correctly with the attempt's total score % (discrimination),
 * the mean time spent and the most common wrong answer.
 */
export const itemAnalysis: ReportDefinition = {
  id: 'item-analysis',
  title: 'Item analysis',
  description:
    'Per question of one exam: proportion correct, point-biserial discrimination (correlation of a correct answer with the total score), mean time spent and the most common wrong answer; optionally for one school and a date range.',
  datasets: ['exam_results', 'item_responses'],
  columnsRead: {
    exam_results: ['result_id', 'exam_id', 'school_id', 'score', 'max_score', 'submitted_at'],
    item_responses: [
      'result_id',
      'exam_id',
      'question_id',
      'question_number',
      'skill',
      'response',
      'is_correct',
      'time_spent_seconds',
    ],
  },
  disclosure: {
    keys: ['question_id', 'question_number', 'skill'],
    counts: ['responses'],
    shares: [{ share: 'proportion_correct', of: 'responses' }],
    smallCounts: [{ count: 'most_common_wrong_count', with: ['most_common_wrong_answer'] }],
  },
  parametersSchema: 'ItemAnalysisParameters',
  roles: ['school_admin', 'partner', 'analyst'],
  columns: [
    { name: 'question_id', type: 'varchar', description: 'The question.' },
    { name: 'question_number', type: 'integer', description: 'Its position in the exam.' },
    { name: 'skill', type: 'varchar', description: 'The skill it assesses.' },
    { name: 'responses', type: 'bigint', description: 'Answers to it.' },
    { name: 'proportion_correct', type: 'double', description: 'Share answered correctly (0–1): the item’s easiness.' },
    { name: 'point_biserial', type: 'double', description: 'Correlation of a correct answer with the total score %.' },
    { name: 'mean_time_seconds', type: 'double', description: 'Mean time spent on it.' },
    { name: 'most_common_wrong_answer', type: 'varchar', description: 'The wrong answer given most often.' },
    { name: 'most_common_wrong_count', type: 'bigint', description: 'How often it was given.' },
  ],
  // `correct` is a double (1e0/0e0): avg of 1.0/0.0 would be a decimal(2,1) in Trino, rounded to one decimal.
  query: (p) => sql`WITH attempts AS (
  SELECT r.result_id, CAST(r.score AS double) / CAST(r.max_score AS double) * 100 AS total_pct
  FROM exam_results r
  WHERE r.exam_id = ${p.examId!}${commonFilters('r', p, ['schoolId', 'dates'])}
), items AS (
  SELECT i.question_id, i.question_number, i.skill, i.response, i.is_correct, i.time_spent_seconds, a.total_pct,
         CASE WHEN i.is_correct THEN 1e0 ELSE 0e0 END AS correct
  FROM item_responses i
  JOIN attempts a ON i.result_id = a.result_id
  WHERE i.exam_id = ${p.examId!}
), stats AS (
  SELECT question_id, min(question_number) AS question_number, max(skill) AS skill, count(*) AS responses,
         round(CAST(avg(correct) AS double), 4) AS proportion_correct,
         round(corr(CAST(correct AS double), total_pct), 4) AS point_biserial,
         round(CAST(avg(time_spent_seconds) AS double), 1) AS mean_time_seconds
  FROM items
  GROUP BY question_id
), wrong AS (
  SELECT question_id, response, count(*) AS n,
         row_number() OVER (PARTITION BY question_id ORDER BY count(*) DESC, response) AS rk
  FROM items
  WHERE NOT is_correct AND response IS NOT NULL AND response <> ''
  GROUP BY question_id, response
)
SELECT s.question_id, s.question_number, s.skill, s.responses, s.proportion_correct, s.point_biserial,
       s.mean_time_seconds, w.response AS most_common_wrong_answer, coalesce(w.n, 0) AS most_common_wrong_count
FROM stats s
LEFT JOIN wrong w ON w.question_id = s.question_id AND w.rk = 1
ORDER BY s.question_number, s.question_id`,
};
