/**
 * Inputs of the benchmarks, cached under `.bench/` (git-ignored, and outside the stack's data dir so that
 * `npm start -- --reset` keeps them) so reruns skip generation. Generating 10 million `exam_results` rows with
 * the generator would mean ~4,000 schools (and 200 million item responses), so the bench generates a base of
 * real exports once and synthesises the big file from it in DuckDB: the base rows repeated with new `result_id`s (`<copy>-<result_id>`), students
 * (`<student_id>-<copy>`) and schools (`S<copy>-<school_id>`), every other field as generated (text kept
 * byte for byte: timestamps with offsets, quoted titles).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSampleData } from '../etl/generate/generateSampleData';
import { EXAM_RESULTS } from '../etl/schemas/examResults';

export const BENCH_DIR = path.join(__dirname, '..', '.bench');

/** Schools of the generated base (about 2,400 exam_results rows each). */
const BASE_SCHOOLS = 10;

export interface BenchInput {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
}

/** A CSV of exactly `rows` exam_results data rows (canonical header), built once and cached. */
export async function examResultsInput(rows: number): Promise<BenchInput> {
  await mkdir(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `exam_results-${rows}.csv`);
  if (!existsSync(file)) {
    const base = path.join(BENCH_DIR, `base-${BASE_SCHOOLS}`);
    if (!existsSync(path.join(base, 'exam_results'))) {
      console.log(`Generating the base exports (${BASE_SCHOOLS} schools) into ${base}…`);
      await generateSampleData(base, { seed: 'bench', schools: BASE_SCHOOLS });
    }
    console.log(`Synthesising ${rows.toLocaleString('en-US')} exam_results rows into ${file}…`);
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const src = `read_csv('${path.join(base, 'exam_results', '*.csv')}', all_varchar = true, header = true)`;
      const [baseRows = 0] = (await db.runAndReadAll(`SELECT count(*) FROM ${src}`)).getRows()[0] ?? [];
      const copies = Math.ceil(rows / Number(baseRows));
      const replaced: Record<string, string> = {
        result_id: `r.range || '-' || result_id`,
        school_id: `'S' || r.range || '-' || school_id`,
        student_id: `student_id || '-' || r.range`,
      };
      const select = EXAM_RESULTS.columns.map((c) => `${replaced[c.name] ?? `"${c.name}"`} AS "${c.name}"`).join(', ');
      const partial = `${file}.partial`;
      await db.run(
        `COPY (SELECT ${select} FROM ${src}, range(${copies}) r LIMIT ${rows}) ` +
          `TO '${partial}' (HEADER, DELIMITER ',')`,
      );
      await rename(partial, file);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  }
  return { file, rows, bytes: (await stat(file)).size };
}
