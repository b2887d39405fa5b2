import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { generateSampleData } from '../../../../etl/generate/generateSampleData';
import { collectExports } from '../../../../etl/orchestration/collectExports';
import type { RunSummary } from '../../../../etl/orchestration/runRecords';
import { waitForRuns } from '../../../../etl/orchestration/waitForRuns';
import { REJECTS_PREFIX } from '../../../../etl/schemas/curatedLayout';
import { STUDENT_KEY_SECRET_FILE } from '../../../../etl/transform/studentKey';
import type { GlueEngine } from '../../../../infra/local/config';
import { LOCAL_ETL_CONFIG } from '../../../../infra/local/wireEtl';
import { startEtlStack } from '../../../etl/support/etlStack';
import { examResultsCsv, examRow } from '../../../etl/support/examResultsCsv';

// Two loads per engine; a spark-submit run takes a minute or more on a loaded two-core machine.
jest.setTimeout(20 * 60_000);

const config = LOCAL_ETL_CONFIG;

/** The questions asked of both engines' output through local Athena, and what else a load leaves behind. */
const QUERIES = {
  counts:
    'SELECT (SELECT count(*) FROM examlake.exam_results), (SELECT count(*) FROM examlake.item_responses), ' +
    '(SELECT count(DISTINCT student_key) FROM examlake.exam_results)',
  bySchool:
    'SELECT school_id, year, month, count(*), sum(score), round(avg(score / max_score), 6), ' +
    'count_if(passed), min(submitted_at), max(student_key) FROM examlake.exam_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
  items:
    'SELECT skill, count(*), sum(points), count_if(is_correct), sum(time_spent_seconds) ' +
    'FROM examlake.item_responses GROUP BY skill ORDER BY skill',
  firstRows:
    'SELECT result_id, student_key, exam_id, attempt, started_at, submitted_at, score, max_score, passed, source_file ' +
    'FROM examlake.exam_results ORDER BY result_id LIMIT 25',
  corrected: "SELECT result_id, score, passed FROM examlake.exam_results WHERE result_id = 'R-CORRECTED'",
} as const;

interface Load {
  readonly answers: Record<keyof typeof QUERIES, (string | undefined)[][]>;
  readonly rejects: unknown[];
  readonly summaries: unknown[];
}

let dir: string;
const loads: Partial<Record<GlueEngine, Load>> = {};
/** One student-key secret for both stacks, so both engines pseudonymise alike (each stack has its own data dir). */
const STUDENT_KEY_HEX = 'a1'.repeat(32);
/** Built once: `examRow` numbers its rows, and both engines must see the same bytes. */
const CRAFTED = examResultsCsv(
  [
    examRow({ result_id: 'R-BAD-SCORE', score: 'abc' }),
    examRow({ result_id: 'R-BAD-TIME', submitted_at: 'yesterday' }),
    examRow({ result_id: 'R-BAD-BOOL', passed: 'maybe', score: 'x' }),
    examRow({ result_id: 'R-OVER', score: '41.00' }),
    examRow({ result_id: 'R-TWICE', score: '10.00' }),
    examRow({ result_id: 'R-TWICE', score: '20.00' }),
    examRow({ result_id: 'R-QUOTE', student_name: 'Ann "Nan" Lee' }),
    examRow({ result_id: 'R-MULTI', exam_title: 'Maths,\ngrade 5' }),
    examRow({ result_id: 'R-GOOD', score: '12.50' }),
  ],
  { eol: '\r\n', bom: true },
);
const CORRECTION_ROWS = {
  replacement: examRow({ score: '1.00', max_score: '40.00', passed: 'false' }),
  added: examRow({ result_id: 'R-CORRECTED', score: '40.00', max_score: '40.00', passed: 'true' }),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-engines-'));
  await generateSampleData(dir, {
    seed: 'engines',
    schools: 1,
    classesPerGrade: 1,
    studentsPerClass: 8,
    badRows: 0.03,
  });
  for (const engine of ['duckdb', 'spark'] as const) loads[engine] = await loadWith(engine);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Loads the export in one run, then a correction of one row in a second run, on a fresh stack with `engine`. */
async function loadWith(engine: GlueEngine): Promise<Load> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `examlake-${engine}-`));
  await mkdir(path.join(dataDir, 'secrets'), { recursive: true });
  await writeFile(path.join(dataDir, 'secrets', STUDENT_KEY_SECRET_FILE), `${STUDENT_KEY_HEX}\n`, { mode: 0o600 });
  const etl = await startEtlStack({ glueEngine: engine, glueMinuteMs: 60_000, dataDir });
  const athena = new AthenaClient(etl.test.clientConfig);
  const ingest = async (files: { key: string; body: Buffer | string }[]) => {
    const since = new Date();
    const objects = [];
    for (const f of files) {
      const put = await etl.s3.send(new PutObjectCommand({ Bucket: config.rawBucket, Key: f.key, Body: f.body }));
      objects.push({ key: f.key, etag: put.ETag!.replace(/"/g, '') });
    }
    const outcome = await waitForRuns({
      runs: etl.runs,
      glue: etl.glue,
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
      objects,
      since,
      timeoutMs: 15 * 60_000,
      pollMs: 250,
    });
    if (!outcome.ok) throw new Error(`${engine}: ${outcome.message}`);
    return outcome.summaries;
  };
  const query = async (sql: string) => {
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'examlake' }),
    );
    let execution: QueryExecution | undefined;
    do {
      await new Promise((r) => setTimeout(r, 50));
      execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
    } while (['QUEUED', 'RUNNING'].includes(execution?.Status?.State ?? ''));
    if (execution?.Status?.State !== 'SUCCEEDED') throw new Error(`${sql}: ${execution?.Status?.StateChangeReason}`);
    const results = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
    return results.ResultSet!.Rows!.slice(1).map((r) => r.Data!.map((d) => d.VarCharValue));
  };
  try {
    const first = await ingest(await firstLoad());
    const [[firstId]] = (await query('SELECT min(result_id) FROM examlake.exam_results')) as [[string]];
    const correction = examResultsCsv([{ ...CORRECTION_ROWS.replacement, result_id: firstId }, CORRECTION_ROWS.added]);
    const second = await ingest([{ key: 'exam_results/zz-correction.csv', body: correction }]);

    const answers = {} as Load['answers'];
    for (const [name, sql] of Object.entries(QUERIES)) {
      answers[name as keyof typeof QUERIES] = await query(sql);
    }
    return { answers, rejects: await rejectsOf(etl.s3), summaries: [...first, ...second].map(comparable) };
  } finally {
    athena.destroy();
    await etl.stop();
  }
}

