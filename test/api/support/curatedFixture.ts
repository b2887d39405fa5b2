import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { curatedColumns } from '../../../etl/schemas/curatedColumns';
import { DATASETS } from '../../../etl/schemas/datasets';
import { duckdbType } from '../../../etl/transform/duckdbTypes';

/** True item parameters of the generator (`_meta/items.json`). */
export interface GeneratedItem {
  readonly question_id: string;
  readonly difficulty: number;
  readonly discrimination: number;
}

export interface CuratedFixture {
  /** `<root>/<bucket>/<dataset>/year=YYYY/month=MM/part-0.parquet` files. */
  readonly root: string;
  readonly bucket: string;
  /** Every Parquet file written, as keys under the bucket. */
  readonly keys: readonly string[];
  readonly itemsByExam: ReadonlyMap<string, readonly GeneratedItem[]>;
}

/**
 * TEST FIXTURE (documented in docs/api.md): curated Parquet made from the generator's CSV by DuckDB, laid out
 * as the ETL lays out the curated bucket (one file per dataset and partition, the curated columns in order,
 * timestamps in UTC, the last export of a `result_id` wins). It lets the report tests run before, and
 * independently of, the ETL job; the end-to-end tests load data through the real ETL.
 */
export async function buildCuratedFixture(
  root: string,
  options: { seed: string; schools: number; classesPerGrade: number; studentsPerClass: number },
): Promise<CuratedFixture> {
  const rawDir = path.join(root, 'raw');
  await generateSampleData(rawDir, options, { replace: true });
  const bucket = 'examlake-curated';
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const keys: string[] = [];
  try {
    for (const schema of Object.values(DATASETS)) {
      const csv = path.join(rawDir, schema.name, '*.csv').replaceAll("'", "''");
      const select = curatedColumns(schema)
        .map((c) => {
          if (c.name === 'student_key') return "sha256('fixture-key:' || student_id) AS student_key";
          if (c.name === 'ingested_at') return "TIMESTAMP '2026-07-01 00:00:00' AS ingested_at";
          if (c.name === 'source_file') return 'filename AS source_file';
          if (c.name === 'run_id') return "'fixture-run' AS run_id";
          if (c.type.kind === 'timestamp') return `${utc(`"${c.name}"`)} AS "${c.name}"`;
          return `CAST("${c.name}" AS ${duckdbType(c.type)}) AS "${c.name}"`;
        })
        .join(', ');
      const key = schema.naturalKey.map((k) => `"${k}"`).join(', ');
      await db.run(
        `CREATE TABLE ${schema.name} AS SELECT ${select} FROM read_csv('${csv}', header = true, all_varchar = true, filename = true) ` +
          `QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY filename DESC) = 1`,
      );
      const months = await db.runAndReadAll(
        `SELECT DISTINCT year(submitted_at) AS y, month(submitted_at) AS m FROM ${schema.name} ORDER BY 1, 2`,
      );
      for (const [y, m] of months.getRows() as [number, number][]) {
        const keyName = `${schema.name}/year=${y}/month=${String(m).padStart(2, '0')}/part-0.parquet`;
        const file = path.join(root, bucket, keyName);
        await mkdir(path.dirname(file), { recursive: true });
        const order = schema.sortKeys.map((k) => `"${k}"`).join(', ');
        await db.run(
          `COPY (SELECT * FROM ${schema.name} WHERE year(submitted_at) = ${y} AND month(submitted_at) = ${m} ORDER BY ${order}) ` +
            `TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
        );
        keys.push(keyName);
      }
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  const meta = JSON.parse(await readFile(path.join(rawDir, '_meta', 'items.json'), 'utf8')) as {
    exams: { exam_id: string; items: GeneratedItem[] }[];
  };
  return { root, bucket, keys, itemsByExam: new Map(meta.exams.map((e) => [e.exam_id, e.items])) };
}

/** Every file under a directory, relative, with `/` separators. */
export async function filesUnder(dir: string): Promise<string[]> {
  return ((await readdir(dir, { recursive: true })) as string[]).map((f) => f.split(path.sep).join('/'));
}

/** An ISO 8601 timestamp with offset (`…+02:00` or `…Z`) as a UTC TIMESTAMP, without DuckDB's ICU extension. */
function utc(column: string): string {
  const offset = `CASE WHEN length(${column}) <= 20 THEN INTERVAL 0 MINUTE ELSE (CASE WHEN substr(${column}, 20, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr(${column}, 21, 2) AS INTEGER) * INTERVAL 1 HOUR + CAST(substr(${column}, 24, 2) AS INTEGER) * INTERVAL 1 MINUTE) END`;
  return `(CAST(replace(left(${column}, 19), 'T', ' ') AS TIMESTAMP) - ${offset})`;
}
