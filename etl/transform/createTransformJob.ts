import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { EtlConfig } from '../orchestration/etlConfig';
import { RunsStore } from '../orchestration/RunsStore';
import type { Bookmark, DatasetRunSummary, RunSummary } from '../orchestration/runRecords';
import { REJECTS_FILE, rejectsPrefix, versionPrefix } from '../schemas/curatedLayout';
import { GlueVersionCatalog } from './GlueVersionCatalog';
import type { RawObject } from './readRawObject';
import type { TransformJobBody, TransformRun } from './TransformRun';
import { transformObjects } from './transformObjects';

/** Points of a run where `onStage` is called (and the run's stop signal is checked right after). */
export type TransformStage = 'listed' | 'transformed' | 'uploaded' | 'committed';

/** The SDK clients of one run, built by the caller (for the endpoint the run reaches AWS services on). */
export interface TransformClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly dynamodb: DynamoDBClient;
  destroy(): void;
}

export interface TransformJobDeps {
  readonly config: EtlConfig;
  readonly clients: (run: TransformRun) => TransformClients;
  /** The secret `student_key` is keyed with (locally: generated once into the data dir). */
  readonly studentKeySecret: (run: TransformRun) => Promise<Buffer>;
  /** Observer of the run's progress (logs, tests that stop a run at a known point). */
  readonly onStage?: (stage: TransformStage, run: TransformRun) => Promise<void> | void;
}

/**
 * Job argument: `true` rebuilds every dataset from every raw object, ignoring bookmarks and the current version.
 * Spelled as the Glue job on AWS takes it; the older local spelling `--reprocess-all` is still accepted.
 */
export const REPROCESS_ALL_ARGUMENT = '--reprocess_all';
const REPROCESS_ALL_LEGACY_ARGUMENT = '--reprocess-all';

/**
 * The transform as a job body (locally the `examlake-transform` Glue job's DuckDB engine), written against the
 * {@link TransformRun} port. One run:
 *
 * ```
 * list raw objects ─▶ drop bookmarked (key + ETag) ─▶ transformObjects (scratch dir: versions, rejects)
 *   ─▶ upload s3://<curated>/<dataset>/v=<runId>/year=…/month=…/part-00000.parquet and the rejects
 *   ─▶ commit: UpdateTable per dataset (location + examlake.data_version = runId)
 *   ─▶ bookmarks + run summary in `runs`
 * ```
 * Stopped or failed before the commit, the tables still point at the previous version (the uploaded files of an
 * uncommitted version are never read). Bookmarks are written after the commit, so a run that dies between the
 * two only makes the next run read those objects again, which yields the same rows.
 */
export function createTransformJob(deps: TransformJobDeps): TransformJobBody {
  return async (run) => {
    const clients = deps.clients(run);
    try {
      await runOnce(deps, run, clients);
    } finally {
      clients.destroy();
    }
  };
}

