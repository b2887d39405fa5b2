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
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { generateSampleData } from '../../../../etl/generate/generateSampleData';
import { collectExports } from '../../../../etl/orchestration/collectExports';
import { waitForRuns } from '../../../../etl/orchestration/waitForRuns';
import { LOCAL_RESOURCE_NAMES } from '../../../../infra/local/bootstrap';
import { LOCAL_ETL_CONFIG } from '../../../../infra/local/wireEtl';
import { type EtlTestStack, startEtlStack } from '../../../etl/support/etlStack';

const config = LOCAL_ETL_CONFIG;
let etl: EtlTestStack;
let athena: AthenaClient;
let dir: string;

beforeAll(async () => {
  etl = await startEtlStack();
  athena = new AthenaClient(etl.test.clientConfig);
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-athena-curated-'));
  await generateSampleData(dir, { seed: 'athena', schools: 2, classesPerGrade: 1, studentsPerClass: 8, badRows: 0 });
  const since = new Date();
  const { exports } = await collectExports(dir);
  const objects = [];
  for (const e of exports) {
    const { ETag } = await etl.s3.send(
      new PutObjectCommand({ Bucket: config.rawBucket, Key: e.key, Body: await readFile(e.file) }),
    );
    objects.push({ key: e.key, etag: (ETag ?? '').replace(/"/g, '') });
  }
  const outcome = await waitForRuns({
    runs: etl.runs,
    glue: etl.glue,
    rawBucket: config.rawBucket,
    jobName: config.transformJob,
    objects,
    since,
    timeoutMs: 60_000,
    pollMs: 50,
  });
  if (!outcome.ok) throw new Error(outcome.message);
});

afterAll(async () => {
  athena.destroy();
  await etl.stop();
  await rm(dir, { recursive: true, force: true });
});

async function query(sql: string, parameters?: string[]): Promise<{ execution: QueryExecution; rows: string[][] }> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: LOCAL_RESOURCE_NAMES.workGroup,
      ExecutionParameters: parameters,
    }),
  );
  for (;;) {
    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
      const rows = (ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? ''));
      return { execution: execution as QueryExecution, rows };
    }
    if (state !== 'QUEUED' && state !== 'RUNNING') throw new Error(`${state}: ${execution?.Status?.StateChangeReason}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('local Athena over the curated tables the ETL writes', () => {
  it('runs a school-scoped report over the current data version with projected partitions', async () => {
    const { rows: totals } = await query(
      'SELECT count(*) AS n, count(DISTINCT school_id) AS schools FROM examlake.exam_results',
    );
    expect(Number(totals[1]?.[0])).toBeGreaterThan(0);
    expect(totals[1]?.[1]).toBe('2');
    const { rows: schools } = await query('SELECT min(school_id) AS s FROM examlake.exam_results');
    const school = schools[1]?.[0] as string;

    const { execution, rows } = await query(
      'SELECT year, month, count(*) AS attempts, approx_percentile(score, 0.5) IS NOT NULL AS has_median ' +
        'FROM examlake.exam_results WHERE school_id = ? GROUP BY year, month ORDER BY year, month',
      [`'${school}'`],
    );
    expect(rows[0]).toEqual(['year', 'month', 'attempts', 'has_median']);
    expect(rows.length).toBeGreaterThan(1);
    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect(execution.ResultConfiguration?.OutputLocation).toMatch(
      new RegExp(`^s3://${LOCAL_RESOURCE_NAMES.resultsBucket}/athena/${execution.QueryExecutionId}\\.csv$`),
    );
    expect(execution.Statistics?.DataScannedInBytes).toBeGreaterThan(0);
  });

  it('joins the two datasets', async () => {
    const { rows } = await query(
      'SELECT count(*) AS n FROM examlake.item_responses i JOIN examlake.exam_results r ON r.result_id = i.result_id',
    );
    expect(Number(rows[1]?.[0])).toBeGreaterThan(0);
  });
});
