import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AlreadyExistsException,
  BatchStopJobRunCommand,
  ConcurrentRunsExceededException,
  CreateJobCommand,
  type CreateJobCommandInput,
  DeleteJobCommand,
  EntityNotFoundException,
  GetJobCommand,
  GetJobRunCommand,
  GetJobRunsCommand,
  GetJobsCommand,
  GlueClient,
  InvalidInputException,
  type JobRun,
  StartJobRunCommand,
  UpdateJobCommand,
} from '@aws-sdk/client-glue';
import type { LocalEvent } from '../../../../infra/local/events/LocalEventBus';
import type { EmittedGlueJobStateChangeDetail } from '../../../../infra/local/glue/jobRunState';
import type { LocalGlueJobRun } from '../../../../infra/local/glue/LocalGlueJob';
import { startTestStack, type TestStack } from '../../../support/localStack';

/**
 * One job-timeout minute lasts this long here: a run with `Timeout: 1` times out after it, and an aborted run
 * that ignores its signal is ended one such minute after the abort.
 */
const GLUE_MINUTE_MS = 1500;

let testStack: TestStack;
let glue: GlueClient;
const events: LocalEvent<EmittedGlueJobStateChangeDetail>[] = [];
const eventWaiters = new Set<() => void>();

/** What the test job implementations saw, by run id. */
const seen = new Map<string, { run: LocalGlueJobRun; scratchExisted: boolean; abortReason?: unknown }>();
/** Resolves when the run with this id has entered its implementation. */
const entered = new Map<string, () => void>();
const releaseIgnoring = new Map<string, () => void>();

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Registers the test fixtures: small job implementations, one per behaviour. */
function registerFixtures(stack: TestStack): void {
  const record = async (run: LocalGlueJobRun) => {
    const scratchExisted = await access(run.scratchDir).then(
      () => true,
      () => false,
    );
    seen.set(run.jobRunId, { run, scratchExisted });
    entered.get(run.jobRunId)?.();
  };
  stack.stack.registerJob('succeeds', async (run) => {
    await record(run);
    run.log(`processing ${run.arguments['--input']}`);
    // A job reaches AWS services through the edge endpoint with the SDK, as a Glue job does.
    const client = new GlueClient({ ...stack.clientConfig, endpoint: run.endpoint, region: run.region });
    try {
      const own = await client.send(new GetJobRunCommand({ JobName: run.jobName, RunId: run.jobRunId }));
      run.log(`own state: ${own.JobRun?.JobRunState}`);
    } finally {
      client.destroy();
    }
  });
  stack.stack.registerJob('throws', async (run) => {
    await record(run);
    throw new Error('Row 3 of exam_results.csv has no result_id.');
  });
  stack.stack.registerJob('waits-for-abort', async (run) => {
    await record(run);
    await new Promise<void>((_resolve, reject) => {
      run.signal.addEventListener('abort', () => {
        seen.get(run.jobRunId)!.abortReason = run.signal.reason;
        reject(run.signal.reason);
      });
    });
  });
  stack.stack.registerJob('ignores-abort', async (run) => {
    await record(run);
    const release = deferred();
    releaseIgnoring.set(run.jobRunId, release.resolve);
    await release.promise;
  });
}

async function connect(stack: TestStack): Promise<void> {
  testStack = stack;
  glue?.destroy();
  glue = new GlueClient(stack.clientConfig);
  registerFixtures(stack);
  stack.stack.events.subscribe<EmittedGlueJobStateChangeDetail>(
    { source: ['aws.glue'], detailType: ['Glue Job State Change'] },
    (event) => {
      events.push(event);
      for (const wake of eventWaiters) wake();
    },
  );
}

beforeAll(async () => {
  await connect(await startTestStack({ glueMinuteMs: GLUE_MINUTE_MS }));
  for (const name of ['succeeds', 'throws', 'waits-for-abort', 'ignores-abort', 'unregistered']) {
    await glue.send(new CreateJobCommand(jobInput(name)));
  }
});

afterAll(async () => {
  for (const release of releaseIgnoring.values()) release();
  glue.destroy();
  await testStack.stop();
});