async function runOnce(deps: TransformJobDeps, run: TransformRun, clients: TransformClients): Promise<void> {
  const { config } = deps;
  const startedAt = new Date();
  const reprocessAll =
    (run.arguments[REPROCESS_ALL_ARGUMENT] ?? run.arguments[REPROCESS_ALL_LEGACY_ARGUMENT]) === 'true';
  const runs = new RunsStore(clients.dynamodb, config.runsTable);
  const catalog = new GlueVersionCatalog(clients.glue, config.glueDatabase);
  const stage = async (name: TransformStage) => {
    run.signal.throwIfAborted();
    await deps.onStage?.(name, run);
    run.signal.throwIfAborted();
  };

  const bookmarks = reprocessAll ? new Map<string, Bookmark>() : await runs.bookmarks(config.rawBucket);
  const stored = await run.listObjects(config.rawBucket, '');
  const objects: RawObject[] = stored
    .filter((o) => !o.key.endsWith('/') && bookmarks.get(o.key)?.etag !== o.etag)
    .map((o) => ({
      key: o.key,
      etag: o.etag,
      lastModified: o.lastModified,
      size: o.size,
      path: o.path,
      uri: `s3://${o.bucket}/${o.key}`,
    }));
  run.log(`${objects.length} new raw objects of ${stored.length}${reprocessAll ? ' (reprocess all)' : ''}`);
  await stage('listed');
  const summary: RunSummary = {
    runId: run.jobRunId,
    jobName: run.jobName,
    state: 'COMMITTED',
    startedAt: startedAt.toISOString(),
    reprocessAll,
    objects: objects.length,
    datasets: {},
    refused: [],
  };
  if (objects.length === 0) {
    await runs.putRunSummary(summary);
    return;
  }

  const currents = new Map<string, Awaited<ReturnType<GlueVersionCatalog['current']>>>();
  const result = await transformObjects({
    objects,
    previousFiles: async (dataset) => {
      const current = await catalog.current(dataset.name);
      currents.set(dataset.name, current);
      if (reprocessAll || !current.location) return [];
      const files = await run.listObjects(current.location.bucket, current.location.prefix);
      return files.filter((f) => f.key.endsWith('.parquet')).map((f) => f.path);
    },
    runId: run.jobRunId,
    startedAt,
    studentKeySecret: await deps.studentKeySecret(run),
    workDir: run.scratchDir,
    duckdbMemoryLimit: run.duckdbMemoryLimit,
    signal: run.signal,
    log: (m) => run.log(m),
  });
  await stage('transformed');

  const datasets: Record<string, DatasetRunSummary> = {};
  const commits: { dataset: string; location: string }[] = [];
  for (const d of result.datasets) {
    const name = d.dataset.name;
    const current = currents.get(name) ?? (await catalog.current(name));
    const version = versionPrefix(name, run.jobRunId);
    for (const file of d.version?.files ?? []) {
      await upload(clients.s3, config.curatedBucket, `${version}${file.relativePath}`, file.localPath, run.signal);
    }
    let rejectsLocation: string | undefined;
    if (d.rejectsPath) {
      const prefix = rejectsPrefix(name, run.jobRunId);
      await upload(clients.s3, config.curatedBucket, `${prefix}${REJECTS_FILE}`, d.rejectsPath, run.signal);
      rejectsLocation = `s3://${config.curatedBucket}/${prefix}`;
    }
    const location = `s3://${config.curatedBucket}/${version}`;
    if (d.version) commits.push({ dataset: name, location });
    datasets[name] = {
      dataset: name,
      objects: d.objects,
      rowsIn: d.rowsIn,
      written: d.version?.written ?? 0,
      rejected: d.rejected,
      superseded: d.version?.superseded ?? 0,
      replaced: d.version?.replaced ?? 0,
      totalRows: d.version?.totalRows ?? 0,
      partitions: d.version?.files.length ?? 0,
      dataVersion: d.version ? run.jobRunId : (current.dataVersion ?? ''),
      location: d.version ? location : (current.table.StorageDescriptor?.Location ?? ''),
      rejectsLocation,
      rejectReasons: d.rejectReasons,
    };
  }
  await stage('uploaded');

  for (const c of commits) {
    await catalog.commit(currents.get(c.dataset) ?? (await catalog.current(c.dataset)), c.location, run.jobRunId);
    run.log(`committed ${c.dataset} version ${run.jobRunId} at ${c.location}`);
  }
  const processedAt = new Date().toISOString();
  await runs.putBookmarks(
    config.rawBucket,
    result.objects.map((o) => ({
      key: o.object.key,
      etag: o.object.etag,
      runId: run.jobRunId,
      dataset: o.accepted ? o.dataset : undefined,
      outcome: o.accepted ? 'LOADED' : 'REFUSED',
      reason: o.accepted ? undefined : o.reason,
      message: o.accepted ? undefined : o.message,
      rowsIn: o.accepted ? o.rowsIn : 0,
      processedAt,
    })),
  );
  await runs.putRunSummary({
    ...summary,
    datasets,
    refused: result.objects.flatMap((o) =>
      o.accepted ? [] : [{ key: o.object.key, reason: o.reason, message: o.message }],
    ),
  });
  await deps.onStage?.('committed', run);
}

async function upload(s3: S3Client, bucket: string, key: string, file: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const contentType = path.extname(file) === '.parquet' ? 'application/vnd.apache.parquet' : 'application/x-ndjson';
  await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: contentType },
    queueSize: 2,
    partSize: 16 * 1024 * 1024,
  }).done();
}
