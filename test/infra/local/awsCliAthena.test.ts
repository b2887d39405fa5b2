import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runAwsCli } from '../../support/awsCli';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;

beforeAll(async () => {
  testStack = await startTestStack();
  const s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'cli-results' }));
  s3.destroy();
});

afterAll(async () => {
  await testStack.stop();
});

const aws = (...args: string[]) => runAwsCli(testStack.endpoint, args);

async function finalState(id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const got = await aws('athena', 'get-query-execution', '--query-execution-id', id);
    expect(got.code).toBe(0);
    const execution = (got.json as { QueryExecution: { Status: { State: string } } }).QueryExecution;
    if (execution.Status.State !== 'QUEUED' && execution.Status.State !== 'RUNNING') return execution;
  }
}

describe('the AWS CLI against the local Athena service', () => {
  it('starts a query, polls it to SUCCEEDED and reads the results with the header row first', async () => {
    const started = await aws(
      'athena',
      'start-query-execution',
      '--query-string',
      "SELECT 'S0001' AS school_id, 42 AS attempts, CAST(NULL AS VARCHAR) AS note",
      '--result-configuration',
      'OutputLocation=s3://cli-results/athena/',
    );
    expect(started.stderr).toBe('');
    const { QueryExecutionId } = started.json as { QueryExecutionId: string };
    const execution = await finalState(QueryExecutionId);
    expect(execution).toMatchObject({
      QueryExecutionId,
      Status: { State: 'SUCCEEDED' },
      ResultConfiguration: { OutputLocation: `s3://cli-results/athena/${QueryExecutionId}.csv` },
      WorkGroup: 'primary',
    });

    const results = await aws('athena', 'get-query-results', '--query-execution-id', QueryExecutionId);
    expect(results.code).toBe(0);
    const { ResultSet } = results.json as {
      ResultSet: {
        Rows: { Data: { VarCharValue?: string }[] }[];
        ResultSetMetadata: { ColumnInfo: { Type: string }[] };
      };
    };
    expect(ResultSet.Rows).toEqual([
      { Data: [{ VarCharValue: 'school_id' }, { VarCharValue: 'attempts' }, { VarCharValue: 'note' }] },
      { Data: [{ VarCharValue: 'S0001' }, { VarCharValue: '42' }, {}] },
    ]);
    expect(ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Type)).toEqual(['varchar', 'integer', 'varchar']);

    const copied = await aws('s3', 'cp', `s3://cli-results/athena/${QueryExecutionId}.csv`, '-');
    expect(copied.stdout).toBe('"school_id","attempts","note"\n"S0001","42",\n');
  });

  it('reports a query that fails with its reason, and an unknown query as InvalidRequestException', async () => {
    const started = await aws(
      'athena',
      'start-query-execution',
      '--query-string',
      'SELECT * FROM missing_table',
      '--query-execution-context',
      'Database=default',
      '--result-configuration',
      'OutputLocation=s3://cli-results/athena/',
    );
    const { QueryExecutionId } = started.json as { QueryExecutionId: string };
    const execution = await finalState(QueryExecutionId);
    expect(execution).toMatchObject({
      Status: { State: 'FAILED', StateChangeReason: "SCHEMA_NOT_FOUND: line 1:15: Schema 'default' does not exist" },
    });

    const unknown = await aws('athena', 'get-query-results', '--query-execution-id', 'nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('InvalidRequestException');
    expect(unknown.stderr).toContain('QueryExecution nope was not found');
  });
});
