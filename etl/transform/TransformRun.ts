/** An object the run reads: its S3 identity and a file on the engine's machine holding exactly its bytes. */
export interface RunObject {
  readonly bucket: string;
  readonly key: string;
  /** The ETag S3 reports, without quotes (bookmarks compare it). */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
  /** Absolute path of a file with exactly the object's bytes, for DuckDB to open in place. */
  readonly path: string;
}

/**
 * What the transform needs from the job run that executes it: the port `createTransformJob` is written against.
 * Whatever runs the job adapts its run to this (the local Glue service: `infra/local/glue/localTransformRun.ts`);
 * nothing here names an emulator or its storage layout.
 */
export interface TransformRun {
  readonly jobName: string;
  readonly jobRunId: string;
  /** Job arguments as Glue passes them: DefaultArguments overlaid with the run's Arguments, keys as given (`--name`). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the run is stopped or times out; the transform stops promptly and commits nothing. */
  readonly signal: AbortSignal;
  /** A fresh directory for this run's intermediate files, removed by the runner after the run ends. */
  readonly scratchDir: string;
  /** Memory the run's DuckDB may use before spilling to `scratchDir` (DuckDB size, e.g. `1GB`). */
  readonly duckdbMemoryLimit: string;
  /** Objects whose key starts with `prefix`, sorted by key, each with a local file to read. */
  listObjects(bucket: string, prefix: string): Promise<readonly RunObject[]>;
  /** One line for the run's log. */
  log(message: string): void;
}

/** The transform as a job body: resolving means the run succeeded, throwing that it failed with the error's message. */
export type TransformJobBody = (run: TransformRun) => Promise<void>;
