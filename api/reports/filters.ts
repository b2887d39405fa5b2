import { Sql, sql } from '../core/Sql';
import type { ReportParameters } from './ReportDefinition';

/** `score / max_score` in percent, as a double (curated scores are decimals). */
export function scorePct(alias: string): Sql {
  return Sql.raw(`CAST(${alias}.score AS double) / CAST(${alias}.max_score AS double) * 100`);
}

/**
 * The optional filters shared by reports, each ` AND …` on `alias` when its parameter is given: exam, school,
 * class, subject, and the inclusive `from`/`to` range of `submitted_at` (as dates).
 */
export function commonFilters(
  alias: string,
  p: ReportParameters,
  only: readonly ('examId' | 'schoolId' | 'classId' | 'subject' | 'dates')[],
): Sql {
  const parts: Sql[] = [];
  const col = (name: string) => Sql.raw(`${alias}.${name}`);
  if (only.includes('examId') && p.examId !== undefined) parts.push(sql` AND ${col('exam_id')} = ${p.examId}`);
  if (only.includes('schoolId') && p.schoolId !== undefined) parts.push(sql` AND ${col('school_id')} = ${p.schoolId}`);
  if (only.includes('classId') && p.classId !== undefined) parts.push(sql` AND ${col('class_id')} = ${p.classId}`);
  if (only.includes('subject') && p.subject !== undefined) parts.push(sql` AND ${col('subject')} = ${p.subject}`);
  if (only.includes('dates')) {
    if (p.from !== undefined) parts.push(sql` AND CAST(${col('submitted_at')} AS date) >= ${{ date: p.from }}`);
    if (p.to !== undefined) parts.push(sql` AND CAST(${col('submitted_at')} AS date) <= ${{ date: p.to }}`);
  }
  return Sql.join(parts, '');
}

/** Mean score % of the rows' `score_pct`, rounded, as a double. */
export const MEAN_SCORE = Sql.raw('round(CAST(avg(score_pct) AS double), 2) AS mean_score_pct');

/**
 * Share of rows passed (0–1), rounded, as a double. Double literals (`1e0`): `avg` of `1.0`/`0.0` is a
 * `decimal(2,1)` in Trino, which would round the share to one decimal before the cast.
 */
export const PASS_RATE = Sql.raw('round(avg(CASE WHEN passed THEN 1e0 ELSE 0e0 END), 4) AS pass_rate');
