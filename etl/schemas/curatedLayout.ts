/**
 * Where a run's output lives in the curated bucket: part of the dataset model, shared by the transform (both
 * engines), the Glue catalog's version locations, and the IAM grants of the job and the API on AWS.
 *
 * ```
 * s3://<curated>/<dataset>/v=<runId>/year=YYYY/month=MM/part-*.parquet   a version (the table's Location once committed)
 * s3://<curated>/_rejects/<dataset>/run=<runId>/rejects.jsonl            the rejects of one run
 * ```
 */

/** Prefix of rejected rows inside the curated bucket (never readable by the API: they hold original lines). */
export const REJECTS_PREFIX = '_rejects/';

/** Key prefix of one version of a dataset: `<dataset>/v=<runId>/`. */
export function versionPrefix(dataset: string, runId: string): string {
  return `${dataset}/v=${runId}/`;
}

/** Key prefix of one run's rejects of a dataset: `_rejects/<dataset>/run=<runId>/`. */
export function rejectsPrefix(dataset: string, runId: string): string {
  return `${REJECTS_PREFIX}${dataset}/run=${runId}/`;
}

/** File name of a run's rejects under {@link rejectsPrefix}. */
export const REJECTS_FILE = 'rejects.jsonl';
