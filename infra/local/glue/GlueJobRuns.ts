import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { JobRun } from '@aws-sdk/client-glue';
import type { LocalStackConfig } from '../config';
import type { LocalEventBus } from '../events/LocalEventBus';
import type { S3ObjectFiles } from '../s3/S3ObjectFiles';
import type { GlueJobs } from './GlueJobs';
import { glueErrors } from './glueErrors';
import { invokeLocalGlueJob } from './invokeLocalGlueJob';
import { JsonStateFile } from './JsonStateFile';
import {
  ACTIVE_STATES,
  GLUE_EVENT_SOURCE,
  JOB_STATE_CHANGE,
  type JobRunStateName,
  jobStateChangeDetail,
} from './jobRunState';
import type { LocalGlueJob } from './LocalGlueJob';
import { RunLog } from './RunLog';
import { type RunsDocument, type StoredJobRun, toJobRun } from './StoredJobRun';

/** Why an active run is being ended before its implementation settled. */
type EndReason = 'STOPPED' | 'TIMEOUT' | 'SHUTDOWN';

interface ActiveRun {
  readonly controller: AbortController;
  ending?: EndReason;
  /** Resolves one grace period after the run was aborted, whether or not the implementation settled. */
  readonly graceOver: Promise<void>;
  endGrace: () => void;
  graceTimer?: NodeJS.Timeout;
  finished?: Promise<void>;
}

export interface StartJobRunRequest {
  readonly jobName: string;
  readonly previousRunId?: string;
  readonly arguments?: Record<string, string>;
  readonly timeoutMinutes?: number;
  readonly allocatedCapacity?: number;
  readonly maxCapacity?: number;
  readonly workerType?: string;
  readonly numberOfWorkers?: number;
  readonly executionClass?: string;
}

export interface GlueJobRunsDeps {
  readonly stateDir: string;
  readonly config: LocalStackConfig;
  readonly endpoint: string;
  readonly events: LocalEventBus;
  readonly objects: S3ObjectFiles;
  readonly jobs: GlueJobs;
  readonly log: (message: string) => void;
}

/** ErrorMessage of runs that were in progress when the stack stopped. */
export const STACK_STOPPED_MESSAGE =
  'The local stack stopped during this run, so it did not complete. Start a new run (StartJobRun).';
/** Longest a closing stack waits for aborted runs to settle. */
const CLOSE_WAIT_MS = 5000;

/**
 * Job runs: starts them, drives their states (see `jobRunState.ts`), runs the registered local implementation,
 * persists every change and publishes Glue's state-change events.
 */
export class GlueJobRuns {
  private readonly implementations = new Map<string, LocalGlueJob>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly files = new Map<string, JsonStateFile<RunsDocument>>();
  private readonly pendingSaves = new Set<Promise<void>>();
  private closing = false;

  private constructor(
    private readonly deps: GlueJobRunsDeps,
    private readonly runs: Map<string, StoredJobRun[]>,
  ) {}

  /** Loads the persisted runs; runs that were in progress when the stack last stopped become FAILED. */
  static async open(deps: GlueJobRunsDeps): Promise<GlueJobRuns> {
    const runsDir = path.join(deps.stateDir, 'runs');
    await mkdir(runsDir, { recursive: true });
    await rm(path.join(deps.stateDir, 'scratch'), { recursive: true, force: true });
    await mkdir(path.join(deps.stateDir, 'scratch'), { recursive: true });
    const self = new GlueJobRuns(deps, new Map());
    for (const entry of await readdir(runsDir)) {
      if (!entry.endsWith('.json')) continue;
      const jobName = decodeURIComponent(entry.slice(0, -'.json'.length));
      const document = await self.file(jobName).load({ formatVersion: 1, runs: [] });
      let interrupted = false;
      for (const run of document.runs) {
        if (!ACTIVE_STATES.includes(run.JobRunState)) continue;
        interrupted = true;
        Object.assign(run, {
          JobRunState: 'FAILED',
          ErrorMessage: STACK_STOPPED_MESSAGE,
          completedOnMs: run.lastModifiedOnMs,
          lastModifiedOnMs: Date.now(),
        });
      }
      self.runs.set(jobName, document.runs);
      if (interrupted) await self.file(jobName).save({ formatVersion: 1, runs: document.runs });
    }
    return self;
  }