function jobInput(name: string, overrides: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput {
  return {
    Name: name,
    Role: 'arn:aws:iam::000000000000:role/examlake-local-glue',
    Command: { Name: 'glueetl', ScriptLocation: 's3://examlake-scripts/transform.py', PythonVersion: '3' },
    DefaultArguments: { '--input': 's3://examlake-raw/default.csv', '--mode': 'full' },
    GlueVersion: '5.0',
    ...overrides,
  };
}

/** Starts a run and waits until its implementation is executing. */
async function startEntered(jobName: string, args?: Record<string, string>): Promise<string> {
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }));
  if (!seen.has(JobRunId!)) await new Promise<void>((resolve) => entered.set(JobRunId!, resolve));
  return JobRunId!;
}

/** The Glue Job State Change event of a run, once it is published. */
async function stateChange(jobRunId: string): Promise<LocalEvent<EmittedGlueJobStateChangeDetail>> {
  for (;;) {
    const event = events.find((e) => e.detail.jobRunId === jobRunId);
    if (event) return event;
    await new Promise<void>((resolve) => {
      const wake = () => {
        eventWaiters.delete(wake);
        resolve();
      };
      eventWaiters.add(wake);
    });
  }
}

async function getRun(jobName: string, runId: string): Promise<JobRun> {
  return (await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }))).JobRun!;
}

