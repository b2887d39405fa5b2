import { runAwsCli } from '../../support/awsCli';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;

beforeAll(async () => {
  testStack = await startTestStack();
});

afterAll(async () => {
  await testStack.stop();
});

const aws = (...args: string[]) => runAwsCli(testStack.endpoint, args);

describe('the AWS CLI against the local Secrets Manager', () => {
  it('creates a secret, rotates it with put-secret-value and reads both stages', async () => {
    const created = await aws('secretsmanager', 'create-secret', '--name', 'cli/key', '--secret-string', 'one');
    expect(created.stderr).toBe('');
    expect(created.json).toMatchObject({ Name: 'cli/key' });

    const put = await aws('secretsmanager', 'put-secret-value', '--secret-id', 'cli/key', '--secret-string', 'two');
    expect(put.code).toBe(0);
    expect(put.json).toMatchObject({ VersionStages: ['AWSCURRENT'] });

    const current = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/key');
    expect(current.json).toMatchObject({ SecretString: 'two', VersionStages: ['AWSCURRENT'] });
    const previous = await aws(
      'secretsmanager',
      'get-secret-value',
      '--secret-id',
      (created.json as { ARN: string }).ARN,
      '--version-stage',
      'AWSPREVIOUS',
    );
    expect(previous.json).toMatchObject({ SecretString: 'one', VersionStages: ['AWSPREVIOUS'] });
  });

  it('lists and describes secrets', async () => {
    await aws('secretsmanager', 'create-secret', '--name', 'cli/listed', '--secret-string', 'x', '--description', 'd');
    const listed = await aws('secretsmanager', 'list-secrets', '--filters', 'Key=name,Values=cli/listed');
    expect((listed.json as { SecretList: { Name: string }[] }).SecretList.map((s) => s.Name)).toEqual(['cli/listed']);
    const described = await aws('secretsmanager', 'describe-secret', '--secret-id', 'cli/listed');
    expect(described.json).toMatchObject({ Name: 'cli/listed', Description: 'd' });
  });

  it('reports an unknown secret as ResourceNotFoundException with a failing exit code', async () => {
    const result = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/missing');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ResourceNotFoundException');
    expect(result.stderr).toContain("Secrets Manager can't find the specified secret.");
  });

  it('deletes a secret without recovery', async () => {
    await aws('secretsmanager', 'create-secret', '--name', 'cli/deleted', '--secret-string', 'x');
    const deleted = await aws(
      'secretsmanager',
      'delete-secret',
      '--secret-id',
      'cli/deleted',
      '--force-delete-without-recovery',
    );
    expect(deleted.code).toBe(0);
    const read = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/deleted');
    expect(read.stderr).toContain('ResourceNotFoundException');
  });
});
