import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { type BuiltVersion, buildVersion } from './buildVersion';
import { ReconciliationError } from './errors';
import type { RejectedRow } from './RejectedRow';
import { type RawObject, readRawObject } from './readRawObject';
import { StagingAppender } from './StagingAppender';
import { studentKeyFunction } from './studentKey';

export interface TransformInput {
  /** The raw objects of this run, in any order (they are ordered by LastModified, then key). */
  readonly objects: readonly RawObject[];
  /** Parquet files of a dataset's current version (none on the first run, or to rebuild from scratch). */
  readonly previousFiles: (dataset: DatasetSchema) => Promise<readonly string[]>;
  readonly runId: string;
  readonly startedAt: Date;
  readonly studentKeySecret: Buffer;
  /** Directory for the new version's files, the rejects and DuckDB's spill files. */
  readonly workDir: string;
  /** @default '1GB' */
  readonly duckdbMemoryLimit?: string;
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
}

/** What became of one raw object. */
export type ObjectResult =
  | { readonly object: RawObject; readonly accepted: true; readonly dataset: string; readonly rowsIn: number }
  | {
      readonly object: RawObject;
      readonly accepted: false;
      readonly reason: RejectReasonCode;
      readonly message: string;
    };

export interface DatasetResult {
  readonly dataset: DatasetSchema;
  readonly objects: number;
  readonly rowsIn: number;
  readonly rejected: number;
  readonly rejectReasons: Readonly<Record<string, number>>;
  /** JSON Lines of RejectedRow, when any row was rejected. */
  readonly rejectsPath: string | undefined;
  /** The new version, or undefined when no valid row arrived (the current version stays). */
  readonly version: BuiltVersion | undefined;
}

export interface TransformResult {
  readonly objects: readonly ObjectResult[];
  readonly datasets: readonly DatasetResult[];
}

/**
 * The transform on local files: reads and validates every raw object, stages valid rows in DuckDB, builds each
 * touched dataset's next version (previous version + this run, deduplicated, partitioned, sorted) and checks
 * that every dataset reconciles. Writes only under `workDir`; committing is the caller's job.
 */
export async function transformObjects(input: TransformInput): Promise<TransformResult> {
  const objects = [...input.objects].sort(
    (a, b) => a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const spill = path.join(input.workDir, 'duckdb-spill');
  await mkdir(spill, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: input.duckdbMemoryLimit ?? '1GB',
    temp_directory: spill,
    preserve_insertion_order: 'false',
  });
  const db = await instance.connect();
  try {
    const pseudonym = studentKeyFunction(input.studentKeySecret);
    const stages = new Map<string, StagingAppender>();
    const perDataset = new Map<
      string,
      { dataset: DatasetSchema; objects: number; rowsIn: number; rejected: number; reasons: Record<string, number> }
    >();
    const results: ObjectResult[] = [];
    for (const [rank, object] of objects.entries()) {
      input.signal?.throwIfAborted();
      let stage: StagingAppender | undefined;
      let rejects: string[] = [];
      let reasons: Record<string, number> = {};
      const reading = await readRawObject(
        object,
        {
          begin: async (dataset) => {
            stage = stages.get(dataset.name);
            if (!stage) {
              stage = await StagingAppender.create(db, dataset, pseudonym);
              stages.set(dataset.name, stage);
            }
          },
          row: (values, line) => stage!.append(values, object.uri, rank, line),
          reject: (row: RejectedRow) => {
            rejects.push(JSON.stringify(row));
            reasons[row.reason] = (reasons[row.reason] ?? 0) + 1;
          },
        },
        input.signal,
      );
      if (!reading.accepted) {
        input.log?.(`refused ${object.uri}: ${reading.reason}`);
        results.push({ object, accepted: false, reason: reading.reason, message: reading.message });
        continue;
      }
      const name = reading.dataset.name;
      const totals = perDataset.get(name) ?? {
        dataset: reading.dataset,
        objects: 0,
        rowsIn: 0,
        rejected: 0,
        reasons: {},
      };
      totals.objects++;
      totals.rowsIn += reading.rowsIn;
      totals.rejected += reading.rejected;
      for (const [code, n] of Object.entries(reasons)) totals.reasons[code] = (totals.reasons[code] ?? 0) + n;
      perDataset.set(name, totals);
      if (rejects.length > 0) await appendFile(rejectsPath(input.workDir, name), `${rejects.join('\n')}\n`);
      rejects = [];
      reasons = {};
      input.log?.(`read ${object.uri}: ${reading.rowsIn} rows, ${reading.rejected} rejected`);
      results.push({ object, accepted: true, dataset: name, rowsIn: reading.rowsIn });
    }
    for (const stage of stages.values()) stage.close();
    const datasets: DatasetResult[] = [];
    for (const totals of perDataset.values()) {
      input.signal?.throwIfAborted();
      const stage = stages.get(totals.dataset.name);
      const version =
        stage && stage.rows > 0
          ? await buildVersion({
              connection: db,
              dataset: totals.dataset,
              stagingTable: stage.table,
              previousFiles: await input.previousFiles(totals.dataset),
              runId: input.runId,
              ingestedAt: input.startedAt,
              outDir: path.join(input.workDir, 'version', totals.dataset.name),
            })
          : undefined;
      const written = version?.written ?? 0;
      const superseded = version?.superseded ?? 0;
      if (totals.rowsIn !== written + totals.rejected + superseded) {
        throw new ReconciliationError(totals.dataset.name, {
          rowsIn: totals.rowsIn,
          written,
          rejected: totals.rejected,
          superseded,
        });
      }
      datasets.push({
        dataset: totals.dataset,
        objects: totals.objects,
        rowsIn: totals.rowsIn,
        rejected: totals.rejected,
        rejectReasons: totals.reasons,
        rejectsPath: totals.rejected > 0 ? rejectsPath(input.workDir, totals.dataset.name) : undefined,
        version,
      });
    }
    return { objects: results, datasets };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

function rejectsPath(workDir: string, dataset: string): string {
  return path.join(workDir, `rejects-${dataset}.jsonl`);
}