describe('job definitions', () => {
  it('creates a job and returns it in the shape of the SDK Job type, with Glue defaults', async () => {
    await glue.send(new CreateJobCommand(jobInput('defined', { Description: 'CSV to Parquet' })));
    const { Job } = await glue.send(new GetJobCommand({ JobName: 'defined' }));
    expect(Job).toEqual({
      Name: 'defined',
      Description: 'CSV to Parquet',
      Role: 'arn:aws:iam::000000000000:role/examlake-local-glue',
      Command: { Name: 'glueetl', ScriptLocation: 's3://examlake-scripts/transform.py', PythonVersion: '3' },
      DefaultArguments: { '--input': 's3://examlake-raw/default.csv', '--mode': 'full' },
      NonOverridableArguments: {},
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      MaxRetries: 0,
      Timeout: 2880,
      GlueVersion: '5.0',
      CreatedOn: expect.any(Date),
      LastModifiedOn: expect.any(Date),
    });
  });

  it('raises AlreadyExistsException for a second job of the same name', async () => {
    const error = await glue.send(new CreateJobCommand(jobInput('succeeds'))).catch((e) => e);
    expect(error).toBeInstanceOf(AlreadyExistsException);
  });

  it('raises InvalidInputException when Role or Command is missing', async () => {
    const noRole = await glue
      .send(new CreateJobCommand({ ...jobInput('no_role'), Role: undefined } as never))
      .catch((e) => e);
    expect(noRole).toBeInstanceOf(InvalidInputException);
    expect(noRole.message).toContain("at 'role' failed to satisfy constraint: Member must not be null");
    const noCommand = await glue
      .send(new CreateJobCommand({ ...jobInput('no_command'), Command: undefined } as never))
      .catch((e) => e);
    expect(noCommand).toBeInstanceOf(InvalidInputException);
  });

  it('raises EntityNotFoundException "Job x not found." for an unknown job', async () => {
    const error = await glue.send(new GetJobCommand({ JobName: 'ghost' })).catch((e) => e);
    expect(error).toBeInstanceOf(EntityNotFoundException);
    expect(error.message).toBe('Job ghost not found.');
    await expect(glue.send(new StartJobRunCommand({ JobName: 'ghost' }))).rejects.toBeInstanceOf(
      EntityNotFoundException,
    );
  });

  it('replaces the definition on UpdateJob and moves LastModifiedOn', async () => {
    await glue.send(new CreateJobCommand(jobInput('updated', { Timeout: 30 })));
    const before = (await glue.send(new GetJobCommand({ JobName: 'updated' }))).Job!;
    await glue.send(
      new UpdateJobCommand({
        JobName: 'updated',
        JobUpdate: {
          Role: before.Role,
          Command: before.Command,
          ExecutionProperty: { MaxConcurrentRuns: 3 },
          DefaultArguments: { '--input': 's3://examlake-raw/other.csv' },
        },
      }),
    );
    const after = (await glue.send(new GetJobCommand({ JobName: 'updated' }))).Job!;
    expect(after.ExecutionProperty).toEqual({ MaxConcurrentRuns: 3 });
    expect(after.DefaultArguments).toEqual({ '--input': 's3://examlake-raw/other.csv' });
    expect(after.Timeout).toBe(2880);
    expect(after.CreatedOn).toEqual(before.CreatedOn);
    expect(after.LastModifiedOn!.getTime()).toBeGreaterThanOrEqual(before.LastModifiedOn!.getTime());
    await expect(
      glue.send(new UpdateJobCommand({ JobName: 'ghost', JobUpdate: { Role: 'r', Command: {} } })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('lists jobs in name order, page by page', async () => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await glue.send(new GetJobsCommand({ MaxResults: 2, NextToken: token }));
      names.push(...(page.Jobs ?? []).map((job) => job.Name!));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['succeeds', 'throws', 'waits-for-abort', 'ignores-abort']));
  });

  it('deletes a job (and succeeds again for a job that no longer exists)', async () => {
    await glue.send(new CreateJobCommand(jobInput('deleted')));
    expect(await glue.send(new DeleteJobCommand({ JobName: 'deleted' }))).toMatchObject({ JobName: 'deleted' });
    await expect(glue.send(new GetJobCommand({ JobName: 'deleted' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    expect(await glue.send(new DeleteJobCommand({ JobName: 'deleted' }))).toMatchObject({ JobName: 'deleted' });
  });
});

describe('job runs', () => {
  it('runs the registered implementation to SUCCEEDED with DefaultArguments overlaid by the run Arguments', async () => {
    const runId = await startEntered('succeeds', { '--input': 's3://examlake-raw/2026/exam_results.csv' });
    const event = await stateChange(runId);
    const run = await getRun('succeeds', runId);
    expect(run).toMatchObject({
      Id: runId,
      Attempt: 0,
      JobName: 'succeeds',
      JobRunState: 'SUCCEEDED',
      Arguments: { '--input': 's3://examlake-raw/2026/exam_results.csv' },
      Timeout: 2880,
      GlueVersion: '5.0',
      PredecessorRuns: [],
    });
    expect(run.Id).toMatch(/^jr_[0-9a-f]{64}$/);
    expect(run.ErrorMessage).toBeUndefined();
    expect(run.ExecutionTime).toEqual(expect.any(Number));
    expect(run.CompletedOn!.getTime()).toBeGreaterThanOrEqual(run.StartedOn!.getTime());
    expect(run.LastModifiedOn).toEqual(run.CompletedOn);

    const { run: context, scratchExisted } = seen.get(runId)!;
    expect(context.arguments).toEqual({ '--input': 's3://examlake-raw/2026/exam_results.csv', '--mode': 'full' });
    expect(context.endpoint).toBe(testStack.endpoint);
    expect(context.stack.dataDir).toBe(testStack.dataDir);
    expect(scratchExisted).toBe(true);
    await expect(access(context.scratchDir)).rejects.toThrow();

    expect(event).toMatchObject({
      source: 'aws.glue',
      'detail-type': 'Glue Job State Change',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: {
        jobName: 'succeeds',
        severity: 'INFO',
        state: 'SUCCEEDED',
        jobRunId: runId,
        message: 'Job run succeeded',
      },
    });
  });

  it('keeps the lines a run logs, with its own RUNNING state seen through the SDK, in the run log file', async () => {
    const runId = await startEntered('succeeds');
    await stateChange(runId);
    const log = await readFile(path.join(testStack.dataDir, 'glue', 'logs', 'succeeds', `${runId}.log`), 'utf8');
    expect(log).toContain('processing s3://examlake-raw/default.csv');
    expect(log).toContain('own state: RUNNING');
    expect(log).toContain('Job run ended: SUCCEEDED.');
  });

  it('ends FAILED with the thrown message as ErrorMessage, and an ERROR event', async () => {
    const runId = await startEntered('throws');
    const event = await stateChange(runId);
    const run = await getRun('throws', runId);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toBe('Row 3 of exam_results.csv has no result_id.');
    expect(event.detail).toEqual({
      jobName: 'throws',
      severity: 'ERROR',
      state: 'FAILED',
      jobRunId: runId,
      message: 'Row 3 of exam_results.csv has no result_id.',
    });
  });

  it('fails a run of a job without a local implementation, saying how to register one', async () => {
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'unregistered' }));
    await stateChange(JobRunId!);
    const run = await getRun('unregistered', JobRunId!);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toContain("No local implementation is registered for Glue job 'unregistered'");
    expect(run.ErrorMessage).toContain("stack.registerJob('unregistered'");
  });

  it('stops a run through STOPPING to STOPPED on BatchStopJobRun, aborting the implementation', async () => {
    const runId = await startEntered('waits-for-abort');
    const result = await glue.send(new BatchStopJobRunCommand({ JobName: 'waits-for-abort', JobRunIds: [runId] }));
    expect(result.SuccessfulSubmissions).toEqual([{ JobName: 'waits-for-abort', JobRunId: runId }]);
    expect(result.Errors).toEqual([]);
    const event = await stateChange(runId);
    expect(event.detail).toMatchObject({ state: 'STOPPED', severity: 'INFO', message: 'Job run stopped' });
    expect((await getRun('waits-for-abort', runId)).JobRunState).toBe('STOPPED');
    expect(seen.get(runId)?.abortReason).toMatchObject({ name: 'AbortError' });
  });

  it('reports STOPPING while an implementation ignores the abort, then STOPPED one glue minute later, ignoring its late result', async () => {
    const runId = await startEntered('ignores-abort');
    await glue.send(new BatchStopJobRunCommand({ JobName: 'ignores-abort', JobRunIds: [runId] }));
    expect((await getRun('ignores-abort', runId)).JobRunState).toBe('STOPPING');
    const event = await stateChange(runId);
    expect(event.detail.state).toBe('STOPPED');
    releaseIgnoring.get(runId)!();
    await testStack.stack.events.drain();
    // A later run's event proves the late success was processed (events are delivered in order) without effect.
    const later = await startEntered('succeeds');
    await stateChange(later);
    expect((await getRun('ignores-abort', runId)).JobRunState).toBe('STOPPED');
    expect(events.filter((e) => e.detail.jobRunId === runId)).toHaveLength(1);
  });

  it('ends in TIMEOUT after Timeout minutes, aborting the implementation with a TimeoutError', async () => {
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'waits-for-abort', Timeout: 1 }));
    const event = await stateChange(JobRunId!);
    expect(event.detail).toMatchObject({ state: 'TIMEOUT', severity: 'WARN', message: 'Job run timed out' });
    const run = await getRun('waits-for-abort', JobRunId!);
    expect(run).toMatchObject({ JobRunState: 'TIMEOUT', Timeout: 1 });
    expect(seen.get(JobRunId!)?.abortReason).toMatchObject({ name: 'TimeoutError' });
  });

  it('refuses a run beyond MaxConcurrentRuns with ConcurrentRunsExceededException', async () => {
    const first = await startEntered('waits-for-abort');
    const error = await glue.send(new StartJobRunCommand({ JobName: 'waits-for-abort' })).catch((e) => e);
    expect(error).toBeInstanceOf(ConcurrentRunsExceededException);
    expect(error.message).toBe('Concurrent runs exceeded for waits-for-abort');
    await glue.send(new BatchStopJobRunCommand({ JobName: 'waits-for-abort', JobRunIds: [first] }));
    await stateChange(first);
    const next = await startEntered('waits-for-abort');
    await glue.send(new BatchStopJobRunCommand({ JobName: 'waits-for-abort', JobRunIds: [next] }));
    await stateChange(next);
  });

  it('allows as many runs at once as ExecutionProperty.MaxConcurrentRuns', async () => {
    await glue.send(new CreateJobCommand(jobInput('parallel', { ExecutionProperty: { MaxConcurrentRuns: 2 } })));
    testStack.stack.registerJob('parallel', async (run) => {
      await new Promise((_resolve, reject) => run.signal.addEventListener('abort', () => reject(run.signal.reason)));
    });
    const a = (await glue.send(new StartJobRunCommand({ JobName: 'parallel' }))).JobRunId!;
    const b = (await glue.send(new StartJobRunCommand({ JobName: 'parallel' }))).JobRunId!;
    await expect(glue.send(new StartJobRunCommand({ JobName: 'parallel' }))).rejects.toBeInstanceOf(
      ConcurrentRunsExceededException,
    );
    const stopped = await glue.send(new BatchStopJobRunCommand({ JobName: 'parallel', JobRunIds: [a, b] }));
    expect(stopped.SuccessfulSubmissions).toHaveLength(2);
    await Promise.all([stateChange(a), stateChange(b)]);
  });

  it('reports unknown and finished runs in BatchStopJobRun Errors', async () => {
    const done = await startEntered('succeeds');
    await stateChange(done);
    const result = await glue.send(
      new BatchStopJobRunCommand({ JobName: 'succeeds', JobRunIds: [done, 'jr_unknown'] }),
    );
    expect(result.SuccessfulSubmissions).toEqual([]);
    expect(result.Errors).toEqual([
      {
        JobName: 'succeeds',
        JobRunId: done,
        ErrorDetail: {
          ErrorCode: 'InvalidInputException',
          ErrorMessage: `Job run ${done} cannot be stopped: it is SUCCEEDED.`,
        },
      },
      {
        JobName: 'succeeds',
        JobRunId: 'jr_unknown',
        ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Job run jr_unknown not found.' },
      },
    ]);
  });

  it('lists runs newest first, page by page', async () => {
    await glue.send(new CreateJobCommand(jobInput('listed')));
    testStack.stack.registerJob('listed', async () => {});
    const started: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'listed' }));
      await stateChange(JobRunId!);
      started.push(JobRunId!);
    }
    const first = await glue.send(new GetJobRunsCommand({ JobName: 'listed', MaxResults: 2 }));
    const second = await glue.send(
      new GetJobRunsCommand({ JobName: 'listed', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect([...first.JobRuns!, ...second.JobRuns!].map((run) => run.Id)).toEqual([...started].reverse());
    expect(second.NextToken).toBeUndefined();
  });

  it('raises EntityNotFoundException from GetJobRun for an unknown run id', async () => {
    const error = await glue.send(new GetJobRunCommand({ JobName: 'succeeds', RunId: 'jr_nope' })).catch((e) => e);
    expect(error).toBeInstanceOf(EntityNotFoundException);
    expect(error.message).toBe('Job run jr_nope not found.');
  });
});

