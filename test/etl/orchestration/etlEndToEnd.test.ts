import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { BatchStopJobRunCommand } from '@aws-sdk/client-glue';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BadRowEntry } from '../../../etl/generate/badRowKinds';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { collectExports } from '../../../etl/orchestration/collectExports';
import { waitForRuns } from '../../../etl/orchestration/waitForRuns';
import { LOCAL_ETL_CONFIG } from '../../../infra/local/wireEtl';
import { type EtlTestStack, startEtlStack } from '../support/etlStack';
import { examResultsCsv, examRow } from '../support/examResultsCsv';
import { readParquet } from '../support/readParquet';

// Generous on a loaded two-core machine; each step normally takes seconds.
jest.setTimeout(180_000);

const config = LOCAL_ETL_CONFIG;
let etl: EtlTestStack;
let dir: string;
let badRows: BadRowEntry[];

beforeAll(async () => {
  etl = await startEtlStack();
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-e2e-'));
  await generateSampleData(dir, { seed: 'e2e', schools: 1, classesPerGrade: 1, studentsPerClass: 8, badRows: 0.03 });
  badRows = (await readFile(path.join(dir, '_meta', 'bad-rows.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
});

afterAll(async () => {
  await etl.stop();
  await rm(dir, { recursive: true, force: true });
});

async function put(key: string, body: string | Buffer): Promise<{ key: string; etag: string }> {
  const { ETag } = await etl.s3.send(new PutObjectCommand({ Bucket: config.rawBucket, Key: key, Body: body }));
  return { key, etag: ETag!.replace(/"/g, '') };
}

async function ingest(objects: { key: string; etag: string }[], since: Date) {
  const outcome = await waitForRuns({
    runs: etl.runs,
    glue: etl.glue,
    rawBucket: config.rawBucket,
    jobName: config.transformJob,
    objects,
    since,
    timeoutMs: 150_000,
    pollMs: 50,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome;
}

async function curatedRows(dataset: string, sql: string) {
  const { location } = await etl.dataVersion(dataset);
  const prefix = location!.replace(`s3://${config.curatedBucket}/`, '');
  const files = await etl.test.stack.s3.files.list(config.curatedBucket, prefix);
  return readParquet(
    files.filter((f) => f.key.endsWith('.parquet')).map((f) => f.path),
    sql,
  );
}

describe('the ETL on the local stack', () => {
  it('turns uploaded exports into Parquet and rejects, reconciled, through the trigger and one committed run', async () => {
    const since = new Date();
    const { exports } = await collectExports(dir);
    const uploaded = [];
    for (const e of exports) uploaded.push(await put(e.key, await readFile(e.file)));
    const outcome = await ingest(uploaded, since);
    // Objects landing over a longer time than the batching window are taken by more than one run.
    const summaries = [...outcome.summaries].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const s of summaries) expect(s.state).toBe('SUCCEEDED');
    for (const name of ['exam_results', 'item_responses']) {
      const runs = summaries.flatMap((s) => (s.datasets?.[name] ? [s.datasets[name]] : []));
      for (const d of runs) expect(d.rowsIn).toBe(d.written + d.rejected + d.superseded);
      const sum = (k: 'rejected' | 'superseded' | 'replaced') => runs.reduce((n, d) => n + d[k], 0);
      expect(sum('rejected')).toBe(badRows.filter((b) => b.dataset === name && b.expected !== 'SUPERSEDED').length);
      expect(sum('superseded') + sum('replaced')).toBe(
        badRows.filter((b) => b.dataset === name && b.expected === 'SUPERSEDED').length,
      );
      const last = [...summaries].reverse().find((s) => s.datasets?.[name]?.written)!;
      expect(await etl.dataVersion(name)).toEqual({
        version: last.runId,
        location: `s3://${config.curatedBucket}/${name}/v=${last.runId}/`,
      });
      const [count] = await curatedRows(name, 'SELECT count(*) AS n FROM t');
      expect(Number(count!.n)).toBe(last.datasets![name]!.totalRows);
      for (const s of summaries.filter((x) => x.datasets?.[name]?.rejected)) {
        const rejects = await etl.s3.send(
          new GetObjectCommand({ Bucket: config.curatedBucket, Key: `_rejects/${name}/run=${s.runId}/rejects.jsonl` }),
        );
        const lines = (await rejects.Body!.transformToString()).trim().split('\n');
        expect(lines.length).toBe(s.datasets![name]!.rejected);
      }
    }
  });

  it('answers queries through local Athena and the catalog, reading less for one school and month than for all', async () => {
    const athena = new AthenaClient(etl.test.clientConfig);
    const query = async (sql: string, params: string[] = []) => {
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: 'examlake',
          ExecutionParameters: params.length > 0 ? params : undefined,
        }),
      );
      let execution: QueryExecution | undefined;
      do {
        await new Promise((r) => setTimeout(r, 50));
        execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
      } while (['QUEUED', 'RUNNING'].includes(execution?.Status?.State ?? ''));
      expect(execution?.Status?.State).toBe('SUCCEEDED');
      const results = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
      return {
        rows: results.ResultSet!.Rows!.slice(1).map((r) => r.Data!.map((d) => d.VarCharValue)),
        execution: execution!,
      };
    };
    try {
      const [local] = await curatedRows('item_responses', 'SELECT count(*) AS n FROM t');
      const all = await query('SELECT count(*) FROM examlake.item_responses');
      expect(all.rows).toEqual([[String(local!.n)]]);
      const school = await query(
        'SELECT count(*) FROM examlake.item_responses WHERE school_id = ? AND year = 2025 AND month = 10',
        ["'SCH-0001'"],
      );
      expect(Number(school.rows[0]![0])).toBeGreaterThan(0);
      expect(school.execution.Statistics!.DataScannedInBytes!).toBeLessThan(
        all.execution.Statistics!.DataScannedInBytes!,
      );
    } finally {
      athena.destroy();
    }
  });

  it('reads nothing again when the raw objects have not changed (bookmarks)', async () => {
    const before = await etl.dataVersion('exam_results');
    const runId = await etl.startRun();
    expect(await etl.runEnd(runId)).toBe('SUCCEEDED');
    expect(await etl.runs.runSummary(runId)).toMatchObject({ objects: 0, state: 'SUCCEEDED' });
    expect(await etl.dataVersion('exam_results')).toEqual(before);
  });

  it('replaces a row corrected by a later export and bumps the data version', async () => {
    const [original] = await curatedRows('exam_results', 'SELECT * FROM t ORDER BY result_id LIMIT 1');
    const row = examRow({
      result_id: String(original!.result_id),
      student_id: String(original!.student_id),
      student_name: 'Corrected Name',
    });
    const since = new Date();
    const outcome = await ingest([await put('exam_results/correction.csv', examResultsCsv([row]))], since);
    const summary = outcome.summaries[0]!;
    expect(summary.datasets!.exam_results).toMatchObject({ rowsIn: 1, written: 1, replaced: 1 });
    expect((await etl.dataVersion('exam_results')).version).toBe(summary.runId);
    expect((await etl.dataVersion('item_responses')).version).not.toBe(summary.runId);
    const rows = await curatedRows(
      'exam_results',
      `SELECT student_name, run_id FROM t WHERE result_id = '${row.result_id}'`,
    );
    expect(rows).toEqual([{ student_name: 'Corrected Name', run_id: summary.runId }]);
    const [count] = await curatedRows('exam_results', 'SELECT count(*) AS n FROM t');
    expect(Number(count!.n)).toBe(summary.datasets!.exam_results!.totalRows);
  });

  it('leaves the previous version current when a run is stopped halfway, and the next run completes', async () => {
    const before = await etl.dataVersion('exam_results');
    const [countBefore] = await curatedRows('exam_results', 'SELECT count(*) AS n FROM t');
    const hold = etl.holdAt('uploaded');
    const since = new Date();
    const uploaded = await put('exam_results/late.csv', examResultsCsv([examRow(), examRow()]));
    const run = await hold.reached;
    // An object landing while the run is busy is deferred, not lost.
    const deferred = await put('exam_results/later-still.csv', examResultsCsv([examRow()]));
    await etl.test.stack.events.drain();
    await etl.glue.send(new BatchStopJobRunCommand({ JobName: config.transformJob, JobRunIds: [run.jobRunId] }));
    hold.release();
    expect(await etl.runEnd(run.jobRunId)).toBe('STOPPED');
    expect(await etl.runs.runSummary(run.jobRunId)).toMatchObject({ state: 'STOPPED' });
    expect(await etl.dataVersion('exam_results')).toEqual(before);
    const [countAfter] = await curatedRows('exam_results', 'SELECT count(*) AS n FROM t');
    expect(countAfter).toEqual(countBefore);
    // The job-state handler starts the deferred run, which takes both objects.
    const outcome = await ingest([uploaded, deferred], since);
    const last = outcome.summaries.find((s) => s.runId !== run.jobRunId)!;
    expect(last.datasets!.exam_results).toMatchObject({ rowsIn: 3, written: 3 });
    expect((await etl.dataVersion('exam_results')).version).toBe(last.runId);
  });

  it('rebuilds the same curated rows from every raw object with --reprocess-all', async () => {
    // Compared as sorted JSON lines: a mismatch shows the first differing row, not a diff of thousands.
    const rows = async () =>
      (await curatedRows('item_responses', 'SELECT * EXCLUDE (run_id, ingested_at) FROM t'))
        .map((r) => JSON.stringify(r))
        .sort();
    const before = await rows();
    const runId = await etl.startRun({ '--reprocess-all': 'true' });
    expect(await etl.runEnd(runId)).toBe('SUCCEEDED');
    expect((await etl.dataVersion('item_responses')).version).toBe(runId);
    const after = await rows();
    expect(after.length).toBe(before.length);
    expect(after.find((r, i) => r !== before[i])).toBeUndefined();
  });
});
