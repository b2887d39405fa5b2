import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  QueryExecutions,
  STOPPED_REASON,
  type StatementExecutor,
} from '../../../../infra/local/athena/QueryExecutions';

let dir: string;
let executions: QueryExecutions;
const written: string[] = [];
let started: () => void;
let startedOnce: Promise<void>;

/** A runner that holds each query until it is stopped (a query as long as the test needs). */
const untilStopped: StatementExecutor = {
  run: (_query, signal) =>
    new Promise((_resolve, reject) => {
      started();
      signal.addEventListener('abort', () => reject(new Error('interrupted')));
    }),
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-executions-'));
  startedOnce = new Promise((resolve) => {
    started = resolve;
  });
  executions = await QueryExecutions.open(dir, {
    runner: untilStopped,
    writer: { put: async (bucket, key) => void written.push(`${bucket}/${key}`) },
    concurrency: 1,
    log: () => {},
  });
});

afterEach(async () => {
  await executions.close();
  await rm(dir, { recursive: true, force: true });
});

const request = {
  query: 'SELECT 1',
  workGroup: 'primary',
  database: 'lake',
  catalog: 'awsdatacatalog',
  executionParameters: undefined,
  outputPrefix: 's3://results/',
  clientRequestToken: undefined,
  bytesScannedCutoff: undefined,
};

describe('QueryExecutions.settled (GetQueryExecution’s hold on a running query)', () => {
  it('resolves when a running execution ends, with its final state already set', async () => {
    const { id } = executions.start(request);
    await startedOnce;
    expect(executions.get(id).state).toBe('RUNNING');
    const settled = executions.settled(id, 60_000);
    executions.stop(id);
    await settled;
    expect([executions.get(id).state, executions.get(id).stateChangeReason]).toEqual(['CANCELLED', STOPPED_REASON]);
  });

  it('resolves at once for an execution that is not running', async () => {
    const first = executions.start(request);
    const queued = executions.start(request);
    expect(executions.get(queued.id).state).toBe('QUEUED');
    await executions.settled(queued.id, 60_000);
    expect(executions.get(queued.id).state).toBe('QUEUED');
    executions.stop(first.id);
    executions.stop(queued.id);
    await executions.settled(first.id, 60_000);
    await executions.settled(queued.id, 60_000);
    expect([executions.get(first.id).state, executions.get(queued.id).state]).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('gives up after its bound while the execution keeps running', async () => {
    const { id } = executions.start(request);
    await startedOnce;
    await executions.settled(id, 1);
    expect(executions.get(id).state).toBe('RUNNING');
    executions.stop(id);
  });
});
