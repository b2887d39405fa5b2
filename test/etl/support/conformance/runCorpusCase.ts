import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetJobRunCommand, GetTableCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RunsStore } from '../../../../etl/orchestration/RunsStore';
import type { RunSummary } from '../../../../etl/orchestration/runRecords';
import { curatedColumns } from '../../../../etl/schemas/curatedColumns';
import { rejectsPrefix } from '../../../../etl/schemas/curatedLayout';
import { DATASETS } from '../../../../etl/schemas/datasets';
import { DATA_VERSION_PARAMETER } from '../../../../etl/schemas/glueTableInput';
import { REJECT_REASON_CODES } from '../../../../etl/schemas/rejectReasons';
import { STUDENT_KEY_SECRET_FILE } from '../../../../etl/transform/studentKey';
import { bootstrapResources } from '../../../../infra/local/bootstrap';
import type { GlueEngine, LocalStackConfig } from '../../../../infra/local/config';
import { LOCAL_ETL_CONFIG, wireEtl } from '../../../../infra/local/wireEtl';
import { startTestStack } from '../../../support/localStack';
import { CORPUS_STUDENT_KEY_HEX, type CorpusCase, objectFile } from './corpusCase';
import { type CuratedFile, readCuratedFiles } from './readCuratedFiles';

/** What one case produced on one engine: per run, the normalised output files by name; and broken invariants. */
export interface CaseOutputs {
  readonly runs: Record<string, string>[];
  /** Parquet columns (`name TYPE`) by dataset, as every written file of the case holds them. */
  readonly columns: Record<string, string[]>;
  /** Invariants every engine must keep that have no expected file (one file per partition, sorted files…). */
  readonly problems: string[];
}

const config = LOCAL_ETL_CONFIG;
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);
/** How long one job run may take: a Spark run of a few kilobytes took over 10 minutes at load 16 on two cores. */
const RUN_TIMEOUT_MS = 25 * 60_000;

/**
 * Runs one corpus case on a fresh local stack: the fixed student-key secret in the data dir, the ETL wired
 * without the ingest trigger (so exactly the objects of a run are read by that run), then per run: upload its
 * objects through the S3 API in order, StartJobRun through the Glue API, wait for the final state, and read back
 * the curated Parquet, the rejects and the runs table through the same APIs.
 */
