import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { curatedColumns } from '../../../etl/schemas/curatedColumns';
import { EXAM_RESULTS, SUBJECTS } from '../../../etl/schemas/examResults';
import { duckdbType } from '../../../etl/transform/duckdbTypes';

/** A synthetic curated `exam_results` table on disk: one Parquet file per `year=/month=` partition. */
export interface LargeExamResults {
  /** Directory holding `year=YYYY/month=MM/part-0.parquet`. */
  readonly root: string;
  /** Keys under the dataset prefix (`year=2025/month=01/part-0.parquet`, …). */
  readonly keys: readonly string[];
  readonly rows: number;
  readonly schools: number;
  /** True when the files were already there (built by an earlier run). */
  readonly reused: boolean;
}

export interface LargeExamResultsOptions {
  readonly rows: number;
  /** @default 500 */
  readonly schools?: number;
  /** Rows per Parquet row group (DuckDB's `ROW_GROUP_SIZE`). @default 122880 */
  readonly rowGroupRows?: number;
}

/**
 * BENCHMARK FIXTURE: `rows` synthetic attempts in the curated `exam_results` layout (every curated column, in
 * order, with its curated type), spread over the 12 months of 2025, written as the ETL writes them: one file
 * per month partition, sorted by the dataset's sort keys (`school_id`, `exam_id`) so a school's rows sit in few
 * row groups. Values are deterministic functions of the row number (25 attempts per student, students spread
 * over `schools` schools, 40 exams over the six subjects), so reruns build the same bytes.
 *
 * Built once into `<cacheDir>/exam_results-<rows>-<schools>/` (a git-ignored dir such as `.bench/`) and
 * reused; a partial build is never picked up (the directory is renamed into place at the end).
 */
export async function buildLargeExamResults(
  cacheDir: string,
  options: LargeExamResultsOptions,
): Promise<LargeExamResults> {
  const schools = options.schools ?? 500;
  const rowGroupRows = options.rowGroupRows ?? 122_880;
  const root = path.join(cacheDir, `exam_results-${options.rows}-${schools}-${rowGroupRows}`);
  const keys = Array.from({ length: 12 }, (_, i) => `year=2025/month=${String(i + 1).padStart(2, '0')}/part-0.parquet`);
  const complete = await Promise.all(
    keys.map((k) =>
      stat(path.join(root, k)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (complete.every(Boolean)) return { root, keys, rows: options.rows, schools, reused: true };

  const building = `${root}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const subjects = `[${SUBJECTS.map((s) => `'${s}'`).join(', ')}]`;
    const expressions: Record<string, string> = {
      result_id: "'RES-' || lpad(CAST(i AS VARCHAR), 9, '0')",
      exam_id: "'EXM-' || lpad(CAST(e AS VARCHAR), 3, '0')",
      exam_title: "'Exam ' || CAST(e AS VARCHAR)",
      subject: `${subjects}[1 + e % ${SUBJECTS.length}]`,
      grade_level: '1 + e % 12',
      school_id: "'SCH-' || lpad(CAST(sch + 1 AS VARCHAR), 4, '0')",
      school_name: "'School ' || CAST(sch + 1 AS VARCHAR)",
      district_id: "'DIS-' || lpad(CAST(sch % 20 AS VARCHAR), 2, '0')",
      region: "'Region ' || CAST(sch % 4 AS VARCHAR)",
      class_id: "'SCH-' || lpad(CAST(sch + 1 AS VARCHAR), 4, '0') || '-' || CAST(st % 8 AS VARCHAR)",
      teacher_id: "'TCH-' || lpad(CAST(sch * 8 + st % 8 AS VARCHAR), 5, '0')",
      student_id: "'STU-' || lpad(CAST(st + 1 AS VARCHAR), 7, '0')",
      student_name: "'Student ' || CAST(st + 1 AS VARCHAR)",
      attempt: '1 + CAST(i % 3 = 0 AS INTEGER)',
      started_at: "TIMESTAMP '2025-01-01' + to_seconds(sec)",
      submitted_at: "TIMESTAMP '2025-01-01' + to_seconds(sec + 1800)",
      score: 'CAST(h % 1001 AS DECIMAL(7,2)) / 10',
      max_score: 'CAST(100 AS DECIMAL(7,2))',
      passed: 'h % 1001 >= 500',
      student_key: "md5('bench-key:' || CAST(st AS VARCHAR))",
      ingested_at: "TIMESTAMP '2026-07-01 00:00:00'",
      source_file: "'s3://examlake-raw/exam_results/bench.csv'",
      run_id: "'bench-run'",
    };
    const select = curatedColumns(EXAM_RESULTS)
      .map((c) => {
        const expression = expressions[c.name];
        if (!expression) throw new Error(`No synthetic value for curated column ${c.name}.`);
        return `CAST(${expression} AS ${duckdbType(c.type)}) AS "${c.name}"`;
      })
      .join(', ');
    // sec < 364 days - 1 h, so submitted_at stays in 2025; month = the partition.
    await db.run(
      `CREATE TABLE t AS SELECT ${select} FROM (SELECT i, i // 25 AS st, (i // 25) % ${schools} AS sch, ` +
        `hash(i, 7) AS h, i % 40 AS e, CAST(hash(i) % (363 * 86400) AS BIGINT) AS sec FROM range(${options.rows}) r(i))`,
    );
    const order = EXAM_RESULTS.sortKeys.map((k) => `"${k}"`).join(', ');
    for (const [m, key] of keys.entries()) {
      const file = path.join(building, key);
      await mkdir(path.dirname(file), { recursive: true });
      await db.run(
        `COPY (SELECT * FROM t WHERE month(submitted_at) = ${m + 1} ORDER BY ${order}) ` +
          `TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${rowGroupRows})`,
      );
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  await rm(root, { recursive: true, force: true });
  await rename(building, root);
  return { root, keys, rows: options.rows, schools, reused: false };
}
