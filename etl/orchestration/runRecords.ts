/**
 * The items of the `runs` DynamoDB table (pk/sk, all strings):
 *
 * | pk                     | sk        | item                                                      |
 * |------------------------|-----------|-----------------------------------------------------------|
 * | `bookmark#<rawBucket>` | `<key>`   | a processed raw object: ETag, run, dataset, outcome       |
 * | `run#<runId>`          | `summary` | a run's summary: counts per dataset, state, duration      |
 * | `trigger#<jobName>`    | `pending` | raw objects that arrived while a run was busy (deferred)  |
 */

/** What became of a processed raw object: loaded (rows written or rejected one by one), or refused whole. */
export type ObjectOutcome = 'LOADED' | 'REFUSED';

/** A raw object the transform has processed: the bookmark (Glue job bookmarks' key + ETag). */
export interface Bookmark {
  readonly key: string;
  readonly etag: string;
  readonly runId: string;
  readonly dataset: string | undefined;
  readonly outcome: ObjectOutcome;
  /** For REFUSED: the reject reason code (EMPTY_FILE, UNKNOWN_DATASET, MISSING_COLUMNS…). */
  readonly reason?: string;
  readonly message?: string;
  /** Data rows read from the object (0 when refused). */
  readonly rowsIn: number;
  readonly processedAt: string;
}

/** Counts of one dataset in one run. `rowsIn = written + rejected + superseded` or the run fails. */
export interface DatasetRunSummary {
  readonly dataset: string;
  readonly objects: number;
  readonly rowsIn: number;
  readonly written: number;
  readonly rejected: number;
  /** Valid rows of this run replaced by a later object of the same run (same natural key). */
  readonly superseded: number;
  /** Rows of the previous version replaced by a row of this run (corrections across runs). */
  readonly replaced: number;
  /** Rows in the new version of the table. */
  readonly totalRows: number;
  /** Partitions (year/month) in the new version. */
  readonly partitions: number;
  /** The table's `examlake.data_version` after the run (the run id when it committed). */
  readonly dataVersion: string;
  /** Where the new version lives, `s3://curated/<dataset>/v=<runId>/`. */
  readonly location: string;
  /** Where this run's rejected rows are, when any. */
  readonly rejectsLocation?: string;
  /** Rejected rows by reason code. */
  readonly rejectReasons: Readonly<Record<string, number>>;
}

/** Final and intermediate states of a run as the summary records them (Glue's, plus COMMITTED by the job). */
export type RunState = 'COMMITTED' | 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMEOUT' | 'ERROR';

/** Whole objects the run refused (each bookmarked with its reason). */
export interface RefusedObject {
  readonly key: string;
  readonly reason: string;
  readonly message: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly jobName: string;
  readonly state: RunState;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly message?: string;
  readonly reprocessAll?: boolean;
  readonly objects?: number;
  readonly datasets?: Readonly<Record<string, DatasetRunSummary>>;
  readonly refused?: readonly RefusedObject[];
}

export const RUN_KEYS = Object.freeze({
  bookmarkPk: (rawBucket: string) => `bookmark#${rawBucket}`,
  runPk: (runId: string) => `run#${runId}`,
  summarySk: 'summary',
  pendingPk: (jobName: string) => `trigger#${jobName}`,
  pendingSk: 'pending',
});
