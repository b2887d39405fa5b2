/**
 * The states of a Glue job run, and what the local service does in each:
 *
 * ```
 * StartJobRun ─▶ STARTING ─▶ RUNNING ─┬─▶ SUCCEEDED   the implementation resolved
 *                                     ├─▶ FAILED      it threw, no implementation is registered, or the stack stopped
 *                                     ├─▶ STOPPING ─▶ STOPPED   BatchStopJobRun aborted it
 *                                     └─▶ TIMEOUT     Timeout minutes passed; it was aborted
 * ```
 *
 * An aborted implementation gets one job-timeout minute (`glueMinuteMs`) to settle; after that the run ends in
 * STOPPED or TIMEOUT anyway and whatever the implementation does later is ignored.
 */
import type { GlueJobStateChangeDetail } from '../../../etl/orchestration/JobStateRecorder';
export const JOB_RUN_STATE = {
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  STOPPING: 'STOPPING',
  STOPPED: 'STOPPED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMEOUT: 'TIMEOUT',
} as const;
export type JobRunStateName = (typeof JOB_RUN_STATE)[keyof typeof JOB_RUN_STATE];

/** States in which a run counts against the job's MaxConcurrentRuns. */
export const ACTIVE_STATES: readonly JobRunStateName[] = ['STARTING', 'RUNNING', 'STOPPING'];

/**
 * The whole detail of the `Glue Job State Change` event Glue sends to EventBridge for the final states, as the
 * local Glue emits it; the ETL reads the part it needs ({@link GlueJobStateChangeDetail}).
 */
export interface EmittedGlueJobStateChangeDetail extends GlueJobStateChangeDetail {
  readonly jobName: string;
  readonly severity: 'INFO' | 'WARN' | 'ERROR';
  readonly state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED';
  readonly jobRunId: string;
  readonly message: string;
}

export const GLUE_EVENT_SOURCE = 'aws.glue';
export const JOB_STATE_CHANGE = 'Glue Job State Change';

/** The event detail Glue sends when a run reaches `state` (severity and message as in Glue's own events). */
export function jobStateChangeDetail(
  jobName: string,
  jobRunId: string,
  state: EmittedGlueJobStateChangeDetail['state'],
  errorMessage: string | undefined,
): EmittedGlueJobStateChangeDetail {
  switch (state) {
    case 'SUCCEEDED':
      return { jobName, severity: 'INFO', state, jobRunId, message: 'Job run succeeded' };
    case 'STOPPED':
      return { jobName, severity: 'INFO', state, jobRunId, message: 'Job run stopped' };
    case 'TIMEOUT':
      return { jobName, severity: 'WARN', state, jobRunId, message: 'Job run timed out' };
    case 'FAILED':
      return { jobName, severity: 'ERROR', state, jobRunId, message: errorMessage ?? 'Job run failed' };
  }
}
