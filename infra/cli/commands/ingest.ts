import { createReadStream } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { collectExports } from '../../../etl/orchestration/collectExports';
import { RunsStore } from '../../../etl/orchestration/RunsStore';
import type { RunSummary } from '../../../etl/orchestration/runRecords';
import { waitForRuns } from '../../../etl/orchestration/waitForRuns';
import { LOCAL_CREDENTIALS } from '../../local/config';
import { LOCAL_ETL_CONFIG } from '../../local/wireEtl';
import { localStackConfigFromEnv } from '../env';

interface IngestFlags {
  dataset?: string;
  port?: string;
  timeoutSeconds: number;
  wait: boolean;
  progress?: boolean;
}

/** `examlake ingest <file|dir>`: upload exports to the raw bucket, wait for the runs, print their summary. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Upload CSV exports (a file, or every .csv under a directory) to the raw bucket of the local stack, wait for ' +
        'the transform runs they trigger and print rows in / written / rejected / superseded per dataset',
    )
    .argument('<path>', 'a CSV file or a directory of them (e.g. the output of `examlake generate`)')
    .option('--dataset <name>', 'the dataset of every file (default: the folder name, else inferred from the header)')
    .option('--port <port>', 'edge endpoint port of the running stack (env EXAMLAKE_STACK_PORT, default 4566)')
    .option('--timeout-seconds <n>', 'how long to wait for the runs', positive, 600)
    .option('--no-wait', 'upload only; do not wait for the runs')
    .option('--no-progress', 'never show progress bars')
    .action(async (target: string, flags: IngestFlags) => {
      process.exitCode = await ingest(target, flags);
    });
}

async function ingest(target: string, flags: IngestFlags): Promise<number> {
  const stackConfig = localStackConfigFromEnv(process.env, { port: flags.port });
  const endpoint = process.env.AWS_ENDPOINT_URL ?? `http://${stackConfig.host}:${stackConfig.port}`;
  const clientConfig = { endpoint, region: stackConfig.region, credentials: { ...LOCAL_CREDENTIALS } };
  const config = LOCAL_ETL_CONFIG;
  const { exports, unacceptable } = await collectExports(target, flags.dataset);
  for (const u of unacceptable) {
    console.error(`✗ ${path.relative(process.cwd(), u.file)}: ${u.reason}. ${u.message}`);
  }
  if (exports.length === 0) {
    console.error(`Nothing to ingest under ${target}: no acceptable .csv export was found.`);
    return 1;
  }
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const glue = new GlueClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const showBars = (flags.progress ?? true) && process.stderr.isTTY === true;
  try {
    const since = new Date();
    const total = exports.reduce((n, e) => n + e.size, 0);
    const bar = showBars
      ? new SingleBar({ stream: process.stderr, format: 'upload |{bar}| {percentage}% | {file}', hideCursor: true })
      : undefined;
    bar?.start(total, 0, { file: '' });
    const uploaded: { key: string; etag: string }[] = [];
    let done = 0;
    for (const e of exports) {
      const upload = new Upload({
        client: s3,
        params: { Bucket: config.rawBucket, Key: e.key, Body: createReadStream(e.file), ContentType: 'text/csv' },
        partSize: 16 * 1024 * 1024,
        queueSize: 2,
      });
      upload.on('httpUploadProgress', (p) => bar?.update(done + (p.loaded ?? 0), { file: e.key }));
      const result = await upload.done();
      done += e.size;
      uploaded.push({ key: e.key, etag: (result.ETag ?? '').replace(/"/g, '') });
    }
    bar?.update(total);
    bar?.stop();
    console.log(`Uploaded ${uploaded.length} files (${(total / 1e6).toFixed(1)} MB) to s3://${config.rawBucket}/`);
    if (!flags.wait) return unacceptable.length > 0 ? 1 : 0;

    const waitBar = showBars
      ? new SingleBar({ stream: process.stderr, format: 'transform |{bar}| {value}/{total} objects processed' })
      : undefined;
    waitBar?.start(uploaded.length, 0);
    const outcome = await waitForRuns({
      runs: new RunsStore(dynamodb, config.runsTable),
      glue,
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
      objects: uploaded,
      since,
      timeoutMs: flags.timeoutSeconds * 1000,
      onProgress: (n) => waitBar?.update(n),
    });
    waitBar?.stop();
    for (const summary of outcome.summaries) printSummary(summary);
    if (!outcome.ok) {
      console.error(`✗ ${outcome.message}`);
      return 1;
    }
    return unacceptable.length > 0 ? 1 : 0;
  } finally {
    for (const client of [s3, glue, dynamodb]) client.destroy();
  }
}

function printSummary(s: RunSummary): void {
  const seconds = s.durationMs === undefined ? '' : ` in ${(s.durationMs / 1000).toFixed(1)} s`;
  console.log(`\nRun ${s.runId}: ${s.state}${seconds}, ${s.objects ?? 0} objects`);
  for (const d of Object.values(s.datasets ?? {})) {
    console.log(
      `  ${d.dataset}: ${d.rowsIn} rows in = ${d.written} written + ${d.rejected} rejected + ${d.superseded} superseded` +
        ` (${d.replaced} earlier rows corrected; table now ${d.totalRows} rows in ${d.partitions} partitions, version ${d.dataVersion})`,
    );
    const reasons = Object.entries(d.rejectReasons ?? {});
    if (reasons.length > 0)
      console.log(`    rejects: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')} → ${d.rejectsLocation}`);
  }
  for (const r of s.refused ?? []) console.log(`  refused ${r.key}: ${r.reason}. ${r.message}`);
  if (s.message) console.log(`  ${s.message}`);
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of seconds ≥ 1 is expected.');
  return n;
}