  register(jobName: string, job: LocalGlueJob): void {
    this.implementations.set(jobName, job);
  }

  /** StartJobRun: records the run as STARTING (durably), then runs it in the background. */
  async start(request: StartJobRunRequest): Promise<string> {
    if (this.closing)
      throw glueErrors.invalidInput('The local stack is stopping; start the run again after it restarts.');
    const definition = this.deps.jobs.definition(request.jobName);
    const list = this.runs.get(request.jobName) ?? [];
    const inProgress = list.filter((run) => this.active.has(run.Id)).length;
    if (inProgress >= definition.ExecutionProperty.MaxConcurrentRuns) {
      throw glueErrors.concurrentRunsExceeded(request.jobName);
    }
    if (request.previousRunId !== undefined && !list.some((run) => run.Id === request.previousRunId)) {
      throw glueErrors.jobRunNotFound(request.previousRunId);
    }
    // Strictly increasing per job, so that "newest first" is the order runs were started in.
    const now = Math.max(Date.now(), (list[0]?.startedOnMs ?? 0) + 1);
    const run: StoredJobRun = {
      Id: `jr_${randomBytes(32).toString('hex')}`,
      Attempt: 0,
      ...(request.previousRunId !== undefined ? { PreviousRunId: request.previousRunId } : {}),
      JobName: request.jobName,
      startedOnMs: now,
      lastModifiedOnMs: now,
      JobRunState: 'STARTING',
      ...(request.arguments !== undefined ? { Arguments: request.arguments } : {}),
      Timeout: request.timeoutMinutes ?? definition.Timeout,
      AllocatedCapacity: request.allocatedCapacity ?? definition.AllocatedCapacity,
      MaxCapacity: request.maxCapacity ?? definition.MaxCapacity,
      WorkerType: request.workerType ?? definition.WorkerType,
      NumberOfWorkers: request.numberOfWorkers ?? definition.NumberOfWorkers,
      GlueVersion: definition.GlueVersion,
      ExecutionClass: request.executionClass ?? definition.ExecutionClass,
    };
    let endGrace = () => {};
    const graceOver = new Promise<void>((resolve) => {
      endGrace = resolve;
    });
    const active: ActiveRun = { controller: new AbortController(), graceOver, endGrace };
    this.active.set(run.Id, active);
    this.runs.set(request.jobName, [run, ...list]);
    try {
      await this.persist(request.jobName);
    } catch (err) {
      this.active.delete(run.Id);
      this.runs.set(request.jobName, list);
      throw err;
    }
    active.finished = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.execute(run, active))
      .catch((err) => {
        this.deps.log(
          `Glue job run ${run.Id} of ${run.JobName} broke: ${err instanceof Error ? err.stack : String(err)}`,
        );
        this.finish(run, 'FAILED', `The local Glue service failed to run the job: ${String(err)}`, true);
      });
    return run.Id;
  }

  get(jobName: string, runId: string): JobRun {
    this.deps.jobs.definition(jobName);
    const run = this.runs.get(jobName)?.find((r) => r.Id === runId);
    if (!run) throw glueErrors.jobRunNotFound(runId);
    return toJobRun(run);
  }

  /** Every run of the job, newest first. */
  list(jobName: string): JobRun[] {
    this.deps.jobs.definition(jobName);
    return (this.runs.get(jobName) ?? []).map(toJobRun);
  }

  /** BatchStopJobRun: asks each in-progress run to stop; runs that are unknown or already over are reported. */
  stop(jobName: string, runIds: readonly string[]) {
    this.deps.jobs.definition(jobName);
    const successful: { JobName: string; JobRunId: string }[] = [];
    const errors: { JobName: string; JobRunId: string; ErrorDetail: { ErrorCode: string; ErrorMessage: string } }[] =
      [];
    for (const runId of runIds) {
      const run = this.runs.get(jobName)?.find((r) => r.Id === runId);
      const active = this.active.get(runId);
      if (!run) {
        errors.push({ JobName: jobName, JobRunId: runId, ErrorDetail: errorDetail(glueErrors.jobRunNotFound(runId)) });
      } else if (!active || (active.ending && active.ending !== 'STOPPED')) {
        const message = `Job run ${runId} cannot be stopped: it is ${run.JobRunState}.`;
        errors.push({ JobName: jobName, JobRunId: runId, ErrorDetail: errorDetail(glueErrors.invalidInput(message)) });
      } else {
        this.end(run, active, 'STOPPED');
        successful.push({ JobName: jobName, JobRunId: runId });
      }
    }
    return { SuccessfulSubmissions: successful, Errors: errors };
  }

  /** DeleteJob: aborts the job's runs in progress and forgets its run history. */
  async deleteJob(jobName: string): Promise<void> {
    const list = this.runs.get(jobName) ?? [];
    for (const run of list) {
      const active = this.active.get(run.Id);
      if (active) this.end(run, active, 'SHUTDOWN');
    }
    this.runs.delete(jobName);
    await this.file(jobName).remove();
  }

  /** Aborts every run in progress, waits briefly for them to settle, and records them as FAILED. */
  async close(): Promise<void> {
    this.closing = true;
    const finishing: Promise<void>[] = [];
    for (const list of this.runs.values()) {
      for (const run of list) {
        const active = this.active.get(run.Id);
        if (!active) continue;
        this.end(run, active, 'SHUTDOWN');
        if (active.finished) finishing.push(active.finished);
      }
    }
    await Promise.allSettled(finishing);
    while (this.pendingSaves.size > 0) await Promise.allSettled([...this.pendingSaves]);
  }

  /** Runs one job run from RUNNING to its final state. */
  private async execute(run: StoredJobRun, active: ActiveRun): Promise<void> {
    const log = new RunLog(RunLog.pathFor(this.deps.stateDir, run.JobName, run.Id), this.deps.log);
    let failure: string | undefined;
    if (!active.ending) {
      this.transition(run, 'RUNNING');
      log.write(`Job run ${run.Id} of ${run.JobName} is RUNNING (timeout ${run.Timeout} minutes).`);
      // setTimeout fires at once beyond 2^31-1 ms (~24.8 days); no Glue timeout is that long in real minutes.
      const timeoutMs = Math.min(run.Timeout * this.deps.config.glueMinuteMs, 2_147_483_647);
      const timer = setTimeout(() => this.end(run, active, 'TIMEOUT'), timeoutMs);
      try {
        failure = await this.invoke(run, active, log);
      } finally {
        clearTimeout(timer);
      }
    }
    const state: JobRunStateName =
      active.ending === 'STOPPED'
        ? 'STOPPED'
        : active.ending === 'TIMEOUT'
          ? 'TIMEOUT'
          : active.ending === 'SHUTDOWN' || failure !== undefined
            ? 'FAILED'
            : 'SUCCEEDED';
    const errorMessage =
      active.ending === 'SHUTDOWN' ? STACK_STOPPED_MESSAGE : state === 'FAILED' ? failure : undefined;
    log.write(`Job run ended: ${state}${errorMessage ? ` (${errorMessage})` : ''}.`);
    await log.flush();
    this.finish(run, state, errorMessage, active.ending !== 'SHUTDOWN');
  }

  /** Calls the implementation; resolves with the failure message, undefined on success, or when the grace ends. */
  private async invoke(run: StoredJobRun, active: ActiveRun, log: RunLog): Promise<string | undefined> {
    const implementation = this.implementations.get(run.JobName);
    if (!implementation) {
      return (
        `No local implementation is registered for Glue job '${run.JobName}'. Register one before starting runs: ` +
        `stack.registerJob('${run.JobName}', async (run) => { ... }) (see docs/local-stack.md, "Glue").`
      );
    }
    if (!this.deps.jobs.exists(run.JobName)) return `Job ${run.JobName} was deleted before the run began.`;
    const definition = this.deps.jobs.definition(run.JobName);
    const outcome = invokeLocalGlueJob(implementation, {
      jobName: run.JobName,
      jobRunId: run.Id,
      arguments: { ...definition.DefaultArguments, ...run.Arguments, ...definition.NonOverridableArguments },
      signal: active.controller.signal,
      endpoint: this.deps.endpoint,
      region: this.deps.config.region,
      objects: this.deps.objects,
      scratchRoot: path.join(this.deps.stateDir, 'scratch'),
      stack: { dataDir: this.deps.config.dataDir, duckdbMemoryLimit: this.deps.config.duckdbMemoryLimit },
      log: (message) => log.write(message),
    });
    return Promise.race([outcome, active.graceOver.then(() => undefined)]);
  }

  /** Aborts an active run for `reason`; it ends when the implementation settles or one grace period later. */
  private end(run: StoredJobRun, active: ActiveRun, reason: EndReason): void {
    if (active.ending && !(reason === 'SHUTDOWN' && active.ending !== 'SHUTDOWN')) return;
    const first = active.ending === undefined;
    active.ending = reason;
    if (reason === 'STOPPED') this.transition(run, 'STOPPING');
    const minuteMs = this.deps.config.glueMinuteMs;
    const graceMs = reason === 'SHUTDOWN' ? Math.min(minuteMs, CLOSE_WAIT_MS) : minuteMs;
    clearTimeout(active.graceTimer);
    active.graceTimer = setTimeout(active.endGrace, graceMs);
    if (first) {
      const message =
        reason === 'STOPPED'
          ? `Job run ${run.Id} was stopped (BatchStopJobRun).`
          : reason === 'TIMEOUT'
            ? `Job run ${run.Id} exceeded its timeout of ${run.Timeout} minutes.`
            : 'The local stack is stopping.';
      const abortReason = new Error(message);
      abortReason.name = reason === 'TIMEOUT' ? 'TimeoutError' : 'AbortError';
      active.controller.abort(abortReason);
    }
  }

  private transition(run: StoredJobRun, state: JobRunStateName): void {
    run.JobRunState = state;
    run.lastModifiedOnMs = Date.now();
    this.persistInBackground(run.JobName);
  }

  private finish(run: StoredJobRun, state: JobRunStateName, errorMessage: string | undefined, publish: boolean): void {
    const now = Date.now();
    clearTimeout(this.active.get(run.Id)?.graceTimer);
    this.active.delete(run.Id);
    Object.assign(run, { JobRunState: state, lastModifiedOnMs: now, completedOnMs: now });
    if (errorMessage !== undefined) run.ErrorMessage = errorMessage;
    if (!this.runs.get(run.JobName)?.includes(run)) return; // the job was deleted meanwhile
    this.persistInBackground(run.JobName);
    if (publish && (state === 'SUCCEEDED' || state === 'FAILED' || state === 'STOPPED' || state === 'TIMEOUT')) {
      const detail = jobStateChangeDetail(run.JobName, run.Id, state, errorMessage);
      this.deps.events.publish(GLUE_EVENT_SOURCE, JOB_STATE_CHANGE, detail);
    }
  }

  private persist(jobName: string): Promise<void> {
    const save = this.file(jobName).save({ formatVersion: 1, runs: this.runs.get(jobName) ?? [] });
    this.pendingSaves.add(save);
    return save.finally(() => this.pendingSaves.delete(save));
  }

  /** Persists a state change the run cannot take back; a failed write is reported and retried by the next change. */
  private persistInBackground(jobName: string): void {
    if (!this.runs.has(jobName)) return;
    this.persist(jobName).catch((err) =>
      this.deps.log(`cannot save the runs of Glue job ${jobName}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private file(jobName: string): JsonStateFile<RunsDocument> {
    let file = this.files.get(jobName);
    if (!file) {
      file = new JsonStateFile(path.join(this.deps.stateDir, 'runs', `${encodeURIComponent(jobName)}.json`));
      this.files.set(jobName, file);
    }
    return file;
  }
}

function errorDetail(error: Error & { type?: string }): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: error.type ?? error.name, ErrorMessage: error.message };
}
