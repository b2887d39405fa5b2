import type { LocalEvent } from '../../../infra/local/events/LocalEventBus';
import type { EmittedGlueJobStateChangeDetail } from '../../../infra/local/glue/jobRunState';
import { runAwsCli } from '../../support/awsCli';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;
const finished = new Map<string, LocalEvent<EmittedGlueJobStateChangeDetail>>();
const waiting = new Map<string, (event: LocalEvent<EmittedGlueJobStateChangeDetail>) => void>();

beforeAll(async () => {
  testStack = await startTestStack();
  testStack.stack.events.subscribe<EmittedGlueJobStateChangeDetail>({ source: ['aws.glue'] }, (event) => {
    finished.set(event.detail.jobRunId, event);
    waiting.get(event.detail.jobRunId)?.(event);
  });
});

afterAll(async () => {
  await testStack.stop();
});

const aws = (...args: string[]) => runAwsCli(testStack.endpoint, args);

function runEnded(jobRunId: string): Promise<LocalEvent<EmittedGlueJobStateChangeDetail>> {
  const event = finished.get(jobRunId);
  return event ? Promise.resolve(event) : new Promise((resolve) => waiting.set(jobRunId, resolve));
}

describe('the AWS CLI against the local Glue service', () => {
  it('creates a database and a table, and lists the tables with get-tables', async () => {
    const created = await aws('glue', 'create-database', '--database-input', 'Name=CliLake,Description=from the CLI');
    expect(created.code).toBe(0);
    const table = {
      Name: 'exam_results',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet', 'projection.enabled': 'true' },
      StorageDescriptor: {
        Columns: [{ Name: 'result_id', Type: 'string' }],
        Location: 's3://examlake-curated/exam_results/',
      },
      PartitionKeys: [{ Name: 'year', Type: 'int' }],
    };
    const createdTable = await aws(
      'glue',
      'create-table',
      '--database-name',
      'clilake',
      '--table-input',
      JSON.stringify(table),
    );
    expect(createdTable.stderr).toBe('');
    expect(createdTable.code).toBe(0);

    const listed = await aws('glue', 'get-tables', '--database-name', 'clilake');
    expect(listed.code).toBe(0);
    const { TableList } = listed.json as { TableList: Record<string, unknown>[] };
    expect(TableList).toHaveLength(1);
    expect(TableList[0]).toMatchObject({
      Name: 'exam_results',
      DatabaseName: 'clilake',
      StorageDescriptor: { Location: 's3://examlake-curated/exam_results/' },
      PartitionKeys: [{ Name: 'year', Type: 'int' }],
      VersionId: '0',
    });
    // Timestamps travel as epoch seconds (JSON 1.1), which CLI v1 prints as they came.
    const createTime = Number(TableList[0]!.CreateTime) * 1000;
    expect(Math.abs(createTime - Date.now())).toBeLessThan(24 * 3600 * 1000);
  });

  it('reports an unknown table as EntityNotFoundException with a failing exit code', async () => {
    const result = await aws('glue', 'get-table', '--database-name', 'clilake', '--name', 'missing');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('EntityNotFoundException');
    expect(result.stderr).toContain('Table missing not found.');
  });

  it('starts a job run with arguments and reads its final state with get-job-run', async () => {
    const received: Record<string, string>[] = [];
    testStack.stack.registerJob('cli-job', async (run) => {
      received.push({ ...run.arguments });
      run.log('hello from the CLI test job');
    });
    const createdJob = await aws(
      'glue',
      'create-job',
      '--name',
      'cli-job',
      '--role',
      'arn:aws:iam::000000000000:role/examlake-local-glue',
      '--command',
      'Name=glueetl,ScriptLocation=s3://examlake-scripts/transform.py',
    );
    expect(createdJob.code).toBe(0);

    const started = await aws(
      'glue',
      'start-job-run',
      '--job-name',
      'cli-job',
      '--arguments',
      JSON.stringify({ '--input': 's3://examlake-raw/exam_results/2026.csv' }),
    );
    expect(started.code).toBe(0);
    const { JobRunId } = started.json as { JobRunId: string };
    expect(JobRunId).toMatch(/^jr_/);
    await runEnded(JobRunId);

    const got = await aws('glue', 'get-job-run', '--job-name', 'cli-job', '--run-id', JobRunId);
    expect(got.code).toBe(0);
    expect((got.json as { JobRun: unknown }).JobRun).toMatchObject({
      Id: JobRunId,
      JobName: 'cli-job',
      JobRunState: 'SUCCEEDED',
      Arguments: { '--input': 's3://examlake-raw/exam_results/2026.csv' },
      ExecutionTime: expect.any(Number),
    });
    expect(received).toEqual([{ '--input': 's3://examlake-raw/exam_results/2026.csv' }]);
  });
});