export async function runCorpusCase(
  c: CorpusCase,
  engine: GlueEngine,
  stackOptions: Partial<LocalStackConfig>,
): Promise<CaseOutputs> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `examlake-corpus-${c.name}-`));
  const download = path.join(dataDir, 'downloads');
  await mkdir(path.join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(dataDir, 'secrets', STUDENT_KEY_SECRET_FILE), `${CORPUS_STUDENT_KEY_HEX}\n`, {
    mode: 0o600,
  });
  const test = await startTestStack({ ...stackOptions, dataDir });
  // A stack that ignored the engine option would run DuckDB and pass for the wrong engine.
  const running = test.stack.config.glueEngine;
  if (running !== engine) {
    await test.stop();
    throw new Error(`The local stack runs the Glue job on ${running}, not ${engine}: check stackOptions().`);
  }
  const s3 = new S3Client({ ...test.clientConfig, forcePathStyle: true });
  const glue = new GlueClient(test.clientConfig);
  const dynamodb = new DynamoDBClient(test.clientConfig);
  const runs = new RunsStore(dynamodb, config.runsTable);
  let stopWiring: (() => void) | undefined;
  try {
    // With the data dir: the student key secret in Secrets Manager (which the Glue job on Spark reads) is the
    // corpus key written above, as the DuckDB engine reads it from the file.
    await bootstrapResources(test.clientConfig, { dataDir });
    stopWiring = wireEtl(test.stack, { trigger: false });
    const runIds: string[] = [];
    const outputs: Record<string, string>[] = [];
    const problems: string[] = [];
    const columns: Record<string, string[]> = {};
    let previousKey: string | undefined;
    for (const [i, run] of c.runs.entries()) {
      for (const key of run.upload) {
        // LastModified orders the objects of a run (then the key). S3 keeps it to the second: an object whose key
        // sorts before the one uploaded just before it goes up in a later second, so both orders agree on every
        // engine and store.
        if (previousKey !== undefined && key < previousKey) await nextSecond();
        await s3.send(
          new PutObjectCommand({ Bucket: config.rawBucket, Key: key, Body: await readFile(objectFile(c, i + 1, key)) }),
        );
        previousKey = key;
      }
      const { JobRunId } = await glue.send(
        new StartJobRunCommand({ JobName: config.transformJob, Arguments: { ...run.arguments } }),
      );
      const runId = JobRunId!;
      runIds.push(runId);
      const state = await runEnd(glue, runId);
      await test.stack.events.drain();
      if (state !== 'SUCCEEDED') {
        const summary = await runs.runSummary(runId);
        throw new Error(`${c.name} run ${i + 1} ended ${state}: ${summary?.message ?? '(no message)'}`);
      }
      // Run ids become the run's ordinal; the initial data version of a table never written names the schema's
      // fingerprint, which changes with every schema change.
      const ordinal = (text: string) =>
        runIds
          .reduce((t, id, n) => t.split(id).join(`run-${n + 1}`), text)
          .replace(/schema-[0-9a-f]{16}/g, 'schema-<fingerprint>');
      const files: Record<string, string> = {};
      const summary = await runs.runSummary(runId);
      files['summary.json'] = `${JSON.stringify(normalizeSummary(summary), null, 2)}\n`;
      const bookmarks = [...(await runs.bookmarks(config.rawBucket)).values()].sort((a, b) => cmp(a.key, b.key));
      files['bookmarks.jsonl'] = jsonLines(
        bookmarks.map((b) => ({
          key: b.key,
          outcome: b.outcome,
          ...(b.dataset ? { dataset: b.dataset } : {}),
          ...(b.reason ? { reason: b.reason } : {}),
          rowsIn: b.rowsIn,
          run: b.runId,
        })),
      );
      for (const dataset of Object.values(DATASETS)) {
        const rejects = await readRejects(s3, rejectsPrefix(dataset.name, runId));
        if (rejects.length > 0) files[`${dataset.name}.rejects.jsonl`] = jsonLines(rejects);
        const { Table } = await glue.send(
          new GetTableCommand({ DatabaseName: config.glueDatabase, Name: dataset.name }),
        );
        const version = Table?.Parameters?.[DATA_VERSION_PARAMETER];
        const location = Table?.StorageDescriptor?.Location ?? '';
        if (!version || !runIds.includes(version)) continue;
        const curated = await downloadVersion(s3, location, path.join(download, `run-${i + 1}`, dataset.name));
        const partitions = new Map<string, number>();
        for (const f of curated.files) {
          const p = `year=${f.year}/month=${String(f.month).padStart(2, '0')}`;
          partitions.set(p, (partitions.get(p) ?? 0) + 1);
        }
        for (const [p, n] of partitions) {
          if (n !== 1) problems.push(`${c.name} run ${i + 1}: ${dataset.name} ${p} holds ${n} Parquet files, not 1`);
        }
        const content = await readCuratedFiles(curated.files, curatedColumns(dataset), dataset.sortKeys);
        for (const [f, keys] of content.sortKeysByFile.entries()) {
          const sorted = [...keys].sort((a, b) => cmp(a.join('\u0000'), b.join('\u0000')));
          if (JSON.stringify(sorted) !== JSON.stringify(keys)) {
            problems.push(`${c.name} run ${i + 1}: ${curated.keys[f]} is not sorted by ${dataset.sortKeys.join(', ')}`);
          }
        }
        for (const [f, cols] of content.columnsByFile.entries()) {
          const seen = columns[dataset.name];
          if (!seen) columns[dataset.name] = cols;
          else if (JSON.stringify(seen) !== JSON.stringify(cols)) {
            problems.push(`${c.name} run ${i + 1}: ${curated.keys[f]} has columns ${cols.join(', ')}`);
          }
        }
        const ingested = new Map<string, unknown>();
        for (const row of content.rows) {
          const seen = ingested.get(String(row.run_id));
          if (seen === undefined) ingested.set(String(row.run_id), row.ingested_at);
          else if (seen !== row.ingested_at) {
            problems.push(`${c.name} run ${i + 1}: rows of run ${row.run_id} differ in ingested_at`);
          }
          row.ingested_at = row.run_id;
        }
        const key = dataset.naturalKey;
        content.rows.sort((a, b) =>
          cmp(key.map((k) => String(a[k])).join('\u0000'), key.map((k) => String(b[k])).join('\u0000')),
        );
        files[`${dataset.name}.rows.jsonl`] = jsonLines(content.rows);
        files[`${dataset.name}.partitions.txt`] = [...partitions.keys()]
          .sort()
          .map((p) => `${p}\n`)
          .join('');
      }
      outputs.push(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, ordinal(text)])));
    }
    return { runs: outputs, columns, problems };
  } finally {
    stopWiring?.();
    await test.stack.events.drain();
    for (const client of [s3, glue, dynamodb]) client.destroy();
    await test.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jsonLines(values: readonly unknown[]): string {
  return values.map((v) => `${JSON.stringify(v)}\n`).join('');
}

async function nextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_050 - (Date.now() % 1_000)));
}

