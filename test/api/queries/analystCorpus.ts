/**
 * Ordinary analyst queries, as a new user writes them in Athena's console: aggregates, date and string functions,
 * window functions, CTEs, joins of the two datasets, set operations and every spelling of the row limit. Each must
 * pass the ad-hoc validator and run through the API against the sample data with at least one row.
 */
const E = 'examlake.exam_results';
const I = 'examlake.item_responses';

export const ANALYST_CORPUS: readonly (readonly [category: string, sql: string])[] = [
  // Aggregates
  ['aggregate', `SELECT count(*) AS n FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT count(*) FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT subject, count(*) AS attempts FROM ${E} GROUP BY subject ORDER BY subject LIMIT 20`],
  ['aggregate', `SELECT subject, round(avg(score), 2) AS mean_score FROM ${E} GROUP BY subject LIMIT 20`],
  ['aggregate', `SELECT round(avg(score), 2) AS m FROM ${E} LIMIT 1`],
  [
    'aggregate',
    `SELECT school_id, count(DISTINCT student_id) AS students FROM ${E} GROUP BY school_id ORDER BY school_id LIMIT 50`,
  ],
  ['aggregate', `SELECT min(score) AS lo, max(score) AS hi FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT sum(CASE WHEN passed THEN 1 ELSE 0 END) AS passes FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT count_if(passed) AS passes, count_if(NOT passed) AS fails FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT approx_distinct(student_id) AS students FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT approx_percentile(score, 0.5) AS median FROM ${E} LIMIT 1`],
  [
    'aggregate',
    `SELECT subject, approx_percentile(CAST(score AS double), 0.9) AS p90 FROM ${E} GROUP BY subject LIMIT 20`,
  ],
  ['aggregate', `SELECT stddev(CAST(score AS double)) AS sd FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT var_samp(CAST(score AS double)) AS v FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT arbitrary(school_name) AS name, school_id FROM ${E} GROUP BY school_id LIMIT 50`],
  ['aggregate', `SELECT region, count(*) AS n FROM ${E} GROUP BY region HAVING count(*) > 0 ORDER BY n DESC LIMIT 20`],
  [
    'aggregate',
    `SELECT grade_level, avg(CAST(score AS double) / CAST(max_score AS double)) AS pct FROM ${E} GROUP BY grade_level ORDER BY grade_level LIMIT 20`,
  ],
  ['aggregate', `SELECT attempt, count(*) AS n FROM ${E} GROUP BY attempt ORDER BY attempt LIMIT 10`],
  ['aggregate', `SELECT exam_id, max(attempt) AS most FROM ${E} GROUP BY exam_id LIMIT 100`],
  ['aggregate', `SELECT subject, sum(score) AS total FROM ${E} GROUP BY 1 ORDER BY 2 DESC LIMIT 10`],
  ['aggregate', `SELECT count(*) FILTER (WHERE passed) AS passes FROM ${E} LIMIT 1`],
  [
    'aggregate',
    `SELECT district_id, region, count(*) AS n FROM ${E} GROUP BY district_id, region ORDER BY n DESC LIMIT 20`,
  ],
  ['aggregate', `SELECT bool_and(score <= max_score) AS valid FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT bool_or(passed) AS any_passed FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT avg(attempt) AS mean_attempts, max(grade_level) AS top_grade FROM ${E} LIMIT 1`],
  ['aggregate', `SELECT corr(CAST(score AS double), CAST(attempt AS double)) AS r FROM ${E} LIMIT 1`],
  [
    'aggregate',
    `SELECT min_by(student_id, score) AS weakest, max_by(student_id, score) AS strongest FROM ${E} LIMIT 1`,
  ],
  ['aggregate', `SELECT teacher_id, count(DISTINCT class_id) AS classes FROM ${E} GROUP BY teacher_id LIMIT 100`],
  ['aggregate', `SELECT count(*) AS n FROM ${E} WHERE score IS NOT NULL LIMIT 1`],
  ['aggregate', `SELECT count(*), sum(score) FROM ${E} LIMIT 1`],
  // Dates and times
  [
    'date',
    `SELECT date_trunc('month', submitted_at) AS month_start, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 24`,
  ],
  [
    'date',
    `SELECT year(submitted_at) AS y, month(submitted_at) AS m, count(*) AS n FROM ${E} GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 24`,
  ],
  ['date', `SELECT year(submitted_at) AS y FROM ${E} LIMIT 1`],
  ['date', `SELECT date_format(submitted_at, '%Y-%m') AS ym, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 24`],
  ['date', `SELECT date_diff('minute', started_at, submitted_at) AS minutes FROM ${E} LIMIT 10`],
  ['date', `SELECT avg(date_diff('second', started_at, submitted_at)) AS mean_seconds FROM ${E} LIMIT 1`],
  ['date', `SELECT CAST(submitted_at AS date) AS day, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 400`],
  ['date', `SELECT day_of_week(submitted_at) AS dow, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 7`],
  ['date', `SELECT hour(submitted_at) AS h, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 24`],
  ['date', `SELECT current_date AS today FROM ${E} LIMIT 1`],
  [
    'date',
    `SELECT count(*) AS n FROM ${E} WHERE submitted_at >= from_iso8601_timestamp('2025-09-01T00:00:00Z') LIMIT 1`,
  ],
  [
    'date',
    `SELECT count(*) AS n FROM ${E} WHERE CAST(submitted_at AS date) BETWEEN DATE '2025-09-01' AND DATE '2026-06-30' LIMIT 1`,
  ],
  ['date', `SELECT to_iso8601(submitted_at) AS ts FROM ${E} LIMIT 3`],
  ['date', `SELECT date_add('day', 7, submitted_at) AS week_later FROM ${E} LIMIT 3`],
  ['date', `SELECT quarter(submitted_at) AS q, count(*) AS n FROM ${E} GROUP BY 1 LIMIT 4`],
  ['date', `SELECT day_of_year(submitted_at) AS doy FROM ${E} LIMIT 3`],
  ['date', `SELECT week(submitted_at) AS wk, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 60`],
  ['date', `SELECT to_unixtime(submitted_at) AS epoch FROM ${E} LIMIT 3`],
  ['date', `SELECT min(submitted_at) AS first_at, max(submitted_at) AS last_at FROM ${E} LIMIT 1`],
  ['date', `SELECT date_trunc('week', submitted_at) AS wk, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 60`],
  ['date', `SELECT extract(month FROM submitted_at) AS m, count(*) AS n FROM ${E} GROUP BY 1 LIMIT 12`],
  ['date', `SELECT minute(submitted_at) AS mi, day(submitted_at) AS d FROM ${E} LIMIT 1`],
  ['date', `SELECT count(*) AS n FROM ${E} WHERE submitted_at < TIMESTAMP '2030-01-01 00:00:00' LIMIT 1`],
  // Strings
  ['string', `SELECT lower(subject) AS s FROM ${E} LIMIT 5`],
  ['string', `SELECT upper(school_name) AS s FROM ${E} LIMIT 5`],
  ['string', `SELECT DISTINCT substr(exam_id, 1, 3) AS prefix FROM ${E} LIMIT 20`],
  ['string', `SELECT length(student_name) AS len FROM ${E} LIMIT 5`],
  ['string', `SELECT concat(school_id, '/', class_id) AS k FROM ${E} LIMIT 5`],
  ['string', `SELECT school_id || '-' || subject AS k FROM ${E} LIMIT 5`],
  ['string', `SELECT split_part(exam_id, '-', 2) AS grade FROM ${E} LIMIT 5`],
  ['string', `SELECT element_at(split(exam_id, '-'), 1) AS subj FROM ${E} LIMIT 5`],
  ['string', `SELECT regexp_like(exam_id, '^MAT') AS maths FROM ${E} LIMIT 5`],
  ['string', `SELECT count(*) AS n FROM ${E} WHERE regexp_like(school_id, 'SCH-000[12]') LIMIT 1`],
  ['string', `SELECT regexp_extract(class_id, '[0-9]+[A-Z]$') AS cls FROM ${E} LIMIT 5`],
  ['string', `SELECT replace(exam_title, ' ', '_') AS t FROM ${E} LIMIT 5`],
  ['string', `SELECT trim(student_name) AS n FROM ${E} LIMIT 5`],
  ['string', `SELECT strpos(exam_id, '-') AS p FROM ${E} LIMIT 5`],
  ['string', `SELECT lpad(CAST(grade_level AS varchar), 2, '0') AS g FROM ${E} LIMIT 5`],
  ['string', `SELECT count(*) AS n FROM ${E} WHERE school_id LIKE 'SCH-%' LIMIT 1`],
  ['string', `SELECT reverse(school_id) AS r FROM ${E} LIMIT 3`],
  ['string', `SELECT starts_with(exam_id, 'MAT') AS m FROM ${E} LIMIT 3`],
  ['string', `SELECT cardinality(split(exam_id, '-')) AS parts FROM ${E} LIMIT 3`],
  // Window functions
  [
    'window',
    `SELECT student_id, score, rank() OVER (PARTITION BY exam_id ORDER BY score DESC) AS r FROM ${E} LIMIT 50`,
  ],
  [
    'window',
    `SELECT student_id, row_number() OVER (PARTITION BY student_id ORDER BY submitted_at) AS n FROM ${E} LIMIT 50`,
  ],
  ['window', `SELECT school_id, subject, avg(score) OVER (PARTITION BY school_id) AS school_mean FROM ${E} LIMIT 50`],
  [
    'window',
    `SELECT student_id, score, lag(score) OVER (PARTITION BY student_id, subject ORDER BY submitted_at) AS previous FROM ${E} LIMIT 50`,
  ],
  [
    'window',
    `SELECT student_id, score, lead(score, 1) OVER (PARTITION BY student_id ORDER BY submitted_at) AS next_score FROM ${E} LIMIT 50`,
  ],
  [
    'window',
    `SELECT exam_id, score, ntile(4) OVER (PARTITION BY exam_id ORDER BY score) AS quartile FROM ${E} LIMIT 50`,
  ],
  [
    'window',
    `SELECT exam_id, score, percent_rank() OVER (PARTITION BY exam_id ORDER BY score) AS pr FROM ${E} LIMIT 50`,
  ],
  ['window', `SELECT exam_id, score, cume_dist() OVER (ORDER BY score) AS cd FROM ${E} LIMIT 50`],
  [
    'window',
    `SELECT student_id, first_value(score) OVER (PARTITION BY student_id ORDER BY submitted_at) AS first_score FROM ${E} LIMIT 50`,
  ],
  ['window', `SELECT school_id, count(*) OVER (PARTITION BY school_id) AS n FROM ${E} LIMIT 50`],
  [
    'window',
    `SELECT school_id, sum(score) OVER (PARTITION BY school_id ORDER BY submitted_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM ${E} LIMIT 50`,
  ],
  [
    'window',
    `SELECT subject, n, dense_rank() OVER (ORDER BY n DESC) AS r FROM (SELECT subject, count(*) AS n FROM ${E} GROUP BY subject) AS t LIMIT 20`,
  ],
  [
    'window',
    `SELECT * FROM (SELECT student_id, exam_id, score, row_number() OVER (PARTITION BY exam_id ORDER BY score DESC) AS rn FROM ${E}) AS ranked WHERE rn <= 3 LIMIT 100`,
  ],
  [
    'window',
    `SELECT last_value(score) OVER (PARTITION BY student_id ORDER BY submitted_at) AS last_score FROM ${E} LIMIT 10`,
  ],
  ['window', `SELECT exam_id, score - avg(score) OVER (PARTITION BY exam_id) AS above_mean FROM ${E} LIMIT 20`],
  // Common table expressions
  [
    'cte',
    `WITH s AS (SELECT school_id, avg(score) AS m FROM ${E} GROUP BY school_id) SELECT * FROM s ORDER BY m DESC LIMIT 10`,
  ],
  [
    'cte',
    `WITH firsts AS (SELECT * FROM ${E} WHERE attempt = 1) SELECT subject, count(*) AS n FROM firsts GROUP BY subject LIMIT 20`,
  ],
  [
    'cte',
    `WITH a AS (SELECT student_id, max(attempt) AS tries FROM ${E} GROUP BY student_id), b AS (SELECT tries, count(*) AS students FROM a GROUP BY tries) SELECT * FROM b ORDER BY tries LIMIT 10`,
  ],
  [
    'cte',
    `WITH per_exam AS (SELECT exam_id, avg(CASE WHEN passed THEN 1.0 ELSE 0.0 END) AS pass_rate FROM ${E} GROUP BY exam_id) SELECT exam_id, round(pass_rate, 3) AS pass_rate FROM per_exam ORDER BY pass_rate LIMIT 20`,
  ],
  ['cte', `WITH x AS (SELECT * FROM ${E}) SELECT count(*) AS n FROM (SELECT * FROM x) AS y LIMIT 1`],
  [
    'cte',
    `WITH months AS (SELECT DISTINCT date_trunc('month', submitted_at) AS m FROM ${E}) SELECT count(*) AS months FROM months LIMIT 1`,
  ],
  [
    'cte',
    `WITH q AS (SELECT question_id, avg(CASE WHEN is_correct THEN 1.0 ELSE 0.0 END) AS p FROM ${I} GROUP BY question_id) SELECT * FROM q ORDER BY p LIMIT 20`,
  ],
  [
    'cte',
    `WITH t AS (SELECT school_id, subject, count(*) AS n FROM ${E} GROUP BY 1, 2) SELECT school_id, max(n) AS top FROM t GROUP BY school_id LIMIT 20`,
  ],
  // Joins of the two datasets
  [
    'join',
    `SELECT e.subject, count(*) AS responses FROM ${E} e JOIN ${I} i ON e.result_id = i.result_id GROUP BY e.subject LIMIT 20`,
  ],
  [
    'join',
    `SELECT e.school_id, avg(i.time_spent_seconds) AS mean_time FROM ${E} e JOIN ${I} i ON e.result_id = i.result_id GROUP BY e.school_id LIMIT 20`,
  ],
  [
    'join',
    `SELECT i.skill, avg(CASE WHEN i.is_correct THEN 1.0 ELSE 0.0 END) AS p_correct FROM ${I} i JOIN ${E} e ON e.result_id = i.result_id WHERE e.passed GROUP BY i.skill LIMIT 50`,
  ],
  [
    'join',
    `SELECT e.exam_id, i.question_number, count(*) AS n FROM ${E} AS e INNER JOIN ${I} AS i ON e.result_id = i.result_id GROUP BY e.exam_id, i.question_number ORDER BY 1, 2 LIMIT 100`,
  ],
  [
    'join',
    `SELECT e.student_id, sum(i.points) AS points, max(e.score) AS score FROM ${E} e LEFT JOIN ${I} i ON e.result_id = i.result_id GROUP BY e.student_id LIMIT 50`,
  ],
  [
    'join',
    `SELECT count(*) AS orphans FROM ${I} i LEFT JOIN ${E} e ON e.result_id = i.result_id WHERE e.result_id IS NULL LIMIT 1`,
  ],
  [
    'join',
    `SELECT i.response, count(*) AS n FROM ${I} i JOIN ${E} e ON i.result_id = e.result_id WHERE NOT i.is_correct GROUP BY i.response ORDER BY n DESC LIMIT 10`,
  ],
  [
    'join',
    `SELECT e.grade_level, avg(i.time_spent_seconds) AS t FROM ${I} i, ${E} e WHERE i.result_id = e.result_id GROUP BY e.grade_level LIMIT 20`,
  ],
  [
    'join',
    `SELECT e.subject, i.question_id, round(avg(CAST(i.points AS double) / i.max_points), 3) AS facility FROM ${E} e JOIN ${I} i ON e.result_id = i.result_id GROUP BY 1, 2 ORDER BY 3 LIMIT 30`,
  ],
  [
    'join',
    `SELECT e.school_id, count(DISTINCT i.question_id) AS questions FROM ${E} e JOIN ${I} i ON e.result_id = i.result_id AND e.exam_id = i.exam_id GROUP BY e.school_id LIMIT 20`,
  ],
  [
    'join',
    `SELECT i.exam_id, corr(CAST(i.time_spent_seconds AS double), CAST(i.points AS double)) AS r FROM ${I} i GROUP BY i.exam_id LIMIT 20`,
  ],
  [
    'join',
    `SELECT e.region, i.skill, sum(i.points) AS pts FROM ${E} e JOIN ${I} i ON e.result_id = i.result_id GROUP BY 1, 2 LIMIT 100`,
  ],
  // Set operations, subqueries, row limits and scalar functions
  ['set', `SELECT subject AS name FROM ${E} UNION SELECT skill FROM ${I} LIMIT 50`],
  ['set', `SELECT school_id, 'exam' AS source FROM ${E} UNION SELECT school_id, 'item' FROM ${I} LIMIT 50`],
  ['set', `SELECT school_id FROM ${E} UNION ALL SELECT school_id FROM ${I} LIMIT 5`],
  ['set', `SELECT school_id FROM ${E} INTERSECT SELECT school_id FROM ${I} LIMIT 50`],
  ['set', `SELECT subject FROM ${E} EXCEPT SELECT skill FROM ${I} LIMIT 50`],
  [
    'subquery',
    `SELECT count(*) AS n FROM ${E} e WHERE EXISTS (SELECT 1 FROM ${I} i WHERE i.result_id = e.result_id AND i.is_correct) LIMIT 1`,
  ],
  ['aggregate', `SELECT variance(CAST(score AS double)) AS v FROM ${E} LIMIT 1`],
  ['limit', `SELECT * FROM ${E} ORDER BY result_id LIMIT 10 OFFSET 5`],
  ['limit', `SELECT * FROM ${E} ORDER BY result_id OFFSET 5 LIMIT 10`],
  ['limit', `SELECT result_id FROM ${E} ORDER BY result_id FETCH FIRST 10 ROWS ONLY`],
  ['limit', `SELECT result_id FROM ${E} ORDER BY result_id OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY`],
  [
    'subquery',
    `SELECT count(*) AS n FROM ${E} WHERE student_id IN (SELECT student_id FROM ${I} WHERE time_spent_seconds > 10) LIMIT 1`,
  ],
  [
    'subquery',
    `SELECT max(n) AS most FROM (SELECT student_id, count(*) AS n FROM ${E} GROUP BY student_id) AS per_student LIMIT 1`,
  ],
  [
    'scalar',
    `SELECT CASE WHEN score >= 0.7 * max_score THEN 'high' WHEN score >= 0.4 * max_score THEN 'mid' ELSE 'low' END AS band, count(*) AS n FROM ${E} GROUP BY 1 LIMIT 3`,
  ],
  ['scalar', `SELECT coalesce(teacher_id, 'none') AS t, count(*) AS n FROM ${E} GROUP BY 1 LIMIT 100`],
  ['scalar', `SELECT CAST(score AS integer) AS s FROM ${E} LIMIT 5`],
  ['scalar', `SELECT try_cast(score AS integer) FROM ${E} LIMIT 5`],
  [
    'scalar',
    `SELECT width_bucket(CAST(score AS double), 0.0, 40.0, 4) AS bucket, count(*) AS n FROM ${E} GROUP BY 1 ORDER BY 1 LIMIT 10`,
  ],
  ['scalar', `SELECT DISTINCT region FROM ${E} ORDER BY region LIMIT 20`],
  ['scalar', `SELECT nullif(attempt, 1) AS retake FROM ${E} LIMIT 5`],
  ['scalar', `SELECT greatest(score, 10) AS g, least(score, 10) AS l FROM ${E} LIMIT 5`],
  ['scalar', `SELECT abs(score - max_score) AS gap, floor(score) AS f, ceil(score) AS c FROM ${E} LIMIT 5`],
  ['scalar', `SELECT if(passed, 'pass', 'fail') AS outcome FROM ${E} LIMIT 5`],
  [
    'scalar',
    `SELECT subject, count(*) AS n FROM ${E} WHERE subject IN ('mathematics', 'science', 'reading') GROUP BY subject LIMIT 5`,
  ],
  ['scalar', `SELECT mod(attempt, 2) AS odd FROM ${E} LIMIT 3`],
  [
    'scalar',
    `SELECT round(CAST(score AS double) / CAST(max_score AS double) * 100, 1) AS pct FROM ${E} ORDER BY pct DESC LIMIT 10`,
  ],
  ['scalar', `SELECT sqrt(CAST(score AS double)) AS root, power(2, grade_level) AS p FROM ${E} LIMIT 3`],
];
