import {
  ConcurrentRunsExceededException,
  GetJobRunCommand,
  type GlueClient,
  StartJobRunCommand,
} from '@aws-sdk/client-glue';
import type { RunEnds } from './FinalStateStore';
import type { EventBridgeEnvelope } from './IngestTrigger';
import type { RunState } from './runRecords';

/** The detail of Glue's `Glue Job State Change` event. */
export interface GlueJobStateChangeDetail {
  readonly jobName: string;
  readonly state: string;
  readonly jobRunId: string;
  readonly severity?: string;
  readonly message?: string;
}

const FINAL_STATES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);

export type JobStateOutcome =
  | { readonly action: 'ignored' }
  | { readonly action: 'recorded'; readonly state: RunState; readonly nextRunId?: string; readonly deferred?: boolean };

/**
 * Records how a transform run ended and starts the run that was deferred while it was busy.
 *
 * The data version is owned by the job: it moves the table's location and sets `examlake.data_version` in the
 * same `UpdateTable`, so no reader ever sees new data under an old version (or the reverse). This handler does
 * not touch the catalog; it completes the run summary the job wrote (state, end, duration, message) so a failed
 * or stopped run, which wrote no counts, still has its row in `runs`.
 */
export class JobStateRecorder {
  constructor(private readonly deps: { readonly glue: GlueClient; readonly runs: RunEnds; readonly jobName: string }) {}

  async handle(event: EventBridgeEnvelope<GlueJobStateChangeDetail>): Promise<JobStateOutcome> {
    const detail = event.detail;
    if (event.source !== 'aws.glue' || event['detail-type'] !== 'Glue Job State Change') return { action: 'ignored' };
    if (detail.jobName !== this.deps.jobName || !FINAL_STATES.has(detail.state)) return { action: 'ignored' };
    const { JobRun } = await this.deps.glue.send(
      new GetJobRunCommand({ JobName: detail.jobName, RunId: detail.jobRunId }),
    );
    const startedOn = JobRun?.StartedOn ?? new Date(event.time ?? Date.now());
    const completedOn = JobRun?.CompletedOn ?? new Date(event.time ?? Date.now());
    const state = detail.state as RunState;
    await this.deps.runs.recordFinalState(detail.jobRunId, {
      jobName: detail.jobName,
      state,
      startedAt: startedOn.toISOString(),
      finishedAt: completedOn.toISOString(),
      durationMs: Math.max(0, completedOn.getTime() - startedOn.getTime()),
      message: state === 'SUCCEEDED' ? undefined : (JobRun?.ErrorMessage ?? detail.message),
    });
    const pending = await this.deps.runs.takePending(this.deps.jobName);
    if (!pending) return { action: 'recorded', state };
    try {
      const { JobRunId } = await this.deps.glue.send(
        new StartJobRunCommand({
          JobName: this.deps.jobName,
          Arguments: { '--examlake-trigger': 'deferred', '--examlake-deferred-since': pending.requestedAt },
        }),
      );
      return { action: 'recorded', state, nextRunId: JobRunId };
    } catch (err) {
      if (!(err instanceof ConcurrentRunsExceededException)) throw err;
      // Someone else started a run meanwhile; keep the request for its end.
      await this.deps.runs.markPending(this.deps.jobName, [], new Date(pending.requestedAt));
      return { action: 'recorded', state, deferred: true };
    }
  }
}