async function runEnd(glue: GlueClient, runId: string): Promise<string> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: config.transformJob, RunId: runId }));
    if (FINAL.has(JobRun?.JobRunState ?? '')) return JobRun!.JobRunState!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Run ${runId} did not end within ${RUN_TIMEOUT_MS / 60_000} minutes.`);
}

/** The summary's fields that both engines define identically (times and the run id's own fields dropped). */
function normalizeSummary(summary: RunSummary | undefined): unknown {
  if (!summary) return { missing: 'no run summary in the runs table' };
  const reasonOrder = (r: string) => REJECT_REASON_CODES.indexOf(r as (typeof REJECT_REASON_CODES)[number]);
  return {
    state: summary.state,
    reprocessAll: summary.reprocessAll ?? false,
    objects: summary.objects,
    datasets: Object.fromEntries(
      Object.keys(summary.datasets ?? {})
        .sort()
        .map((name) => {
          const d = summary.datasets![name]!;
          return [
            name,
            {
              objects: d.objects,
              rowsIn: d.rowsIn,
              written: d.written,
              rejected: d.rejected,
              superseded: d.superseded,
              replaced: d.replaced,
              totalRows: d.totalRows,
              partitions: d.partitions,
              dataVersion: d.dataVersion,
              location: d.location,
              ...(d.rejectsLocation ? { rejectsLocation: d.rejectsLocation } : {}),
              rejectReasons: Object.fromEntries(
                Object.entries(d.rejectReasons ?? {}).sort(([a], [b]) => reasonOrder(a) - reasonOrder(b)),
              ),
            },
          ];
        }),
    ),
    refused: [...(summary.refused ?? [])]
      .sort((a, b) => cmp(a.key, b.key))
      .map((r) => ({ key: r.key, reason: r.reason, message: r.message })),
  };
}

/** Every line of every object under a rejects prefix, fields in the documented order, sorted by source and line. */
async function readRejects(s3: S3Client, prefix: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const key of await listKeys(s3, config.curatedBucket, prefix)) {
    const text = await getText(s3, config.curatedBucket, key);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      const ordered: Record<string, unknown> = {};
      for (const field of ['source', 'line', 'reason', 'column', 'rule', 'message', 'text', 'base64']) {
        if (r[field] !== undefined && r[field] !== null) ordered[field] = r[field];
      }
      for (const field of Object.keys(r)) {
        if (!(field in ordered) && r[field] !== null) ordered[field] = r[field];
      }
      out.push(ordered);
    }
  }
  return out.sort((a, b) => cmp(String(a.source), String(b.source)) || Number(a.line) - Number(b.line));
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Body!.transformToByteArray();
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  return Buffer.from(await getBytes(s3, bucket, key)).toString('utf8');
}

const PARTITION_KEY = /\/year=(\d+)\/month=(\d+)\/[^/]+\.parquet$/;

/** Downloads the Parquet files of a table version (`s3://bucket/<dataset>/v=<runId>/`) with their partitions. */
async function downloadVersion(
  s3: S3Client,
  location: string,
  into: string,
): Promise<{ files: CuratedFile[]; keys: string[] }> {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  if (!match) throw new Error(`Unexpected table location ${location}`);
  const [, bucket, prefix] = match as unknown as [string, string, string];
  const files: CuratedFile[] = [];
  const keys: string[] = [];
  for (const key of await listKeys(s3, bucket, prefix)) {
    const partition = PARTITION_KEY.exec(key);
    if (!partition) continue;
    const localPath = path.join(into, key.slice(prefix.length));
    await mkdir(path.dirname(localPath), { recursive: true });
    await writeFile(localPath, await getBytes(s3, bucket, key));
    files.push({ localPath, year: Number(partition[1]), month: Number(partition[2]) });
    keys.push(key);
  }
  return { files, keys };
}
