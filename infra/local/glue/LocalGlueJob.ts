import type { S3ObjectFiles } from '../s3/S3ObjectFiles';

/** What a job's local implementation receives for one run (the local counterpart of a Glue job's `getResolvedOptions`). */
export interface LocalGlueJobRun {
  readonly jobName: string;
  readonly jobRunId: string;
  /** The job's DefaultArguments overlaid with the run's Arguments, keys as given (`--name`). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the run is stopped (BatchStopJobRun) or exceeds its Timeout; the job must stop promptly. */
  readonly signal: AbortSignal;
  /** Edge endpoint for AWS SDK clients, as a Glue job reaches AWS services. */
  readonly endpoint: string;
  readonly region: string;
  /** Engine-side reads of S3 objects (Glue reads S3 natively; locally, the stored files). */
  readonly objects: S3ObjectFiles;
  /** A fresh scratch directory for this run, removed after it ends. */
  readonly scratchDir: string;
  /** Settings of the stack the job runs in (e.g. the DuckDB memory limit, the data dir). */
  readonly stack: { readonly dataDir: string; readonly duckdbMemoryLimit: string };
  /** Lines for the run's log (the local counterpart of the job's CloudWatch log stream). */
  log(message: string): void;
}

/**
 * A job's local implementation: a TypeScript function registered under the job's name. Resolving means
 * SUCCEEDED; throwing means FAILED with the error's message as ErrorMessage.
 */
export type LocalGlueJob = (run: LocalGlueJobRun) => Promise<void>;
