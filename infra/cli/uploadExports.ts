import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SingleBar } from 'cli-progress';
import { collectExports } from '../../etl/orchestration/collectExports';
import { RunsStore } from '../../etl/orchestration/RunsStore';
import type { RunSummary } from '../../etl/orchestration/runRecords';
import { waitForRuns } from '../../etl/orchestration/waitForRuns';
import type { LocalClientConfig } from '../local/bootstrap';
import { LOCAL_ETL_CONFIG } from '../local/wireEtl';

export interface UploadExportsOptions {
  readonly clientConfig: LocalClientConfig;
  /** The dataset of every file; by default the folder name, else inferred from the header. */
  readonly dataset?: string;
  /** Wait for the transform runs the uploads trigger. @default true */
  readonly wait?: boolean;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** Progress bars on stderr. @default false */
  readonly progress?: boolean;
}

/** What became of an upload: false `ok` says why, in words a user can act on. */
export interface UploadOutcome {
  readonly ok: boolean;
  readonly message: string;
  readonly uploaded: number;
  readonly summaries: readonly RunSummary[];
}

/**
 * Uploads the CSV exports under `target` to the raw bucket (multipart, through the S3 API, so the ingest
 * trigger fires as it would on AWS), waits for the runs they trigger and prints each run's summary.
 * Used by `examlake ingest` and `examlake start`.
 */
export async function uploadExports(target: string, options: UploadExportsOptions): Promise<UploadOutcome> {
  const config = LOCAL_ETL_CONFIG;
  const { exports, unacceptable } = await collectExports(target, options.dataset);
  for (const u of unacceptable) console.error(`✗ ${path.relative(process.cwd(), u.file)}: ${u.reason}. ${u.message}`);
  if (exports.length === 0) {
    return {
      ok: false,
      message: `Nothing to ingest under ${target}: no acceptable .csv export.`,
      uploaded: 0,
      summaries: [],
    };
  }
  const s3 = new S3Client(options.clientConfig);
  const glue = new GlueClient(options.clientConfig);
  const dynamodb = new DynamoDBClient(options.clientConfig);
  try {
    const runs = new RunsStore(dynamodb, config.runsTable);
    // What was loaded before: an upload of an unchanged file (same key and ETag) loads nothing new.
    const before = await runs.bookmarks(config.rawBucket);
    const since = new Date();
    const total = exports.reduce((n, e) => n + e.size, 0);
    const bar = options.progress
      ? new SingleBar({ stream: process.stderr, format: 'upload |{bar}| {percentage}% | {file}', hideCursor: true })
      : undefined;
    bar?.start(total, 0, { file: '' });
    const uploaded: { key: string; etag: string }[] = [];
    let done = 0;
    for (const e of exports) {
      // An unchanged file (its ETag computed here equals the loaded object's) is not sent again.
      const loaded = before.get(e.key);
      if (loaded && loaded.etag === (await s3Etag(e.file, PART_BYTES))) {
        done += e.size;
        uploaded.push({ key: e.key, etag: loaded.etag });
        continue;
      }
      const upload = new Upload({
        client: s3,
        params: { Bucket: config.rawBucket, Key: e.key, Body: createReadStream(e.file), ContentType: 'text/csv' },
        partSize: PART_BYTES,
        queueSize: 2,
      });
      upload.on('httpUploadProgress', (p) => bar?.update(done + (p.loaded ?? 0), { file: e.key }));
      const result = await upload.done();
      done += e.size;
      uploaded.push({ key: e.key, etag: (result.ETag ?? '').replace(/"/g, '') });
    }
    bar?.update(total);
    bar?.stop();
    const sent = uploaded.filter((u) => before.get(u.key)?.etag !== u.etag);
    if (sent.length > 0) {
      const bytes = exports.filter((e) => sent.some((u) => u.key === e.key)).reduce((n, e) => n + e.size, 0);
      console.log(`Uploaded ${sent.length} files (${(bytes / 1e6).toFixed(1)} MB) to s3://${config.rawBucket}/`);
    }
    const refusedFiles = unacceptable.length > 0 ? `${unacceptable.length} files were not uploaded (see above).` : '';
    if (options.wait === false) {
      return { ok: unacceptable.length === 0, message: refusedFiles, uploaded: uploaded.length, summaries: [] };
    }
    const unchanged = uploaded.filter((u) => before.get(u.key)?.etag === u.etag);
    if (unchanged.length > 0) {
      const earlier = [...new Set(unchanged.map((u) => before.get(u.key)!.runId))];
      console.log(
        unchanged.length === uploaded.length
          ? `Every file was already loaded, unchanged (by run ${earlier.join(', ')}): nothing new to load.`
          : `${unchanged.length} of ${uploaded.length} files were already loaded, unchanged (by run ${earlier.join(', ')}); ` +
              'only the others are loaded now.',
      );
    }
    const fresh = uploaded.filter((u) => !unchanged.includes(u));
    if (fresh.length === 0) {
      return { ok: unacceptable.length === 0, message: refusedFiles, uploaded: uploaded.length, summaries: [] };
    }
    const waitBar = options.progress
      ? new SingleBar({ stream: process.stderr, format: 'transform |{bar}| {value}/{total} objects processed' })
      : undefined;
    waitBar?.start(fresh.length, 0);
    const outcome = await waitForRuns({
      runs,
      glue,
      rawBucket: config.rawBucket,
      jobName: config.transformJob,
      objects: fresh,
      since,
      timeoutMs: (options.timeoutSeconds ?? 600) * 1000,
      onProgress: (n) => waitBar?.update(n),
    });
    waitBar?.stop();
    for (const summary of outcome.summaries) printSummary(summary);
    if (!outcome.ok)
      return { ok: false, message: outcome.message, uploaded: uploaded.length, summaries: outcome.summaries };
    return {
      ok: unacceptable.length === 0,
      message: refusedFiles,
      uploaded: uploaded.length,
      summaries: outcome.summaries,
    };
  } finally {
    for (const client of [s3, glue, dynamodb]) client.destroy();
  }
}

/** Part size of multipart uploads (and of the ETag computed for an unchanged file). */
const PART_BYTES = 16 * 1024 * 1024;

/**
 * The ETag S3 gives `file` uploaded as `Upload` sends it: the MD5 (hex) of a single PUT, or for a multipart upload
 * the MD5 of the parts' MD5s, then `-<parts>`.
 */
async function s3Etag(file: string, partBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, partBytes - inPart);
      part.update(chunk.subarray(offset, offset + take));
      offset += take;
      inPart += take;
      if (inPart === partBytes) {
        parts.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || parts.length === 0) parts.push(part.digest());
  if (parts.length === 1) return parts[0]!.toString('hex');
  return `${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}`;
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