describe('restart', () => {
  it('keeps jobs and runs, and fails the runs the stopping stack interrupted', async () => {
    const finished = await startEntered('succeeds');
    await stateChange(finished);
    const interrupted = await startEntered('waits-for-abort');

    await connect(await testStack.restart());

    expect(seen.get(interrupted)?.abortReason).toMatchObject({ name: 'AbortError' });
    expect((await glue.send(new GetJobCommand({ JobName: 'succeeds' }))).Job?.Name).toBe('succeeds');
    expect((await getRun('succeeds', finished)).JobRunState).toBe('SUCCEEDED');
    const run = await getRun('waits-for-abort', interrupted);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toContain('The local stack stopped during this run');
    // The interrupted run no longer counts against MaxConcurrentRuns.
    const next = await startEntered('waits-for-abort');
    await glue.send(new BatchStopJobRunCommand({ JobName: 'waits-for-abort', JobRunIds: [next] }));
    await stateChange(next);
  });

  it('fails a run a crashed stack left RUNNING when the stack starts again', async () => {
    const runId = await startEntered('succeeds');
    await stateChange(runId);
    await testStack.stop({ keepData: true });
    // What a crash mid-run leaves on disk: the run recorded as RUNNING.
    const runsFile = path.join(testStack.dataDir, 'glue', 'runs', 'succeeds.json');
    const document = JSON.parse(await readFile(runsFile, 'utf8'));
    const stored = document.runs.find((r: { Id: string }) => r.Id === runId);
    Object.assign(stored, { JobRunState: 'RUNNING', completedOnMs: undefined });
    await writeFile(runsFile, JSON.stringify(document));

    await connect(await startTestStack({ glueMinuteMs: GLUE_MINUTE_MS, dataDir: testStack.dataDir }));
    const run = await getRun('succeeds', runId);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toContain('The local stack stopped during this run');
  });
});
