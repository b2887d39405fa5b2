/**
 * One measured run of the AWS Glue job script on a local stack with the spark engine, exactly as
 * `EXAMLAKE_GLUE_ENGINE=spark` runs it: the file is uploaded to the raw bucket (not measured), then `StartJobRun`
 * on the local Glue runs `etl/glue/transform.py` with spark-submit (`local[2]`, `--driver-memory`), which reads
 * the object and writes the Parquet version and rejects through `s3a://` on the edge endpoint and commits through
 * boto3. Measured from `StartJobRun` to the run's final state: wall seconds, the spark-submit process tree's CPU
 * seconds and peak RSS (`processTree.ts`), and, apart, the CPU the stack in this process spent serving the run.
 */
import { copyFile, link, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GlueClient, type JobRun, StartJobRunCommand } from '@aws-sdk/client-glue';
import { RunsStore } from '../etl/orchestration/RunsStore';
import { uploadExports } from '../infra/cli/uploadExports';
import { bootstrapResources } from '../infra/local/bootstrap';
import { RunLog } from '../infra/local/glue/RunLog';
import { LOCAL_ETL_CONFIG, wireEtl } from '../infra/local/wireEtl';
import { startTestStack } from '../test/support/localStack';
import { watchProcessTree } from './processTree';
import { BENCH_DIR } from './transformInputs';

export interface SparkJobMeasure {
  readonly rowsIn: number;
  readonly written: number;
  readonly rejected: number;
  readonly superseded: number;
  readonly partitions: number;
  readonly wallSeconds: number;
  /** CPU of the spark-submit process tree (JVM, Python driver, PySpark daemon and workers). */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  /** The largest single process (the JVM) and its peak RSS. */
  readonly largest: { readonly command: string; readonly rssMiB: number };
  /** CPU of this process (the local stack's S3, DynamoDB, Glue) during the run. */
  readonly stackCpuSeconds: number;
  /** Where the run's log was copied (under `.bench/`). */
  readonly log: string;
}

const FINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);

/**
 * Runs the job once on `file` (an `exam_results` export with `expectedRows` data rows) on a fresh stack whose data
 * dir is under `work`. Throws when the run does not succeed or its counts do not reconcile with `expectedRows`.
 */
export async function measureSparkJob(
  file: string,
  expectedRows: number,
  options: { readonly work: string; readonly driverMemory: string },
): Promise<SparkJobMeasure> {
  const exports = path.join(options.work, 'exports', 'exam_results');
  await mkdir(exports, { recursive: true });
  // A hard link: the file as a regular file under a dataset folder, without copying gigabytes.
  await link(file, path.join(exports, path.basename(file)));
  const dataDir = path.join(options.work, 'stack');
  const test = await startTestStack({
    dataDir,
    glueEngine: 'spark',
    sparkDriverMemory: options.driverMemory,
    glueMinuteMs: 60_000,
  });
  const glue = new GlueClient(test.clientConfig);
  const dynamodb = new DynamoDBClient(test.clientConfig);
  try {
    await bootstrapResources(test.clientConfig, { dataDir });
    // Registers the job; the ingest trigger is unsubscribed at once, so the upload starts no run by itself.
    wireEtl(test.stack)();
    const uploaded = await uploadExports(path.dirname(exports), { clientConfig: test.clientConfig, wait: false });
    if (!uploaded.ok || uploaded.uploaded !== 1) throw new Error(`Upload failed: ${uploaded.message}`);

    const jobName = LOCAL_ETL_CONFIG.transformJob;
    const watch = watchProcessTree(process.pid);
    const before = process.resourceUsage();
    const started = performance.now();
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName }));
    let run: JobRun | undefined;
    do {
      await new Promise((r) => setTimeout(r, 250));
      run = (await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: JobRunId }))).JobRun;
    } while (!FINAL_STATES.has(run?.JobRunState ?? ''));
    const wallSeconds = (performance.now() - started) / 1000;
    const after = process.resourceUsage();
    const tree = watch.stop();

    const log = path.join(BENCH_DIR, `spark-${expectedRows}-${JobRunId}.log`);
    await copyFile(RunLog.pathFor(path.join(dataDir, 'glue'), jobName, JobRunId!), log);
    if (run?.JobRunState !== 'SUCCEEDED') {
      throw new Error(`The spark job run ended ${run?.JobRunState}: ${run?.ErrorMessage} (log: ${log})`);
    }
    const summary = await new RunsStore(dynamodb, LOCAL_ETL_CONFIG.runsTable).runSummary(JobRunId!);
    const d = summary?.datasets?.exam_results;
    if (!d) throw new Error(`Run ${JobRunId} recorded no exam_results summary (log: ${log})`);
    if (d.rowsIn !== expectedRows || d.written + d.rejected + d.superseded !== d.rowsIn) {
      throw new Error(
        `Run ${JobRunId}: ${d.rowsIn} rows in (expected ${expectedRows}) = ${d.written} written + ${d.rejected} ` +
          `rejected + ${d.superseded} superseded does not reconcile (log: ${log})`,
      );
    }
    return {
      rowsIn: d.rowsIn,
      written: d.written,
      rejected: d.rejected,
      superseded: d.superseded,
      partitions: d.partitions,
      wallSeconds,
      cpuSeconds: tree.cpuSeconds,
      peakRssMiB: tree.peakRssMiB,
      largest: tree.largest,
      stackCpuSeconds: (after.userCPUTime - before.userCPUTime + after.systemCPUTime - before.systemCPUTime) / 1e6,
      log,
    };
  } finally {
    glue.destroy();
    dynamodb.destroy();
    await test.stop({ keepData: true });
  }
}
