import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BatchStopJobRunCommand,
  CreateJobCommand,
  GetJobRunCommand,
  type GlueClient,
  StartJobRunCommand,
} from '@aws-sdk/client-glue';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_RESOURCE_NAMES } from '../../../../infra/local/bootstrap';
import { LOCAL_CREDENTIALS, localStackConfig } from '../../../../infra/local/config';
import { RunLog } from '../../../../infra/local/glue/RunLog';
import { SparkRuntimeMissingError } from '../../../../infra/local/glue/spark/SparkRuntime';
import { sparkSubmitJob } from '../../../../infra/local/glue/spark/sparkSubmitJob';
import { LocalStack } from '../../../../infra/local/LocalStack';
import { LOCAL_ETL_CONFIG } from '../../../../infra/local/wireEtl';
import { type EtlTestStack, startEtlStack } from '../../../etl/support/etlStack';

/** A spark-submit on two shared cores takes 15–40 s to start Spark. */
const SPARK_MS = 240_000;
const PROBE_SCRIPT = path.resolve(__dirname, '../../../fixtures/spark/probeJob.py');
const JOB = 'examlake-probe';

describe('the spark Glue engine when Python, PySpark or Java is missing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-spark-missing-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses to start the stack when the configured Python does not exist, saying what to install', async () => {
    const config = localStackConfig({ port: 0, dataDir: dir, glueEngine: 'spark', sparkPython: `${dir}/no/python` });
    const start = LocalStack.create(config);
    await expect(start).rejects.toBeInstanceOf(SparkRuntimeMissingError);
    await expect(start).rejects.toThrow(
      `EXAMLAKE_GLUE_ENGINE=spark runs the Glue job script with PySpark and Java, but there is no Python at ${dir}/no/python. ` +
        'Install them with `python3 -m venv .venv && .venv/bin/pip install -r etl/glue/requirements.txt` and a JDK 17',
    );
  });

  it('refuses to start the stack when the Python cannot import pyspark', async () => {
    // A real Python without site-packages (-S): pyspark cannot be found by it.
    const python = path.join(dir, 'python-without-site');
    await writeFile(python, '#!/bin/sh\nexec python3 -S "$@"\n');
    await chmod(python, 0o755);
    const start = LocalStack.create(
      localStackConfig({ port: 0, dataDir: dir, glueEngine: 'spark', sparkPython: python }),
    );
    await expect(start).rejects.toThrow(`but ${python} cannot import pyspark. Install them with`);
  });

  it('starts with the default DuckDB engine without looking for Python or Java', async () => {
    const stack = await LocalStack.create(localStackConfig({ port: 0, dataDir: dir, sparkPython: `${dir}/no/python` }));
    expect(stack.sparkRuntime).toBeUndefined();
    await stack.close();
  });
});

describe('a job script run by the spark engine', () => {
  let etl: EtlTestStack;
  let glue: GlueClient;
  let s3: S3Client;

  beforeAll(async () => {
    etl = await startEtlStack({ glueEngine: 'spark' });
    const runtime = etl.test.stack.sparkRuntime;
    if (!runtime) throw new Error('the spark engine stack has no Spark runtime');
    etl.test.stack.registerJob(
      JOB,
      sparkSubmitJob({
        runtime,
        job: { ...LOCAL_ETL_CONFIG, studentKeySecretId: LOCAL_RESOURCE_NAMES.studentKeySecret },
        driverMemory: '512m',
        ivyDir: etl.test.stack.config.sparkIvyDir,
        credentials: LOCAL_CREDENTIALS,
        script: PROBE_SCRIPT,
      }),
    );
    glue = etl.glue;
    s3 = etl.s3;
    await glue.send(
      new CreateJobCommand({
        Name: JOB,
        Role: 'arn:aws:iam::000000000000:role/examlake-local-glue',
        Command: { Name: 'glueetl', ScriptLocation: `file://${PROBE_SCRIPT}` },
        DefaultArguments: { '--job-bookmark-option': 'job-bookmark-enable' },
      }),
    );
  }, SPARK_MS);
  afterAll(() => etl?.stop());

  const start = async (args: Record<string, string>) =>
    (await glue.send(new StartJobRunCommand({ JobName: JOB, Arguments: args }))).JobRunId!;
  const end = async (runId: string) => {
    for (;;) {
      const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: JOB, RunId: runId }));
      if (['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT'].includes(JobRun!.JobRunState!)) return JobRun!;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const runLog = (runId: string) => readFile(RunLog.pathFor(path.join(etl.test.dataDir, 'glue'), JOB, runId), 'utf8');

  it(
    'reads and writes s3a:// on the edge endpoint and reaches Secrets Manager and Glue through boto3',
    async () => {
      const raw = LOCAL_ETL_CONFIG.rawBucket;
      await s3.send(new PutObjectCommand({ Bucket: raw, Key: 'probe/a.txt', Body: 'one\ntwo\nthree\n' }));
      const runId = await start({ '--mode': 'probe', '--reprocess-all': 'true' });
      const run = await end(runId);
      const log = await runLog(runId);
      expect({ state: run.JobRunState, error: run.ErrorMessage }).toEqual({ state: 'SUCCEEDED', error: undefined });
      const probe = JSON.parse(/PROBE (.*)$/m.exec(log)![1]!);
      expect(probe).toEqual({
        rows: 3,
        schemaFormat: 1,
        studentKeyBytes: 32,
        database: LOCAL_ETL_CONFIG.glueDatabase,
        reprocessAll: 'true',
        jobName: JOB,
        runId,
        unknownArguments: ['--job-bookmark-option', 'job-bookmark-enable'],
      });
      const written = await s3.send(
        new ListObjectsV2Command({ Bucket: LOCAL_ETL_CONFIG.curatedBucket, Prefix: `probe/v=${runId}/` }),
      );
      const keys = (written.Contents ?? []).map((o) => o.Key!);
      expect(keys.some((k) => k.endsWith('.parquet'))).toBe(true);
      expect(keys.filter((k) => k.includes('_temporary'))).toEqual([]);
    },
    SPARK_MS,
  );

  it(
    "ends a run whose script raises FAILED, with the script's error line as ErrorMessage",
    async () => {
      const run = await end(await start({ '--mode': 'fail' }));
      expect(run.JobRunState).toBe('FAILED');
      expect(run.ErrorMessage).toBe('RuntimeError: the probe failed on purpose (spark-submit exit code 1)');
    },
    SPARK_MS,
  );

  it(
    'stops a run by ending spark-submit and its Python driver (BatchStopJobRun)',
    async () => {
      const pidFile = path.join(etl.test.dataDir, 'probe.pid');
      const runId = await start({ '--mode': 'sleep', '--pid_file': pidFile });
      let pid: number | undefined;
      while (pid === undefined) {
        pid = Number(await readFile(pidFile, 'utf8').catch(() => '')) || undefined;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 250));
      }
      expect(isAlive(pid)).toBe(true);
      await glue.send(new BatchStopJobRunCommand({ JobName: JOB, JobRunIds: [runId] }));
      const run = await end(runId);
      expect(run.JobRunState).toBe('STOPPED');
      // Killed with its group; give the system a moment to reap the orphaned process.
      for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(isAlive(pid)).toBe(false);
      expect(await runLog(runId)).toContain('Stopping spark-submit (SIGTERM to its process group).');
    },
    SPARK_MS,
  );
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