/**
 * One generated export of each dataset (with their injected bad rows), and a crafted CRLF export with a BOM whose
 * rows break one rule each, a duplicate in the file and a row the generated export also has.
 */
async function firstLoad(): Promise<{ key: string; body: Buffer | string }[]> {
  const { exports } = await collectExports(dir);
  const picked = ['exam_results', 'item_responses'].map((name) => exports.find((e) => e.dataset.name === name)!);
  const files = await Promise.all(picked.map(async (e) => ({ key: e.key, body: await readFile(e.file) })));
  return [...files, { key: 'exam_results/crafted.csv', body: CRAFTED }];
}

/** Every reject line of every run, in a stable order. */
async function rejectsOf(s3: import('@aws-sdk/client-s3').S3Client): Promise<unknown[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: config.curatedBucket, Prefix: REJECTS_PREFIX }));
  const lines: Record<string, unknown>[] = [];
  for (const o of listed.Contents ?? []) {
    const body = await s3.send(new GetObjectCommand({ Bucket: config.curatedBucket, Key: o.Key! }));
    const text = (await body.Body!.transformToString()).trim();
    for (const line of text ? text.split('\n') : []) {
      lines.push({ dataset: o.Key!.split('/')[1], ...JSON.parse(line) });
    }
  }
  const order = (r: Record<string, unknown>) => `${r.source} ${String(r.line).padStart(9, '0')} ${r.reason}`;
  return lines.sort((a, b) => order(a).localeCompare(order(b)));
}

/** A run summary without what differs between any two runs (ids, times, locations holding the run id). */
function comparable(summary: RunSummary) {
  const datasets = Object.fromEntries(
    Object.entries(summary.datasets ?? {}).map(([name, d]) => {
      const { dataVersion, location, rejectsLocation, ...counts } = d;
      return [name, { ...counts, hasVersion: dataVersion !== '', hasRejects: rejectsLocation !== undefined }];
    }),
  );
  return {
    state: summary.state,
    reprocessAll: summary.reprocessAll,
    objects: summary.objects,
    datasets,
    refused: summary.refused,
  };
}

describe('the spark engine against the DuckDB engine on one export', () => {
  it('loads the same rows: counts, per-school aggregates, item aggregates and the first rows agree through Athena', () => {
    const { duckdb, spark } = loads;
    expect(Number(duckdb!.answers.counts[0]![0])).toBeGreaterThan(0);
    expect(spark!.answers).toEqual(duckdb!.answers);
  });

  it('replaces a row corrected by a later export in both', () => {
    expect(loads.spark!.answers.corrected.map((row) => [row[0], row[2]])).toEqual([['R-CORRECTED', 'true']]);
    expect(loads.duckdb!.answers.corrected).toEqual(loads.spark!.answers.corrected);
  });

  it('rejects the same rows, at the same lines, with the same reasons, columns, messages and texts', () => {
    expect(loads.duckdb!.rejects.length).toBeGreaterThan(0);
    expect(loads.spark!.rejects).toEqual(loads.duckdb!.rejects);
  });

  it('writes the same run summaries (rows in, written, rejected, superseded, replaced, reasons, refusals)', () => {
    expect(loads.spark!.summaries).toEqual(loads.duckdb!.summaries);
  });
});
