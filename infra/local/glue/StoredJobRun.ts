import type { JobRun } from '@aws-sdk/client-glue';
import type { JobRunStateName } from './jobRunState';

/** A run as persisted in `<stateDir>/runs/<job name>.json` (newest first). */
export interface StoredJobRun {
  Id: string;
  Attempt: number;
  PreviousRunId?: string;
  JobName: string;
  startedOnMs: number;
  lastModifiedOnMs: number;
  completedOnMs?: number;
  JobRunState: JobRunStateName;
  Arguments?: Record<string, string>;
  ErrorMessage?: string;
  /** Minutes. */
  Timeout: number;
  AllocatedCapacity?: number;
  MaxCapacity?: number;
  WorkerType?: string;
  NumberOfWorkers?: number;
  GlueVersion?: string;
  ExecutionClass?: string;
}

export interface RunsDocument {
  readonly formatVersion: 1;
  readonly runs: StoredJobRun[];
}

/** A stored run as GetJobRun answers it (ExecutionTime in whole seconds, so far for a run in progress). */
export function toJobRun(run: StoredJobRun): JobRun {
  const { startedOnMs, lastModifiedOnMs, completedOnMs, ...members } = run;
  const end = completedOnMs ?? Date.now();
  return {
    ...structuredClone(members),
    StartedOn: new Date(startedOnMs),
    LastModifiedOn: new Date(lastModifiedOnMs),
    ...(completedOnMs !== undefined ? { CompletedOn: new Date(completedOnMs) } : {}),
    ExecutionTime: Math.round((end - startedOnMs) / 1000),
    PredecessorRuns: [],
    LogGroupName: '/aws-glue/jobs',
  } as JobRun;
}
