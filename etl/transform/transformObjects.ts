import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { type BuiltVersion, buildVersion } from './buildVersion';
import { ReconciliationError } from './errors';
import { type RawObject, readRawObject } from './readRawObject';
import { createCheckedView, dropCheckedView, stageObject } from './stageObject';
import { timedStep } from './timedStep';
import { type StagedRejectSource, writeRejects } from './writeRejects';

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
 * The transform on local files. JavaScript reads only each object's header (dataset, column mapping, whole-object
 * refusals); DuckDB reads the rows (`stageObject`: CSV reader, generated checks), builds each touched dataset's
 * next version (`buildVersion`: previous version + this run, deduplicated, partitioned, sorted) and the few
 * rejected records are found again for their line and text (`writeRejects`). Every dataset must reconcile.
 * Writes only under `workDir`; committing is the caller's job.
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
    preserve_insertion_order: 'true',
  });
  const db = await instance.connect();
  // Each object's checked rows, as Parquet in file order (see stageObject), until its dataset is built.
  const stageRoot = path.join(input.workDir, 'stage');
  try {
    // Per dataset: rows staged so far (the next object's first `_row`), rows read (staged + refused by the CSV
    // reader) and the staged objects.
    const perDataset = new Map<
      string,
      { dataset: DatasetSchema; rows: number; rowsIn: number; staged: StagedRejectSource[] }
    >();
    const results: ObjectResult[] = [];
    for (const [rank, object] of objects.entries()) {
      input.signal?.throwIfAborted();
      const header = await readRawObject(object);
      if (!header.accepted) {
        input.log?.(`refused ${object.uri}: ${header.reason}`);
        results.push({ object, accepted: false, reason: header.reason, message: header.message });
        continue;
      }
      const name = header.dataset.name;
      let totals = perDataset.get(name);
      if (!totals) {
        totals = { dataset: header.dataset, rows: 0, rowsIn: 0, staged: [] };
        perDataset.set(name, totals);
      }
      const stageDir = path.join(stageRoot, name);
      const staged = await timedStep(input.log, `staged ${object.uri}`, () =>
        stageObject(db, stageDir, header.mapping, rank, object.path, totals.rows),
      );
      const rowsIn = staged.rows + staged.structural.length;
      totals.rows += staged.rows;
      totals.rowsIn += rowsIn;
      totals.staged.push({ object, mapping: header.mapping, staged });
      input.log?.(`read ${object.uri}: ${rowsIn} rows, ${staged.structural.length} refused by the CSV reader`);
      results.push({ object, accepted: true, dataset: name, rowsIn });
    }
    const datasets: DatasetResult[] = [];
    for (const totals of perDataset.values()) {
      input.signal?.throwIfAborted();
      const { dataset } = totals;
      const table = await createCheckedView(
        db,
        dataset,
        totals.staged.map((s) => s.staged),
      );
      const [valid = 0] =
        (await db.runAndReadAll(`SELECT count(*) FROM "${table}" WHERE _why IS NULL`)).getRows()[0] ?? [];
      const version =
        Number(valid) > 0
          ? await buildVersion({
              connection: db,
              dataset,
              checkedTable: table,
              sources: objects.map((o) => o.uri),
              previousFiles: await input.previousFiles(dataset),
              runId: input.runId,
              ingestedAt: input.startedAt,
              studentKeySecret: input.studentKeySecret,
              outDir: path.join(input.workDir, 'version', dataset.name),
              log: input.log,
            })
          : undefined;
      input.signal?.throwIfAborted();
      const rejects = await timedStep(input.log, `${dataset.name}: rejects`, () =>
        writeRejects({
          connection: db,
          table,
          objects: totals.staged,
          duplicateRows: version?.duplicateRows ?? [],
          path: rejectsPath(input.workDir, dataset.name),
        }),
      );
      const { rowsIn } = totals;
      const written = version?.written ?? 0;
      const superseded = version?.superseded ?? 0;
      if (rowsIn !== written + rejects.rejected + superseded) {
        throw new ReconciliationError(dataset.name, { rowsIn, written, rejected: rejects.rejected, superseded });
      }
      datasets.push({
        dataset,
        objects: totals.staged.length,
        rowsIn,
        rejected: rejects.rejected,
        rejectReasons: rejects.reasons,
        rejectsPath: rejects.rejected > 0 ? rejectsPath(input.workDir, dataset.name) : undefined,
        version,
      });
      await dropCheckedView(db, dataset);
      await rm(path.join(stageRoot, dataset.name), { recursive: true, force: true });
    }
    return { objects: results, datasets };
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(stageRoot, { recursive: true, force: true });
  }
}

function rejectsPath(workDir: string, dataset: string): string {
  return path.join(workDir, `rejects-${dataset}.jsonl`);
}
