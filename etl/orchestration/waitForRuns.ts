import { GetJobRunsCommand, type GlueClient, type JobRun } from '@aws-sdk/client-glue';
import type { RunsStore } from './RunsStore';
import type { Bookmark, RunSummary } from './runRecords';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);
const ACTIVE = new Set(['STARTING', 'RUNNING', 'STOPPING', 'WAITING']);

export interface WaitForRunsInput {
  readonly runs: RunsStore;
  readonly glue: GlueClient;
  readonly rawBucket: string;
  readonly jobName: string;
  /** The uploaded objects (key and the ETag S3 returned). */
  readonly objects: readonly { readonly key: string; readonly etag: string }[];
  /** When the uploads started: runs before it are not ours. */
  readonly since: Date;
  /** @default 600000 */
  readonly timeoutMs?: number;
  /** @default 500 */
  readonly pollMs?: number;
  readonly onProgress?: (processed: number, total: number) => void;
}

export type WaitOutcome =
  | { readonly ok: true; readonly bookmarks: readonly Bookmark[]; readonly summaries: readonly RunSummary[] }
  | {
      readonly ok: false;
      readonly message: string;
      readonly bookmarks: readonly Bookmark[];
      readonly summaries: readonly RunSummary[];
    };

/**
 * Waits until every uploaded object is bookmarked (processed by a committed run) and the runs that processed
 * them have recorded their end; gives up, saying why, when a run since the upload failed and nothing is left to
 * run, or at the timeout.
 */
export async function waitForRuns(input: WaitForRunsInput): Promise<WaitOutcome> {
  const deadline = Date.now() + (input.timeoutMs ?? 600_000);
  const pollMs = input.pollMs ?? 500;
  for (;;) {
    const all = await input.runs.bookmarks(input.rawBucket);
    const done = input.objects
      .map((o) => all.get(o.key))
      .filter((b, i): b is Bookmark => b?.etag === input.objects[i]!.etag);
    input.onProgress?.(done.length, input.objects.length);
    const runIds = [...new Set(done.map((b) => b.runId))];
    const summaries = (await Promise.all(runIds.map((id) => input.runs.runSummary(id)))).filter(
      (s): s is RunSummary => s !== undefined,
    );
    if (
      done.length === input.objects.length &&
      summaries.length === runIds.length &&
      summaries.every((s) => FINAL.has(s.state))
    ) {
      return { ok: true, bookmarks: done, summaries };
    }
    if (done.length < input.objects.length) {
      const recent = await recentRuns(input.glue, input.jobName, input.since);
      const failed = recent.find((r) => FINAL.has(r.JobRunState ?? '') && r.JobRunState !== 'SUCCEEDED');
      if (failed && !recent.some((r) => ACTIVE.has(r.JobRunState ?? ''))) {
        return {
          ok: false,
          bookmarks: done,
          summaries,
          message:
            `Run ${failed.Id} ended ${failed.JobRunState}: ${(failed.ErrorMessage ?? 'no message').replace(/\.+\s*$/, '')}. ` +
            `${input.objects.length - done.length} uploaded objects were not processed; they stay in the raw bucket. ` +
            'Fix the cause, then run the ingest again (unchanged objects are skipped) or start a run with ' +
            `\`aws glue start-job-run --job-name ${input.jobName}\`.`,
        };
      }
    }
    if (Date.now() > deadline) {
      return {
        ok: false,
        bookmarks: done,
        summaries,
        message:
          `${input.objects.length - done.length} of ${input.objects.length} objects were not processed in time. ` +
          'Is the stack running with the ETL wired (`npx examlake stack`)? Check `aws glue get-job-runs --job-name ' +
          `${input.jobName}\` and the run logs under <data dir>/glue/logs/.`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function recentRuns(glue: GlueClient, jobName: string, since: Date): Promise<JobRun[]> {
  const { JobRuns } = await glue.send(new GetJobRunsCommand({ JobName: jobName, MaxResults: 20 }));
  return (JobRuns ?? []).filter((r) => (r.StartedOn?.getTime() ?? 0) >= since.getTime() - 1000);
}
